"""/healthz for the load balancer, systemd or a monitor: is the database answering?"""

from flask import Blueprint, jsonify

from ..access import public
from ..database import database_answers

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
@public
def healthz():
    if database_answers():
        response = jsonify(status="ok", database="ok")
    else:
        response = jsonify(status="unavailable", database="unavailable")
        response.status_code = 503
    response.headers["Cache-Control"] = "no-store"
    return response
