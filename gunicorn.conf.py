"""gunicorn settings for `jobboard serve` (the Procfile's web process) and `jobboard run`.

Metrics: the workers share their request metrics through prometheus_client's
multiprocess mode. PROMETHEUS_MULTIPROC_DIR must be set before any worker imports
prometheus_client, so it is set here, at config load in the master: a fresh temp
directory unless the environment names one (emptied at start, as the client
requires). A dead worker's live gauges are dropped in `child_exit`; the temp
directory, not one the environment named, is removed when the master exits.

Logs: one JSON object per line on stderr for gunicorn's own lines and the app's;
the app writes the access lines itself (with the request id), so gunicorn's
access log is off. Command-line flags override anything set here.
"""

import os
import shutil
import tempfile
from pathlib import Path

# In the environment, so that a config reload (SIGHUP) still knows the directory is ours.
METRICS_DIR_MADE = "JOBBOARD_METRICS_DIR_MADE"

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    made = tempfile.mkdtemp(prefix="jobboard-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ[METRICS_DIR_MADE] = made

wsgi_app = "api:create_app()"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 30  # a worker silent this long is killed; requests' SQL gives up at 20 s (settings)
graceful_timeout = 10  # a deploy or SIGTERM waits this long for requests in flight
accesslog = None
# The longest request line gunicorn allows (its default, 4094, is about half): ten tags of 60
# Japanese letters and a search of 200 are a valid query of over 7,000 bytes once encoded,
# and gunicorn's own 414 is an HTML page where the API promises JSON.
limit_request_line = 8190
# One control socket per user would be shared by every instance on the machine.
control_socket_disable = True

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "api.logs.RequestIdFilter"},
        "redact": {"()": "api.logs.RedactSecretPaths"},
    },
    "formatters": {"json": {"()": "api.logs.formatter"}},
    "handlers": {
        "json": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "redact"],
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "INFO", "handlers": ["json"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}


def on_starting(server):
    """Start from empty metric files: counts left by an earlier server would be added in."""
    for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        stale.unlink()


def when_ready(server):
    if not os.environ.get("SECRET_KEY"):
        server.log.warning(
            "SECRET_KEY is unset: the workers share the key made for this machine in "
            "instance/secret_key; production on several machines must set the same "
            "SECRET_KEY on each"
        )
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "").strip() or "memory://"
    if server.cfg.workers > 1 and storage.startswith("memory://"):
        server.log.warning(
            "RATELIMIT_STORAGE_URI is memory://: each of the %d workers counts rate limits "
            "on its own; set it to redis://... in production",
            server.cfg.workers,
        )


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics directory made at start, unless a new master (USR2) now uses it."""
    made = os.environ.get(METRICS_DIR_MADE)
    if made and made == os.environ["PROMETHEUS_MULTIPROC_DIR"] and not server.reexec_pid:
        shutil.rmtree(made, ignore_errors=True)
