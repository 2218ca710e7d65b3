"""A worker process and the crawl's ends of its two pipes, read and written by the crawl's event loop.

concurrent.futures' process pool hands every task and result through two threads of the crawl's process
(its manager and the queue's feeder): ~0.45 ms of that process's CPU a task, three thread wake-ups, and
the GIL taken from the crawl's thread each time. Here the event loop writes a task straight into the
worker's pipe (non-blocking; what the pipe cannot take yet waits in a buffer) and reads the results when
the pipe is readable: ~0.06 ms a task, no thread.

Messages are pickles framed as multiprocessing.Connection frames (a 4-byte big-endian length, then the
bytes), so the worker reads and answers with a plain blocking Connection:
- to the worker: (task id, function, args); task id 0 asks for no answer;
- from the worker: (task id, ok, the function's result or the error's repr).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import pickle
import struct
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import util
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any

_HEADER = struct.Struct("!i")
_READ = 1 << 20


class WorkerProcess:
    """One worker (running `serve`) with its task pipe's write end and its result pipe's read end."""

    def __init__(self, context: BaseContext, initializer: Callable[[], None]) -> None:
        tasks_out, self.tasks = context.Pipe(duplex=False)
        self.results, results_in = context.Pipe(duplex=False)
        self.process = context.Process(target=serve, args=(tasks_out, results_in, initializer),
                                       name="newsmon-parse", daemon=True)
        self.process.start()
        tasks_out.close()  # the worker's ends: once it is gone, reading its results meets end-of-file
        results_in.close()
        # At exit, before multiprocessing joins its children: end-of-file tells the worker to leave (it
        # ignores SIGTERM), so a pool nobody closed cannot hold up the crawl process's exit.
        util.Finalize(self, _close, args=(self.tasks, self.results), exitpriority=10)
        self.pending: dict[int, asyncio.Future[tuple[bool, Any]]] = {}
        self.known: set[int] = set()  # keys of the values (site profiles, topic rules) sent to it
        self._ids = itertools.count(1)
        self._inbox = bytearray()
        self._outbox = bytearray()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.lost: BaseException | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid

    # Before the event loop: the start's ping, answered within a deadline, on blocking pipes.
    def call_blocking(self, function: Callable[..., Any], *args: Any) -> None:
        self.tasks.send_bytes(pickle.dumps((1, function, args)))

    def answered(self, timeout: float) -> bool:
        if not self.results.poll(timeout):
            return False
        _, ok, value = pickle.loads(self.results.recv_bytes())
        if not ok:
            raise RuntimeError(f"the worker failed to start: {value}")
        return True

    # On the event loop.
    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Read results on `loop` (a test may run each page on a new loop; a crawl has one)."""
        if self._loop is loop:
            return
        self.detach()
        os.set_blocking(self.tasks.fileno(), False)
        os.set_blocking(self.results.fileno(), False)
        loop.add_reader(self.results.fileno(), self._readable)
        self._loop = loop

    def detach(self) -> None:
        loop, self._loop = self._loop, None
        if loop is not None and not loop.is_closed():
            loop.remove_reader(self.results.fileno())
            loop.remove_writer(self.tasks.fileno())

    def call(self, function: Callable[..., Any], *args: Any) -> asyncio.Future[tuple[bool, Any]]:
        """Send a task; the future gives (ok, the result or the error's repr). Raises BrokenProcessPool
        when the worker is gone."""
        assert self._loop is not None, "attach() first"
        if self.lost is not None:
            raise BrokenProcessPool("the worker process is gone") from self.lost
        task = next(self._ids)
        future = self._loop.create_future()
        self.pending[task] = future
        future.add_done_callback(lambda _: self.pending.pop(task, None))  # answered, cancelled or failed
        self.send(task, function, *args)
        return future

    def send(self, task: int, function: Callable[..., Any], *args: Any) -> None:
        message = pickle.dumps((task, function, args), protocol=pickle.HIGHEST_PROTOCOL)
        frame = _HEADER.pack(len(message)) + message
        if self._outbox:  # earlier frames still wait: keep the order
            self._outbox += frame
            return
        try:
            written = os.write(self.tasks.fileno(), frame)
        except BlockingIOError:
            written = 0
        except OSError as exc:  # the worker is gone (EPIPE)
            self._gone(exc)
            raise BrokenProcessPool("the worker process is gone") from exc
        if written < len(frame):
            self._outbox += frame[written:]
            assert self._loop is not None
            self._loop.add_writer(self.tasks.fileno(), self._writable)

    def _writable(self) -> None:
        try:
            written = os.write(self.tasks.fileno(), self._outbox)
        except BlockingIOError:
            return
        except OSError as exc:
            self._gone(exc)
            return
        del self._outbox[:written]
        if not self._outbox and self._loop is not None:
            self._loop.remove_writer(self.tasks.fileno())

    def _readable(self) -> None:
        try:
            data = os.read(self.results.fileno(), _READ)
        except BlockingIOError:
            return
        except OSError as exc:
            self._gone(exc)
            return
        if not data:  # end-of-file: the worker process ended
            self._gone(EOFError("the worker process ended"))
            return
        self._inbox += data
        while len(self._inbox) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._inbox)
            if len(self._inbox) < _HEADER.size + size:
                break
            message = bytes(self._inbox[_HEADER.size:_HEADER.size + size])
            del self._inbox[:_HEADER.size + size]
            try:
                task, ok, value = pickle.loads(message)
            except Exception as exc:  # noqa: BLE001 - a garbled answer: no page of it can be trusted
                self._gone(exc)
                return
            future = self.pending.pop(task, None)
            if future is not None and not future.done():
                future.set_result((ok, value))

    def _gone(self, cause: BaseException) -> None:
        """Every page the worker held fails with BrokenProcessPool (their spiders read them in-process)."""
        if self.lost is None:
            self.lost = cause
        self.detach()
        for future in list(self.pending.values()):
            if not future.done() and not future.get_loop().is_closed():
                future.set_exception(BrokenProcessPool("the worker process ended"))
        self.pending.clear()

    def close(self, wait: float) -> None:
        """Fail the pages it still holds, close both pipes (the worker leaves at end-of-file, or when its answer
        cannot be written), wait up to `wait` s, then kill it."""
        self._gone(EOFError("the pool was closed"))
        _close(self.tasks, self.results)
        self.process.join(timeout=wait)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()


def _close(*connections: Connection) -> None:
    for connection in connections:
        connection.close()


def serve(tasks: Connection, results: Connection, initializer: Callable[[], None]) -> None:
    """The worker's loop: run each task, answer it (unless its id is 0); leave when the crawl closes its
    pipes or is gone (end-of-file, a broken pipe), never with a traceback."""
    initializer()
    while True:
        try:
            task, function, args = pickle.loads(tasks.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            return
        try:
            answer = (task, True, function(*args))
        except Exception as exc:  # noqa: BLE001 - the page fails, the worker goes on
            answer = (task, False, repr(exc))
        if not task:
            continue
        try:
            message = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled: say so instead
            message = pickle.dumps((task, False, repr(exc)))
        try:
            results.send_bytes(message)
        except OSError:
            return
