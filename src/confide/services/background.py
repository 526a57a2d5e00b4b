"""Background work: Django's task framework (the django-tasks backport) with its
database backend (django-tasks-db), so there is no other service to run.

- `periodic` is the minute's housekeeping: automatic reminders whose time has come
  (services.reminders) and the sign-in records past their retention
  (services.sessions.sign_in_records_prune).
- `document_render` renders a large PDF (services.documents) away from the request.

`confide worker` (`worker_run`) runs the tasks as they are enqueued and, once a minute,
enqueues `periodic` (the scheduler loop); `confide serve --with-worker` (what `make run`
does) starts one beside the server and stops it with the server. Production runs the
worker as its own systemd unit (deploy/confide-worker.service). Without a worker,
`confide tasks tick` does the minute's work once (for cron) and `confide tasks run`
runs what is queued and returns.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import uuid

from django.db import close_old_connections
from django_tasks import task

log = logging.getLogger("confide.background")

TICK_SECONDS = 60


@task()
def periodic() -> dict:
    """The minute's work; counts of what it did (kept with the task's result)."""
    return tick()


# How long what the background leaves is kept: a finished task's row (its arguments are
# ids, its result counts) and a prepared document (a sealed PDF its asker has had time to
# open; they can ask again).
TASK_RESULT_DAYS = 2
DOCUMENT_DAYS = 7


def tick() -> dict:
    from confide.services.reminders import reminders_send_due
    from confide.services.sessions import sign_in_records_prune

    return {"reminders": reminders_send_due(), "sign_in": sign_in_records_prune(), "kept": background_prune()}


def background_prune(now=None) -> dict:
    """Delete finished task rows and prepared documents past their time; counts.
    Documents a practice at a time: each DELETE names its practice (on Citus, one shard
    each rather than every shard at once). The task queue is the installation's."""
    from datetime import datetime, timedelta, timezone

    from django_tasks_db.models import DBTaskResult

    from confide.apps.practice.models import Practice
    from confide.apps.records.models import PreparedDocument

    now = now or datetime.now(timezone.utc)
    tasks = DBTaskResult.objects.filter(finished_at__lt=now - timedelta(days=TASK_RESULT_DAYS)).delete()[0]
    expired = now - timedelta(days=DOCUMENT_DAYS)
    documents = sum(PreparedDocument.objects.filter(practice_id=practice_id, created_at__lt=expired).delete()[0]
                    for practice_id in Practice.objects.order_by("id").values_list("id", flat=True))
    return {"task_results": tasks, "documents": documents}


@task()
def document_render(document_id: str) -> str:
    """Render one requested document (services.documents); its status."""
    from confide.services.documents import document_build

    return document_build(document_id)


def _queued():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(backend_name="default", queue_name="default")


def tasks_run_pending(limit: int | None = None) -> int:
    """Run the queued tasks in this process, one after another, until none is ready;
    how many ran. Each is claimed and run exactly as the worker does (django-tasks-db's
    `Worker.run_task`), but without the worker loop's closing of database connections,
    so that it also runs inside a transaction (tests; `confide tasks run`)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=limit, worker_id=f"inprocess-{uuid.uuid4().hex[:8]}", excluded_queue_names=[])
    ran = 0
    while limit is None or ran < limit:
        queued = _queued()
        with exclusive_transaction(queued.db):
            result = queued.get_locked()
            if result is not None:
                result.claim(worker.worker_id)
        if result is None:
            return ran
        worker.run_task(result)
        ran += 1
    return ran


def periodic_enqueue_once() -> bool:
    """Enqueue the minute's `periodic` unless one is already waiting; True if enqueued."""
    from django_tasks_db.models import DBTaskResult

    path = f"{periodic.func.__module__}.{periodic.func.__qualname__}"
    if DBTaskResult.objects.ready().filter(task_path=path).exists():
        return False
    periodic.enqueue()
    return True


def worker_run(*, parent_pid: int | None = None, tick_seconds: int = TICK_SECONDS, interval: float = 1.0) -> None:
    """The worker: runs tasks as they come (django-tasks-db's worker loop) while a
    scheduler thread enqueues `periodic` every `tick_seconds`. With `parent_pid` (the
    server that started it), it stops when that process is gone."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=interval, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id=f"confide-{os.getpid()}",
                    excluded_queue_names=[])
    worker.configure_signals()

    def scheduler() -> None:
        next_tick = 0.0
        while True:
            if parent_pid is not None and os.getppid() != parent_pid:
                log.warning("the server that started this worker is gone: stopping")
                os.kill(os.getpid(), signal.SIGTERM)
                return
            if time.monotonic() >= next_tick:
                try:
                    periodic_enqueue_once()
                except Exception as exc:  # noqa: BLE001 - a busy database: try again next minute
                    log.warning("periodic task not enqueued class=%s", type(exc).__name__)
                finally:
                    close_old_connections()
                next_tick = time.monotonic() + tick_seconds
            time.sleep(0.5)

    threading.Thread(target=scheduler, name="confide-scheduler", daemon=True).start()
    worker.run()


__all__ = ["periodic", "document_render", "tick", "tasks_run_pending", "periodic_enqueue_once", "worker_run"]
