"""A wall-clock budget for one snapshot's cleaning, so that one pathological page costs a rejection
("over its time budget"), never a run that does not end.

It uses SIGALRM (`setitimer`), which interrupts pure-Python code and regex matching between bytecodes
and lands in the main thread only: the cleaning workers are processes whose main thread does the work.
Where no timer can be set (another thread, a platform without SIGALRM) the code runs unbounded; the
caller does not need to know.
"""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn


class OverBudget(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"cleaning took longer than its time budget of {seconds:g} s")


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise OverBudget inside the block once `seconds` of wall time have passed (None or 0: no budget)."""
    if not seconds or not _can_alarm():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> NoReturn:
        raise OverBudget(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
