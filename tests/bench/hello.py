"""The anchor for tests/bench/bench_served.py: the smallest Flask app, served by gunicorn with the
same gunicorn.conf.py as the real one, so every served figure is a ratio to what gunicorn and
Flask alone can do on this machine at that moment."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world!"
