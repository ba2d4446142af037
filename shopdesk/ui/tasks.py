"""The serial DB lane: service calls that write or take long run off the UI thread, one at a time.

One worker thread (``ThreadPoolExecutor(max_workers=1)``, as Anki's DB lane) runs the jobs. Peewee
connections are per thread, so the lane has a connection of its own, opened by its first job and kept (its
page cache stays warm); a ``StorageError`` closes it so the next job reconnects, and ``wait()`` closes it
(so SQLite checkpoints its WAL at exit). Jobs queue in order, so two writes from the same screen can never
overtake each other. When a job succeeds, the runner announces its change flags on ``ui.events`` and
then calls ``on_done``; a failure goes to ``on_error`` or to ``ui.errors.report_error``.

Long work takes a ``progress`` object (``services.progress.Progress``); when the caller gives a
``progress_label`` the job gets one backed by a ``QProgressDialog`` with a Cancel button.

Tests (and anything that must finish before the next line) use ``SyncTaskRunner``: same interface, run
at once in the calling thread, on the connection that thread already has.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from shopdesk.db.models import database_proxy
from shopdesk.errors import StorageError
from shopdesk.i18n import _
from shopdesk.services.progress import CancelledError
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import AppEvents, app_events

Callback = Callable[[Any], object]
PROGRESS_INTERVAL = 0.05  # seconds between two progress signals: a dialog cannot show more than 20 a second


class JobProgress:
    """A ``services.progress.Progress`` that forwards steps to the job and reads its cancel flag.

    ``step`` is called on the worker thread; it only emits a (queued) signal, throttled.
    """

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()
        self._last = 0.0

    def step(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if done >= total or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self._emit(done, total, message)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class Job(QObject):
    """One queued call; its signals are delivered in the GUI thread."""

    finished = Signal(object)  # the call's result
    failed = Signal(object)  # the exception it raised
    progressed = Signal(int, int, str)  # done, total, message
    _stepped = Signal(int, int, str)  # emitted on the worker thread, re-emitted as ``progressed`` here

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, *, with_progress: bool) -> None:
        super().__init__()
        self._stepped.connect(self.progressed, Qt.ConnectionType.QueuedConnection)
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.progress = JobProgress(self._relay_progress) if with_progress else None
        self.done = False

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report (its transaction then rolls back)."""
        if self.progress is not None:
            self.progress.cancel()

    def cancelled(self) -> bool:
        return self.progress is not None and self.progress.cancelled()

    def call(self) -> Any:
        """Run the call here and now (in whatever thread the runner chose)."""
        if self.cancelled():
            raise CancelledError()
        kwargs = dict(self.kwargs)
        if self.progress is not None:
            kwargs["progress"] = self.progress
        return self.fn(*self.args, **kwargs)

    def _relay_progress(self, done: int, total: int, message: str) -> None:
        self._stepped.emit(done, total, message)


class _ProgressView(QObject):
    """Shows a job's steps in its dialog (a QObject method, not a closure: see ``_Outcomes``)."""

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def show_step(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if message:
            self.dialog.setLabelText(message)


class _Outcomes(QObject):
    """Lives in the GUI thread; the lane emits a job's outcome here, and Qt queues it to the GUI thread.

    One object per runner, connected once to the runner's own methods: per-job relays connected to
    closures left PySide's shared receiver objects to be deleted with pending events ("shared QObject
    was deleted directly"), which crashed.
    """

    succeeded = Signal(object, object)  # job, result
    raised = Signal(object, object)  # job, exception


def _run_job(job: Job, outcomes: _Outcomes) -> None:
    """The lane's side of a job: run it on the lane's connection and hand the outcome to the GUI thread."""
    try:
        _connect_here()
        result = job.call()
    except BaseException as exc:
        if isinstance(exc, StorageError):
            _close_here()  # a dropped server or a broken file: the next job connects afresh
        outcomes.raised.emit(job, exc)
    else:
        outcomes.succeeded.emit(job, result)


def _connect_here() -> None:
    database = database_proxy.obj
    if database is not None and database.is_closed():
        database.connect()


def _close_here() -> None:
    database = database_proxy.obj
    if database is not None and not database.is_closed():
        database.close()


class BaseTaskRunner(QObject):
    """What both runners share: bookkeeping of the outcome, change flags, progress dialogs."""

    def __init__(self, parent: QObject | None = None, events: AppEvents | None = None) -> None:
        super().__init__(parent)
        self.events = events or app_events()
        self._active: set[Job] = set()

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        changes: Iterable[str] = (),
        initiator: object = None,
        on_done: Callback | None = None,
        on_error: Callback | None = None,
        progress_label: str | None = None,
        parent: QWidget | None = None,
        **kwargs: Any,
    ) -> Job:
        """Queue ``fn(*args, **kwargs)`` on the DB lane and return its Job.

        ``changes`` are announced on success (before ``on_done``); ``progress_label`` adds a progress
        dialog and passes ``progress=`` to ``fn``; errors go to ``on_error`` or are reported on ``parent``.
        """
        job = Job(fn, args, kwargs, with_progress=progress_label is not None)
        self._active.add(job)
        flags = set(changes)
        dialog = self._progress_dialog(job, progress_label, parent) if progress_label is not None else None

        def succeeded(result: object) -> None:
            self._end(job, dialog)
            self.events.announce(flags, initiator)
            if on_done is not None:
                on_done(result)
            job.finished.emit(result)

        def raised(exc: object) -> None:
            self._end(job, dialog)
            if on_error is not None:
                on_error(exc)
            else:
                report_error(parent, exc)  # type: ignore[arg-type]
            job.failed.emit(exc)

        self._start(job, succeeded, raised)
        return job

    def _start(self, job: Job, succeeded: Callback, raised: Callback) -> None:
        raise NotImplementedError

    def _end(self, job: Job, dialog: QProgressDialog | None) -> None:
        job.done = True
        self._active.discard(job)
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()

    def _progress_dialog(self, job: Job, label: str, parent: QWidget | None) -> QProgressDialog:
        dialog = QProgressDialog(label, _("Cancel"), 0, 0, parent)
        dialog.setWindowTitle(_("ShopDesk"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # quick jobs finish before any dialog flashes up
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(job.cancel)
        view = _ProgressView(dialog)
        job.progressed.connect(view.show_step)
        return dialog

    def busy(self) -> bool:
        """True while a job is queued or running."""
        return bool(self._active)

    def hold(self) -> None:
        """Queue new jobs without starting them until ``release`` (a runner that runs at once ignores it)."""

    def release(self) -> None:
        """Start the jobs queued since ``hold``, in order."""

    def wait(self, msecs: int = -1) -> bool:
        """Block until the lane is idle (at shutdown); True when it is."""
        return True


class TaskRunner(BaseTaskRunner):
    """The real lane: one worker thread, jobs in order, results back in the GUI thread.

    The thread is a Python thread (``ThreadPoolExecutor(max_workers=1)``, as in Anki), not a QThreadPool
    thread: Python forgets the thread-local state of a foreign thread after each call, and with it
    Peewee's per-thread connection.
    """

    def __init__(self, parent: QObject | None = None, events: AppEvents | None = None) -> None:
        super().__init__(parent, events)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shopdesk-db")
        self._outcomes = _Outcomes(self)
        self._outcomes.succeeded.connect(self._succeeded)
        self._outcomes.raised.connect(self._raised)
        self._handlers: dict[Job, tuple[Callback, Callback]] = {}
        self._held: list[Job] | None = None

    def hold(self) -> None:
        """Keep new jobs queued until ``release``: while the window is built and painted for the first time,
        the lane's Python would take turns with it for the interpreter and delay the first paint."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        held, self._held = self._held, None
        for job in held or ():
            self._executor.submit(_run_job, job, self._outcomes)

    def _start(self, job: Job, succeeded: Callback, raised: Callback) -> None:
        self._handlers[job] = (succeeded, raised)
        if self._held is not None:
            self._held.append(job)
        else:
            self._executor.submit(_run_job, job, self._outcomes)

    def _succeeded(self, job: Job, result: object) -> None:
        succeeded, _raised = self._handlers.pop(job)
        succeeded(result)

    def _raised(self, job: Job, exc: object) -> None:
        _succeeded, raised = self._handlers.pop(job)
        raised(exc)

    def wait(self, msecs: int = -1) -> bool:
        """Cancel what can be cancelled, let the rest finish, close the lane's connection."""
        self.release()
        for job in list(self._active):
            job.cancel()
        closer = self._executor.submit(_close_here)  # the lane is serial: when this ran, all jobs had
        done, _pending = futures.wait([closer], timeout=None if msecs < 0 else msecs / 1000)
        return closer in done


class SyncTaskRunner(BaseTaskRunner):
    """Runs each job at once in the calling thread (tests, and flows that need the result now)."""

    def _start(self, job: Job, succeeded: Callback, raised: Callback) -> None:
        try:
            result = job.call()
        except Exception as exc:
            raised(exc)
        else:
            succeeded(result)
