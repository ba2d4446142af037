"""The DB lane: jobs run on one worker thread with their own connection, results come back in order."""

from __future__ import annotations

import threading

import pytest

from shopdesk.errors import UserError
from shopdesk.services.members import count_members
from shopdesk.services.progress import CancelledError, report
from shopdesk.ui.events import MEMBERS
from shopdesk.ui.tasks import SyncTaskRunner, TaskRunner


@pytest.fixture
def lane(qtbot, events):
    runner = TaskRunner(events=events)
    yield runner
    assert runner.wait(5000)


def test_a_job_runs_off_the_gui_thread_and_reports_back_in_it(qtbot, lane, add_members):
    add_members(3)
    seen: dict[str, object] = {}

    def count() -> int:
        seen["thread"] = threading.current_thread()
        return count_members()

    job = lane.run(count, on_done=lambda result: seen.update(result=result, back=threading.current_thread()))
    with qtbot.waitSignal(job.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [3]
    assert seen["thread"] is not threading.main_thread()
    assert seen["back"] is threading.main_thread()


def test_jobs_run_one_at_a_time_in_order(qtbot, lane, shop):
    order: list[int] = []
    jobs = [lane.run(order.append, number) for number in range(5)]
    with qtbot.waitSignals([job.finished for job in jobs], timeout=5000):
        pass
    assert order == [0, 1, 2, 3, 4]
    assert not lane.busy()


def test_held_jobs_wait_for_release_then_run_in_order(qtbot, lane, shop):
    order: list[int] = []
    lane.hold()  # as while the window is built and painted for the first time
    jobs = [lane.run(order.append, number) for number in range(3)]
    lane._executor.submit(lambda: None).result(timeout=5)  # the lane is serial: nothing was handed to it
    assert order == [] and lane.busy()
    lane.release()
    with qtbot.waitSignals([job.finished for job in jobs], timeout=5000):
        pass
    assert order == [0, 1, 2]


def test_waiting_releases_held_jobs_first(qtbot, lane, shop):
    order: list[int] = []
    lane.hold()
    lane.run(order.append, 1)
    assert lane.wait(5000)
    assert order == [1]


def test_success_announces_the_change_flags_before_on_done(qtbot, lane, events, shop):
    calls: list[object] = []
    events.changes_applied.connect(lambda changes, initiator: calls.append((changes, initiator)))
    job = lane.run(lambda: 7, changes={MEMBERS}, initiator="me", on_done=calls.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert calls == [({MEMBERS}, "me"), 7]


def test_a_failure_goes_to_on_error_and_announces_nothing(qtbot, lane, events, shop):
    announced: list[object] = []
    errors: list[BaseException] = []
    events.changes_applied.connect(lambda *args: announced.append(args))

    def refuse() -> None:
        raise UserError("No.")

    job = lane.run(refuse, changes={MEMBERS}, on_error=errors.append)
    with qtbot.waitSignal(job.failed, timeout=5000):
        pass
    assert [str(error) for error in errors] == ["No."]
    assert announced == []


def test_an_unhandled_user_error_is_shown_as_a_message(qtbot, lane, messages, shop):
    def refuse() -> None:
        raise UserError("This coupon has expired.")

    job = lane.run(refuse)
    with qtbot.waitSignal(job.failed, timeout=5000):
        pass
    assert [(message.kind, message.text) for message in messages] == [("warning", "This coupon has expired.")]


def test_cancel_stops_long_work_at_its_next_progress_report(qtbot, lane, shop):
    started = threading.Event()
    release = threading.Event()
    steps: list[int] = []

    def long_work(progress) -> str:
        started.set()
        release.wait(5)
        for done in range(1000):
            steps.append(done)
            report(progress, done, 1000)
        return "finished"

    errors: list[BaseException] = []
    job = lane.run(long_work, progress_label="Working…", on_error=errors.append)
    assert started.wait(5)
    job.cancel()
    release.set()
    with qtbot.waitSignal(job.failed, timeout=5000):
        pass
    assert isinstance(errors[0], CancelledError)
    assert len(steps) == 1


def test_progress_steps_reach_the_gui_thread(qtbot, lane, shop):
    received: list[tuple[int, int]] = []

    def work(progress) -> None:
        for done in range(1, 4):
            progress.step(done, 3)

    job = lane.run(work, progress_label="Working…")
    job.progressed.connect(lambda done, total, message: received.append((done, total)))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert received[-1] == (3, 3)


def test_the_synchronous_runner_has_the_same_outcomes(events, shop, messages):
    runner = SyncTaskRunner(events=events)
    results: list[object] = []
    runner.run(lambda a, b: a + b, 2, 3, on_done=results.append)
    runner.run(lambda: (_ for _ in ()).throw(UserError("Bad.")), on_error=results.append)
    assert results[0] == 5
    assert isinstance(results[1], UserError)
    assert messages == []


def test_the_lane_keeps_its_connection_between_jobs_and_closes_it_at_the_end(qtbot, events, shop):
    import sqlite3

    from shopdesk.db.models import database_proxy

    runner = TaskRunner(events=events)
    seen: list[object] = []
    jobs = [runner.run(database_proxy.connection, on_done=seen.append) for _ in range(2)]
    with qtbot.waitSignals([job.finished for job in jobs], timeout=5000):
        pass
    first, second = seen
    assert first is second  # one connection, its page cache warm
    assert first is not database_proxy.connection()  # not the GUI thread's
    assert runner.wait(5000)

    def closed(connection: sqlite3.Connection) -> bool:
        try:
            connection.execute("SELECT 1")
        except sqlite3.ProgrammingError:
            return True
        return False

    check = runner.run(closed, first)
    with qtbot.waitSignal(check.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [True]
    assert runner.wait(5000)
