"""`laera worker`: run a background worker until Ctrl+C or SIGTERM (laera/core/worker.py).

Run one per server beside the web processes (PostgreSQL: as many as the work needs, on any servers; they
share the queue). `--batch` runs what is queued and stops, for scripts and tests.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS

from laera.core.worker import LaeraWorker


class Command(BaseCommand):
    help = "Run a background worker: queued tasks, periodic tasks, and tasks lost by stopped workers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue", default="*", help="the queues to take tasks from, separated by commas (default: all)"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds to wait when the queue is empty (default: 1)"
        )
        parser.add_argument("--batch", action="store_true", help="run what is queued, then stop")
        parser.add_argument("--max-tasks", type=int, default=None, help="stop after this many tasks")
        parser.add_argument(
            "--worker-id", default="", help="a name unique among the workers (default: made up at start)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = LaeraWorker(
            queue_names=options["queue"].split(","),
            interval=max(options["interval"], 0.0),
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=(options["worker_id"] or get_random_string(32))[:64],
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
