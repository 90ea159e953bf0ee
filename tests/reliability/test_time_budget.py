"""One pathological snapshot costs a rejection within its time budget, not a run that never ends."""

import re
import threading
import time

import pytest

from newsetl.time_budget import OverBudget, time_budget


def test_a_slow_step_is_stopped_at_its_budget():
    started = time.monotonic()
    with pytest.raises(OverBudget, match="time budget of 0.2 s"):
        with time_budget(0.2):
            re.match(r"(a+)+$", "a" * 40 + "b")  # catastrophic backtracking: minutes without the budget
    assert time.monotonic() - started < 5


def test_a_fast_step_keeps_its_result_and_leaves_no_timer_behind():
    with time_budget(5):
        value = sum(range(1000))
    assert value == 499500
    time.sleep(0.01)  # an armed timer would fire into the test later


def test_outside_the_main_thread_the_step_runs_unbounded():
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(_run_in_budget()))
    worker.start()
    worker.join()
    assert outcome == ["done"]


def _run_in_budget():
    with time_budget(0.01):
        time.sleep(0.05)
    return "done"


def test_a_snapshot_over_its_budget_is_a_rejection_with_the_reason(monkeypatch):
    from datetime import datetime

    import newsetl.extract as extract
    from newsetl.article import RejectedSnapshot
    from newsetl.landing import RawSnapshot
    from newsetl.process import process_one

    def endless(text, ctx):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(extract, "extract_text", endless)
    snapshot = RawSnapshot("slow.txt", "text", "text", b"a page that never finishes", ingested_at=datetime(2026, 1, 1))
    rejection = process_one(snapshot, frozenset(), budget_seconds=0.2)
    assert isinstance(rejection, RejectedSnapshot)
    assert rejection.stage == "extract" and "time budget of 0.2 s" in rejection.reason
