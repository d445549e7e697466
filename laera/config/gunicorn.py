"""gunicorn's configuration for Læra: `gunicorn -c python:laera.config.gunicorn`.

Serves `laera.config.wsgi:application` on PORT (default 8000) with WEB_CONCURRENCY workers (default 1).
Before any worker starts, it refuses to run several workers without a shared cache (CACHE_URL), however
the count was given (`-w 4` on the command line included), and tells the workers the real count in
LAERA_WORKERS so the production settings check it too.

Plain Python without Django or gunicorn imports, so it can be read and tested without either.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

wsgi_app = "laera.config.wsgi:application"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "").strip() or 1)
accesslog = "-"


def refuse_without_shared_cache(worker_count: int, environ: Mapping[str, str]) -> None:
    """Raise RuntimeError (gunicorn prints it and exits) for several workers without CACHE_URL."""
    if worker_count > 1 and not environ.get("CACHE_URL"):
        raise RuntimeError(
            f"Læra is set to run {worker_count} gunicorn workers without a shared cache: set CACHE_URL "
            "(e.g. redis://cache:6379/0), or run one worker (-w 1)."
        )


def on_starting(server: Any) -> None:
    worker_count = int(server.cfg.workers)
    refuse_without_shared_cache(worker_count, os.environ)
    os.environ["LAERA_WORKERS"] = str(worker_count)
