"""`jobboard serve` (gunicorn) and `jobboard run` (development: migrate, web and clock together)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click

from models import migrate

APP = "api:create_app()"


def gunicorn_argv(bind: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        APP,
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
    """Development: migrate, then run the web server and the scheduler until Ctrl-C."""
    migrate.upgrade()
    children = [
        subprocess.Popen(gunicorn_argv(bind, workers)),
        subprocess.Popen([sys.executable, "-m", "api.cli", "scheduler"]),
    ]
    click.echo(f"jobboard running: board at http://{bind}/ (Ctrl-C stops)")
    stop = lambda *_: [child.send_signal(signal.SIGTERM) for child in children]  # noqa: E731
    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for child in children:
            child.wait(timeout=20)
    sys.exit(max(child.returncode or 0 for child in children))


def register(main: click.Group) -> None:
    main.add_command(serve)
    main.add_command(run)
