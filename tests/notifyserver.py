"""A small fake of GOV.UK Notify's API on 127.0.0.1, started by the tests themselves.

It checks what the real one checks first (a JWT signed with the key's secret, issued for the
key's service) and answers in Notify's shapes: 201 with an id for a text, 400 for a number
Notify refuses, and each text's status when asked. Numbers ending 999 are refused; ending 998
fail to deliver; every other text is delivered.
"""

import json
import threading
import uuid
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt


class FakeNotify:
    def __init__(self):
        self.service_id, self.secret = str(uuid.uuid4()), str(uuid.uuid4())
        self.template_id = str(uuid.uuid4())
        self.texts: dict[str, dict] = {}
        self.port = 0

    @property
    def api_key(self) -> str:
        return f"csp_events_test-{self.service_id}-{self.secret}"

    def status(self, text: dict) -> str:
        return "permanent-failure" if text["phone_number"].endswith("998") else "delivered"


def _handler(fake: FakeNotify):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args):
            pass

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                claims = jwt.decode(token, fake.secret, algorithms=["HS256"])
            except jwt.PyJWTError:
                return False
            return claims.get("iss") == fake.service_id

        def do_POST(self):
            if not self._authorised():
                return self._answer(403, {"errors": [{"error": "AuthError"}], "status_code": 403})
            if self.path != "/v2/notifications/sms":
                return self._answer(404, {"errors": [{"error": "NotFound"}], "status_code": 404})
            length = int(self.headers.get("Content-Length", 0))
            text = json.loads(self.rfile.read(length))
            if text["phone_number"].endswith("999") or text["template_id"] != fake.template_id:
                error = {"error": "ValidationError", "message": "phone_number Not a UK mobile"}
                return self._answer(400, {"errors": [error], "status_code": 400})
            notification_id = str(uuid.uuid4())
            fake.texts[notification_id] = text
            return self._answer(
                201,
                {
                    "id": notification_id,
                    "reference": text.get("reference"),
                    "content": {"body": text["personalisation"]["message"]},
                    "template": {"id": fake.template_id, "version": 1},
                },
            )

        def do_GET(self):
            if not self._authorised():
                return self._answer(403, {"errors": [{"error": "AuthError"}], "status_code": 403})
            notification_id = self.path.rsplit("/", 1)[-1]
            text = fake.texts.get(notification_id)
            if text is None:
                return self._answer(
                    404, {"errors": [{"error": "NoResultFound"}], "status_code": 404}
                )
            return self._answer(200, {"id": notification_id, "status": fake.status(text)})

    return Handler


@contextmanager
def fake_notify():
    fake = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
