"""`jobboard serve` (gunicorn) and `jobboard run` (development: migrate, web and clock together)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click

from api import settings
from api.commands.clock import check_clock_settings
from models import config, migrate
from models.config import checkout_path

CLOCK_ARGV = [sys.executable, "-m", "api.cli", "scheduler"]
STOP_TIMEOUT = 15  # seconds a child may take to stop before it is killed
# How `run` names each stop signal and the status it exits with: 130 for Ctrl-C, by convention.
STOP_SIGNALS = {signal.SIGINT: ("Ctrl-C", 130), signal.SIGTERM: ("SIGTERM", 0)}


WORKERS = click.IntRange(1, 64)
WORKERS_RANGE = range(WORKERS.min, WORKERS.max + 1)
PORTS = range(1, 65536)


def web_concurrency() -> int:
    """gunicorn's workers from WEB_CONCURRENCY (unset or empty: 2), named when it is bad.

    Checked even beside --workers, since gunicorn.conf.py reads it too (an int() traceback).
    """
    return config.whole_number("WEB_CONCURRENCY", 2, WORKERS_RANGE, "workers")


def port() -> int:
    """The port from PORT (unset or empty: 8000): a bad one named, not as a --bind never given."""
    text = os.environ.get("PORT", "").strip()
    if not text:
        return 8000
    if not (text.isascii() and text.isdigit() and int(text) in PORTS):
        raise config.ConfigError(f"PORT must be a port number from 1 to 65535, not {text!r}")
    return int(text)


def bind_address(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """HOST:PORT (or unix:PATH) as gunicorn takes it, checked here rather than in its traceback."""
    if value is None or value.startswith("unix:"):
        return value
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or int(port) not in PORTS:
        raise click.BadParameter(f"{value!r} is not HOST:PORT with a port from 1 to 65535")
    return value


def check_web_settings() -> None:
    """Read the settings as each worker will: a bad one is one line here, not a worker traceback."""
    settings.from_environment()
    config.stale_days()  # job pages read it to say until when a job is listed


def gunicorn_argv(bind: str, workers: int) -> list[str]:
    """gunicorn with the project config (JSON logs, shared metrics); flags win over the file.

    An empty WEB_CONCURRENCY is handed on as unset, which it means here: gunicorn and
    gunicorn.conf.py int() it themselves, and int('') was their traceback.
    """
    web_concurrency()
    if not os.environ.get("WEB_CONCURRENCY", "unset").strip():
        del os.environ["WEB_CONCURRENCY"]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(checkout_path("gunicorn.conf.py")),
        "--bind",
        bind,
        "--workers",
        str(workers),
        "api:create_app()",
    ]


@click.command("serve")
@click.option(
    "--bind",
    show_default="0.0.0.0:$PORT or 8000",
    help="Address to listen on.",
    callback=bind_address,
)
@click.option("--workers", show_default="WEB_CONCURRENCY or 2", type=WORKERS)
def serve(bind: str | None, workers: int | None) -> None:
    """Serve the board and the API with gunicorn (production web process)."""
    check_web_settings()
    bind = bind or f"0.0.0.0:{port()}"
    os.execv(sys.executable, gunicorn_argv(bind, workers or web_concurrency()))


@click.command("run")
@click.option("--bind", default="127.0.0.1:8000", show_default=True, callback=bind_address)
@click.option("--workers", default=2, show_default=True, type=WORKERS)
def run(bind: str, workers: int) -> None:
    """Development: migrate, then run the web server and the clock until Ctrl-C or SIGTERM.

    Links (feeds, newsletter, robots.txt) go to --bind unless JOBBOARD_BASE_URL is set.
    """
    web = gunicorn_argv(bind, workers)
    if not os.environ.get("JOBBOARD_BASE_URL", "").strip() and not bind.startswith("unix:"):
        os.environ["JOBBOARD_BASE_URL"] = f"http://{bind}"  # links to this server, not :8000
    check_web_settings()
    check_clock_settings()
    migrate.upgrade()
    stop_requests: list[int] = []
    for signum in STOP_SIGNALS:  # even when SIGINT came ignored, as in a script's background job
        signal.signal(signum, lambda signum, _frame: stop_requests.append(signum))
    children = [subprocess.Popen(web), subprocess.Popen(CLOCK_ARGV)]
    click.echo(f"jobboard running: board at http://{bind}/ (Ctrl-C stops)")
    try:
        status = supervise(children, stop_requests)
    finally:
        stop(children)
    sys.exit(status)


def supervise(children: list[subprocess.Popen], stop_requests: list[int]) -> int:
    """Wait for a stop signal or a child's exit; returns the exit status of `run`.

    A child's exit counts as a crash only if no stop was asked for: on Ctrl-C the
    terminal signals the children too, and they may exit before this loop looks.
    """
    while True:
        exited = any(child.poll() is not None for child in children)
        if stop_requests:
            name, status = STOP_SIGNALS[stop_requests[0]]
            click.echo(f"jobboard run: stopping ({name})", err=True)
            return status
        if exited:
            click.echo("jobboard run: a child process exited; stopping the other", err=True)
            return 1
        time.sleep(0.2)


def stop(children: list[subprocess.Popen]) -> None:
    """SIGTERM each child still running, then wait; kill any that will not stop."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def register(main: click.Group) -> None:
    main.add_command(serve)
    main.add_command(run)
