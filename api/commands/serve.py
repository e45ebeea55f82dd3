"""`jobboard serve` (gunicorn) and `jobboard run` (development: migrate, web and clock together)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import click

from models import migrate
from models.config import ROOT

GUNICORN_CONFIG = ROOT / "gunicorn.conf.py"
CLOCK_ARGV = [sys.executable, "-m", "api.cli", "scheduler"]
STOP_TIMEOUT = 15  # seconds a child may take to stop before it is killed


def gunicorn_argv(bind: str, workers: int) -> list[str]:
    """gunicorn with the project config (JSON logs, shared metrics); flags win over the file."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(GUNICORN_CONFIG),
        "--bind",
        bind,
        "--workers",
        str(workers),
        "api:create_app()",
    ]


@click.command("serve")
@click.option(
    "--bind",
    default=lambda: f"0.0.0.0:{os.environ.get('PORT', '8000')}",
    show_default="0.0.0.0:$PORT or 8000",
    help="Address to listen on.",
)
@click.option(
    "--workers",
    default=lambda: int(os.environ.get("WEB_CONCURRENCY", "2")),
    show_default="WEB_CONCURRENCY or 2",
    type=int,
)
def serve(bind: str, workers: int) -> None:
    """Serve the board and the API with gunicorn (production web process)."""
    os.execv(sys.executable, gunicorn_argv(bind, workers))


@click.command("run")
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=2, show_default=True, type=int)
def run(bind: str, workers: int) -> None:
    """Development: migrate, then run the web server and the clock until Ctrl-C or SIGTERM."""
    migrate.upgrade()
    children = [subprocess.Popen(gunicorn_argv(bind, workers)), subprocess.Popen(CLOCK_ARGV)]
    click.echo(f"jobboard running: board at http://{bind}/ (Ctrl-C stops)")
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    status = 0
    try:
        while not stopping.wait(0.5):
            if any(child.poll() is not None for child in children):
                click.echo("jobboard run: a child process exited; stopping the other", err=True)
                status = 1
                break
    except KeyboardInterrupt:
        pass
    finally:
        stop(children)
    sys.exit(status)


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
