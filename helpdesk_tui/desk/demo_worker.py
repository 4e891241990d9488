"""Generate the demo history in a second process while this one writes it to SQLite.

The machine has two cores and the work splits in two halves of similar
size: inventing a million tickets' journeys (pure Python) and binding their
rows into SQLite. A forked child runs :meth:`History.stream` and sends each
batch, serialised, through a pipe; a thread here keeps the pipe drained so the
child never waits while this process is busy in SQLite. The child inherits
the generator's state by ``fork``, so the batches are exactly those the
same stream gives in-process (tests compare both); where ``fork`` is not
available the stream simply runs here. Batches travel as ``marshal`` data
(plain tuples of text and numbers; both ends are the same interpreter),
which is about twice as fast as pickle for them.
"""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import os
import queue
import threading
import traceback
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from .demo_history import History

Batch = tuple[str, list[tuple[Any, ...]]]


def batches(history: History, size: int, *, parallel: bool) -> Iterator[Batch]:
    """The history's ``(table, rows)`` batches, from a child process when ``parallel``.

    The child starts at once, so the caller can do other work (insert the
    customers) before taking the first batch.
    """
    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
        return history.stream(size)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(history, size, sender), daemon=True)
    child.start()
    sender.close()
    inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(receiver, inbox), daemon=True).start()
    return _collect(child, receiver, inbox)


def _collect(
    child: multiprocessing.process.BaseProcess,
    receiver: Connection,
    inbox: queue.SimpleQueue[bytes | None],
) -> Iterator[Batch]:
    """Unpack the child's batches in order; stop it if the caller stops early."""
    try:
        while True:
            data = inbox.get()
            if data is None:
                raise RuntimeError("the demo generator stopped without finishing")
            kind, payload = marshal.loads(data)
            if kind == "done":
                return
            if kind == "error":
                raise RuntimeError(f"the demo generator failed:\n{payload}")
            yield kind, payload
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        receiver.close()


def _produce(history: History, size: int, sender: Connection) -> None:
    """In the child: stream the batches, then leave without running any cleanup.

    ``os._exit`` because the inherited SQLite connection belongs to the
    parent: finalising it here could disturb the parent's file locks.
    """
    try:
        for batch in history.stream(size):
            sender.send_bytes(marshal.dumps(batch))
        sender.send_bytes(marshal.dumps(("done", [])))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        with contextlib.suppress(OSError):
            sender.send_bytes(marshal.dumps(("error", traceback.format_exc())))
    finally:
        os._exit(0)


def _receive(receiver: Connection, inbox: queue.SimpleQueue[bytes | None]) -> None:
    """Move serialised batches from the pipe to the inbox as soon as they arrive."""
    try:
        while True:
            inbox.put(receiver.recv_bytes())
    except (EOFError, OSError):
        inbox.put(None)
