"""The reference web app: Flask returning a constant JSON, served like the real one."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def constant() -> dict[str, object]:
    """What any Flask app under this gunicorn can do at best: no database, no templates."""
    return {"items": [], "next_cursor": None}
