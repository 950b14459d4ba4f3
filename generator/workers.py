"""Worker processes for the two steps that can use every core: parsing many pages, and black on
many blocks."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


def worker_pool() -> ProcessPoolExecutor | None:
    """A forked process per core (up to 8), or None on one core or where forking is not safe:
    another thread (`docmodels watch`'s watcher) might hold a lock the child would inherit."""
    # Imported here: a run that parses a page or two never pays for importing multiprocessing.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
