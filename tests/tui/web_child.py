"""A stand-in for ``sitroom join`` behind ``sitroom web``: speaks textual-serve's pipe protocol.

It announces itself (``__GANGLION__``), then sends one data packet saying what it
was started with (its terminal size and whether a join code reached its
environment), and echoes each meta packet it receives (resize, focus, …) as a data
packet, so a test sees what the gateway passed on. A ``quit`` meta packet or the end
of its input ends it, unless it runs as ``stubborn`` (a wedged console, which the
gateway must kill). As ``crash`` it dies by a signal (SIGSEGV) on its first stdin
packet, as a console hitting a fault in C would. As ``deliver`` it opens a file at
once, as a console's Open button does (Textual's ``deliver_binary``, named by the
file's sha256): it announces :data:`DELIVERY` and answers each chunk request with the
next part of :data:`RECORDING`, then an empty chunk; as ``deliver-cut`` it ends the
delivery after its first chunk, as a console that dies part-way.

It runs as a program (``python web_child.py MODE``) or forked from the gateway's warm
parent (entry ``tests.tui.web_child:main``, arguments ``[MODE]``).

Packets, both ways: one type byte (``D`` data, ``M`` meta), a 4-byte big-endian
length, the payload.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time

DELIVERY = "k-robocall"
RECORDING = b"RIFF\x00\x00\x00\x00WAVE" + bytes(range(256)) * 600
"""What ``deliver`` hands over: about 150 KB, so it takes three 64 KB chunks."""


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
        "lang": os.environ.get("SITROOM_LANG"),
        "pid": os.getpid(),
    }
    send(b"D", json.dumps({"started": started}).encode())
    delivered = 0
    if mode in (["deliver"], ["deliver-cut"]):
        start = {
            "type": "deliver_file_start",
            "key": DELIVERY,
            "path": "robocall.wav",
            "open_method": "browser",
            "mime_type": "audio/wav",
            "encoding": None,
            "name": hashlib.sha256(RECORDING).hexdigest(),
        }
        send(b"M", json.dumps(start).encode())
    try:
        while True:
            kind = read_exactly(1)
            payload = read_exactly(int.from_bytes(read_exactly(4), "big"))
            if kind == b"M":
                meta = json.loads(payload)
                if meta.get("type") == "quit" and not stubborn:
                    return 0
                if meta.get("type") == "deliver_chunk_request":
                    from textual_serve._binary_encode import dump

                    chunk = RECORDING[delivered : delivered + int(meta["size"])]
                    if mode == ["deliver-cut"] and delivered:
                        chunk = b""
                    delivered += len(chunk)
                    send(b"P", dump(("deliver_chunk", DELIVERY, chunk)))
                    continue
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
