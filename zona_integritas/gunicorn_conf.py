"""gunicorn settings for `make serve-prod` (docs/deploy.md); each can be overridden by the
environment variable named beside it."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# a full-plan report renders in several seconds; uploads of 20 MB on slow links take longer
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
max_requests = 2000          # recycle workers now and then (memory of long-lived processes)
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """The loaded application's objects live as long as the worker: keep them out of the
    garbage collector's full scans, which otherwise add 50-70 ms to a large page now and
    then (the LKE page: p95 163 -> 104 ms, docs/performance.md)."""
    gc.freeze()
