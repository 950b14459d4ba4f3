"""Worker processes for the two steps that can use every core: parsing many pages, and black on
many blocks.

Workers die with the run that started them: killed with SIGKILL or not, a run leaves no process
behind that holds the caller's pipes (a CI step would wait for them) or the output folder's lock.
Ctrl-C is the parent's to handle; an interrupted or failed run stops its workers at once instead
of letting them finish the queue."""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def worker_pool() -> ProcessPoolExecutor | None:
    """A forked process per core (up to 8), or None on one core or where forking is not safe:
    another thread (`docmodels watch`'s watcher) might hold a lock the child would inherit."""
    # Imported here: a run that parses a page or two never pays for importing multiprocessing.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None

    class Pool(ProcessPoolExecutor):
        def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Any:
            if exc_type is not None:  # interrupted or failed: the queue's results are not wanted
                _kill(self)
            return super().__exit__(exc_type, exc, tb)

    _prepare_parent()
    return Pool(workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker, initargs=(os.getpid(),))


def _kill(pool: ProcessPoolExecutor) -> None:
    pool.shutdown(wait=False, cancel_futures=True)
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        try:
            process.kill()
        except (OSError, AttributeError, ValueError):
            pass


_libc: Any = None


def _prepare_parent() -> None:
    """Load what a worker needs to die with its parent before forking (not in each worker)."""
    global _libc
    if _libc is None and sys.platform.startswith("linux"):
        try:
            import ctypes

            _libc = ctypes.CDLL(None, use_errno=True)
        except (ImportError, OSError):
            _libc = False


def _start_worker(parent: int) -> None:
    """In each worker, first: die with the parent (Linux: the kernel sends SIGKILL when the parent
    dies; elsewhere a thread watches for it), leave Ctrl-C to the parent, and let go of the
    output and cache folders' descriptors (and so of the lock) inherited from it."""
    if _libc:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, signal.SIG_DFL)
    from .output import OPEN_FOLDERS

    for fd in list(OPEN_FOLDERS):
        try:
            os.close(fd)
        except OSError:
            pass
    OPEN_FOLDERS.clear()


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)
