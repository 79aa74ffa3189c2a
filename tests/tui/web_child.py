"""A stand-in for ``sitroom join`` behind ``sitroom web``: speaks textual-serve's pipe protocol.

It announces itself (``__GANGLION__``), then sends one data packet saying what it
was started with (its terminal size and whether a join code reached its
environment), and echoes each meta packet it receives (resize, focus, …) as a data
packet, so a test sees what the gateway passed on. A ``quit`` meta packet or the end
of its input ends it, unless it runs as ``stubborn`` (a wedged console, which the
gateway must kill). As ``crash`` it dies by a signal (SIGSEGV) on its first stdin
packet, as a console hitting a fault in C would.

It runs as a program (``python web_child.py MODE``) or forked from the gateway's warm
parent (entry ``tests.tui.web_child:main``, arguments ``[MODE]``).

Packets, both ways: one type byte (``D`` data, ``M`` meta), a 4-byte big-endian
length, the payload.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time


def send(kind: bytes, payload: bytes) -> None:
    sys.stdout.buffer.write(kind + len(payload).to_bytes(4, "big") + payload)
    sys.stdout.buffer.flush()


def read_exactly(size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sys.stdin.buffer.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def main(argv: list[str] | None = None) -> int:
    mode = (sys.argv[1:] if argv is None else argv)[:1]
    stubborn = mode == ["stubborn"]
    sys.stdout.write("__GANGLION__\n")
    sys.stdout.flush()
    started = {
        "columns": os.environ.get("COLUMNS"),
        "rows": os.environ.get("ROWS"),
        "code": os.environ.get("SITROOM_CODE"),
        "pid": os.getpid(),
    }
    send(b"D", json.dumps({"started": started}).encode())
    try:
        while True:
            kind = read_exactly(1)
            payload = read_exactly(int.from_bytes(read_exactly(4), "big"))
            if kind == b"M":
                meta = json.loads(payload)
                if meta.get("type") == "quit" and not stubborn:
                    return 0
                send(b"D", json.dumps({"meta": meta}).encode())
            else:
                if mode == ["crash"]:
                    os.kill(os.getpid(), signal.SIGSEGV)
                send(b"D", json.dumps({"stdin": payload.decode("utf-8", "replace")}).encode())
    except EOFError:
        if stubborn:
            time.sleep(60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
