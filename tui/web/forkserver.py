"""Browser consoles forked from a warm parent, instead of a new interpreter per tab.

``sitroom web`` runs one console process per browser tab. Started the ordinary way
(``python -m tui.cli join``) each one imports Python's standard library, Textual,
Rich, aiohttp, pydantic and every console afresh: about a CPU second, and 50 MB or
more of memory that no other tab shares. Here the gateway starts one *warm parent*
(``python -m tui.web.forkserver``) that imports all of that once, moves what it
built out of the garbage collector's reach (``gc.freeze()``: a collection in a child
then never writes to those pages), and waits. For each tab the gateway hands it the
three ends of the tab's pipes (over a Unix socket, ``SCM_RIGHTS``) and the tab's
environment; the parent forks, and the child puts the pipes on its standard input,
output and error, takes the environment, and runs the console's entry point. The
child shares the parent's memory copy-on-write, and starts in a small fraction of
the time.

What the gateway gets back is a :class:`ForkedProcess`, which has the parts of
:class:`asyncio.subprocess.Process` that textual-serve's
:class:`~textual_serve.app_service.AppService` and the gateway use (``stdin``,
``stdout``, ``stderr``, ``wait``, ``kill``). The gateway knows when a console ends
from a pidfd (``pidfd_open``), which works for a process that is not its child
and cannot name another process that later gets the same pid.

Failure is contained: a console that crashes ends its own tab (its pipes close);
if the warm parent dies, the consoles it started keep running (their pipes go to
the gateway, not to it), and the next tab starts a new parent. The parent never
runs an event loop or a thread, so a fork copies nothing half-done.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import itertools
import json
import logging
import os
import select
import signal
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from engine.aio import within

log = logging.getLogger("sitroom.web")

ENTRY = "tui.cli:main"
"""What a browser console runs: the ``sitroom`` command line (``join URL``)."""
PRELOAD = (
    "tui.commands.join",
    "textual.drivers.web_driver",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "textual.scrollbar",
)
"""Modules the warm parent imports besides the entry's, so no child imports them (the
consoles import the last four only once they are on screen)."""
_MAX_MESSAGE = 1 << 20
NICENESS = 5
"""How much the consoles yield to the gateway (and to an exercise server on the same
machine): when 300 consoles draw an inject at once, the gateway still relays their
screens and answers its sockets' pings, and the server still delivers."""


# ----------------------------------------------------------------- the warm parent


def _load(entry: str) -> Callable[[list[str]], int | None]:
    module, _, name = entry.partition(":")
    function: Callable[[list[str]], int | None] = getattr(
        importlib.import_module(module), name or "main"
    )
    return function


def _warm(entry: str, preload: Sequence[str]) -> Callable[[list[str]], int | None]:
    """Import everything a console needs, then freeze it out of the collector's way."""
    function = _load(entry)
    for name in preload:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    with contextlib.suppress(ImportError):
        # aiohttp's default TLS context reads the system's certificates (a third of a
        # second): read once here, not once a tab.
        import aiohttp.connector  # noqa: F401
    with contextlib.suppress(ImportError):
        # Rich loads its table of character widths at the first character past ASCII.
        from rich.cells import cell_len

        cell_len("é中")
    gc.collect()
    gc.freeze()
    return function


def serve(
    control: socket.socket,
    entry: str,
    preload: Sequence[str] = PRELOAD,
    niceness: int = NICENESS,
) -> None:
    """The warm parent's loop: fork a console for each request on ``control`` until it
    closes. Runs without threads or an event loop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the gateway's terminal
    if niceness:
        with contextlib.suppress(OSError):
            os.nice(niceness)  # the consoles forked from here inherit it
    function = _warm(entry, preload)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    _send(control, {"ready": os.getpid()})
    while True:
        try:
            readable, _, _ = select.select([control.fileno(), wake_r], [], [])
        except InterruptedError:
            continue
        if wake_r in readable:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_r, 512)
            _reap(control)
        if control.fileno() in readable:
            try:
                data, fds, _flags, _addr = socket.recv_fds(control, _MAX_MESSAGE, 3)
            except OSError:
                return
            if not data:
                return  # the gateway has gone: so do we (the consoles end with their pipes)
            _fork(control, function, json.loads(data), fds, (wake_r, wake_w))


def _reap(control: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        with contextlib.suppress(OSError):
            _send(control, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def _fork(
    control: socket.socket,
    function: Callable[[list[str]], int | None],
    request: dict[str, Any],
    fds: list[int],
    wake: tuple[int, int],
) -> None:
    if len(fds) != 3 or threading.active_count() != 1:
        for fd in fds:
            os.close(fd)
        _send(control, {"id": request.get("id"), "error": "bad request"})
        return
    pid = os.fork()
    if pid == 0:
        _child(control, function, request, fds, wake)
    for fd in fds:
        os.close(fd)
    _send(control, {"id": request.get("id"), "pid": pid})


def _child(
    control: socket.socket,
    function: Callable[[list[str]], int | None],
    request: dict[str, Any],
    fds: list[int],
    wake: tuple[int, int],
) -> None:
    """In the forked console: take the tab's pipes and environment, run, and exit."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        control.close()
        for fd in wake:
            os.close(fd)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in request.get("env", {}).items()})
        argv = [str(a) for a in request.get("argv", [])]
        sys.argv = ["sitroom", *argv]
        result = function(argv)
        code = result if isinstance(result, int) else 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _send(control: socket.socket, message: dict[str, Any]) -> None:
    control.sendall(json.dumps(message).encode())


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m tui.web.forkserver FD ENTRY NICENESS [PRELOAD…]``: serve on socket
    ``FD``."""
    args = list(sys.argv[1:] if argv is None else argv)
    control = socket.socket(fileno=int(args[0]))
    serve(control, args[1], tuple(args[3:]), int(args[2]))


# ----------------------------------------------------------------- the gateway's side


class ForkFailed(Exception):
    """The warm parent could not start a console; ``str()`` says why."""


class ForkedProcess:
    """A forked console, as the gateway and textual-serve use a subprocess."""

    def __init__(
        self,
        pid: int,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        self._pidfd = os.pidfd_open(pid)
        self._ended = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().add_reader(self._pidfd, self._exited)

    def _exited(self) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_reader(self._pidfd)
        os.close(self._pidfd)
        self._pidfd = -1
        if self.returncode is None:
            self.returncode = -1  # the warm parent's report, if it comes, says more
        if not self._ended.done():
            self._ended.set_result(None)

    def reported(self, code: int) -> None:
        """The warm parent's word on how it ended."""
        self.returncode = code

    async def wait(self) -> int:
        await asyncio.shield(self._ended)
        return self.returncode if self.returncode is not None else -1

    def send_signal(self, signum: int) -> None:
        if self._pidfd < 0:
            raise ProcessLookupError(self.pid)
        signal.pidfd_send_signal(self._pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkServer:
    """The gateway's handle on its warm parent: starts it (again, if it died) and asks it
    for consoles."""

    def __init__(
        self,
        argv: Sequence[str],
        environment: Mapping[str, str],
        *,
        entry: str = ENTRY,
        preload: Sequence[str] = PRELOAD,
        niceness: int = NICENESS,
        python: str = sys.executable,
    ) -> None:
        self.argv = list(argv)
        """The console's arguments (``["join", URL]``)."""
        self.environment = dict(environment)
        """The warm parent's environment: what Textual reads when it is imported."""
        self.entry = entry
        self.preload = tuple(preload)
        self.niceness = niceness
        """How much lower the consoles' priority is than the gateway's."""
        self.python = python
        self.parent: asyncio.subprocess.Process | None = None
        self.starts = 0
        """Warm parents started so far (more than one: one died)."""
        self._control: socket.socket | None = None
        self._ready: asyncio.Future[None] | None = None
        self._replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._children: dict[int, ForkedProcess] = {}
        self._ids = itertools.count(1)
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._channel_lost = False

    @property
    def alive(self) -> bool:
        """Whether the warm parent is running and its channel open."""
        return self.parent is not None and self.parent.returncode is None and not self._channel_lost

    async def start(self, timeout: float = 60.0) -> None:
        """Start the warm parent (if it is not running) and wait until it is ready."""
        async with self._lock:
            if self.alive and self._ready is not None:
                ready = self._ready
            else:
                ready = await self._launch()
        await within(asyncio.shield(ready), timeout)

    async def _launch(self) -> asyncio.Future[None]:
        await self._drop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setblocking(False)
        try:
            self.parent = await asyncio.create_subprocess_exec(
                self.python,
                "-m",
                "tui.web.forkserver",
                str(theirs.fileno()),
                self.entry,
                str(self.niceness),
                *self.preload,
                pass_fds=(theirs.fileno(),),
                stdin=asyncio.subprocess.DEVNULL,
                env=self.environment,
            )
        finally:
            theirs.close()
        self.starts += 1
        self._channel_lost = False
        self._control = ours
        self._ready = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read(ours, self._ready))
        return self._ready

    async def _read(self, control: socket.socket, ready: asyncio.Future[None]) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                data = await loop.sock_recv(control, _MAX_MESSAGE)
                if not data:
                    break
                message = json.loads(data)
                if "ready" in message and not ready.done():
                    ready.set_result(None)
                elif "exited" in message:
                    child = self._children.pop(int(message["exited"]), None)
                    if child is not None:
                        child.reported(int(message.get("code", -1)))
                elif "id" in message:
                    reply = self._replies.pop(int(message["id"]), None)
                    if reply is not None and not reply.done():
                        reply.set_result(message)
        except (OSError, ValueError) as exc:
            log.warning("the warm parent's channel failed: %s", exc)
        finally:
            if self._control is control:
                self._channel_lost = True
            gone = ForkFailed("the warm parent stopped")
            if not ready.done():
                ready.set_exception(gone)
                ready.exception()  # retrieved: a start waits on it, or nobody does
            for reply in self._replies.values():
                if not reply.done():
                    reply.set_exception(gone)
            self._replies.clear()

    async def spawn(self, environment: Mapping[str, str]) -> ForkedProcess:
        """A new console with this environment, its pipes connected to us. If the warm
        parent turns out to have died, a new one is started and asked once more."""
        try:
            return await self._spawn(environment)
        except (ForkFailed, OSError):
            if self.alive:
                raise
        return await self._spawn(environment)

    async def _spawn(self, environment: Mapping[str, str]) -> ForkedProcess:
        await self.start()
        control = self._control
        assert control is not None
        loop = asyncio.get_running_loop()
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        ours = [in_w, out_r, err_r]
        try:
            request_id = next(self._ids)
            reply = loop.create_future()
            self._replies[request_id] = reply
            body = json.dumps({"id": request_id, "argv": self.argv, "env": dict(environment)})
            await _send_fds(control, body.encode(), [in_r, out_w, err_w])
        except BaseException:
            for fd in ours:
                os.close(fd)
            raise
        finally:
            for fd in (in_r, out_w, err_w):
                os.close(fd)
        try:
            answer = await within(reply, 30.0)
            if "pid" not in answer:
                raise ForkFailed(str(answer.get("error", "no console")))
        except BaseException:
            self._replies.pop(request_id, None)
            for fd in ours:
                os.close(fd)
            raise
        # From here each pipe belongs to its transport, which closes it.
        stdout = await _reader(out_r)
        stderr = await _reader(err_r)
        stdin = await _writer(in_w)
        process = ForkedProcess(int(answer["pid"]), stdin, stdout, stderr)
        self._children[process.pid] = process
        return process

    async def _drop(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
            self._reader = None
        parent, self.parent = self.parent, None
        if parent is not None and parent.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                parent.kill()
            with contextlib.suppress(Exception):
                await within(parent.wait(), 5.0)

    async def close(self) -> None:
        """Stop the warm parent (the consoles it started are the gateway's to end)."""
        await self._drop()


async def _send_fds(control: socket.socket, body: bytes, fds: list[int]) -> None:
    """Send one request with its pipes, waiting while the warm parent's queue is full."""
    while True:
        try:
            socket.send_fds(control, [body], fds)
            return
        except BlockingIOError:
            await asyncio.sleep(0.005)


def supported() -> bool:
    """Whether consoles can be forked here (Linux: pidfds and descriptor passing)."""
    return hasattr(os, "pidfd_open") and hasattr(socket, "send_fds") and hasattr(os, "fork")


async def _reader(fd: int) -> asyncio.StreamReader:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 20)
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0)
    )
    return reader


async def _writer(fd: int) -> asyncio.StreamWriter:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.connect_write_pipe(
        asyncio.streams.FlowControlMixin, os.fdopen(fd, "wb", buffering=0)
    )
    return asyncio.StreamWriter(transport, protocol, None, loop)


if __name__ == "__main__":
    main()
