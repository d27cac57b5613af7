"""Load shapes for `make bench` (tests/bench/bench_load.py runs these against gunicorn).

CeilingUser: the trivial route alone (/healthz: the whole stack and one SELECT 1).
FeedPoller: calendar apps polling feeds, mostly conditional (If-None-Match: 304).
Volunteer: signed in, reading the calendar and sessions pages, signing up and withdrawing.
"""

import json
import os
import random
import re

from locust import FastHttpUser, between, task

PLAN = json.loads(os.environ.get("BENCH_PLAN", '{"feeds": [], "events": [], "people": []}'))
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
PASSWORD = os.environ.get("BENCH_PASSWORD", "")


class CeilingUser(FastHttpUser):
    wait_time = between(0, 0)

    @task
    def trivial(self):
        self.client.get("/healthz")


class FeedPoller(FastHttpUser):
    weight = 3
    wait_time = between(0, 0)

    def on_start(self):
        self.feeds = ["/feeds/public.ics", *PLAN["feeds"]]
        self.etags: dict[str, str] = {}

    @task
    def poll(self):
        feed = random.choice(self.feeds)
        # Nine polls in ten come from a client that already has the feed.
        headers = {}
        if feed in self.etags and random.random() < 0.9:
            headers["If-None-Match"] = self.etags[feed]
        with self.client.get(
            feed,
            headers=headers,
            name=feed.split("/u/")[0] + (" (personal)" if "/u/" in feed else ""),
            catch_response=True,
        ) as answer:
            if answer.status_code in (200, 304):
                if answer.headers.get("ETag"):
                    self.etags[feed] = answer.headers["ETag"]
                answer.success()


class Volunteer(FastHttpUser):
    weight = 1
    wait_time = between(0, 0)

    def on_start(self):
        email = PLAN["people"].pop() if PLAN["people"] else None
        page = self.client.get("/login").text
        self.client.post(
            "/login",
            data={"email": email, "password": PASSWORD, "csrf_token": CSRF.search(page)[1]},
            name="/login (sign in)",
        )
        self.signed_up: set[int] = set()

    @task(3)
    def calendar(self):
        self.client.get("/calendar")

    @task(2)
    def sessions(self):
        self.client.get("/sessions")

    @task(2)
    def sign_up_or_withdraw(self):
        event = random.choice(PLAN["events"])
        page = self.client.get(f"/events/{event}", name="/events/[id]").text
        token = CSRF.search(page)
        if token is None:
            return
        action = "withdraw" if event in self.signed_up else "sign-up"
        self.client.post(
            f"/events/{event}/{action}",
            data={"csrf_token": token[1]},
            name=f"/events/[id]/{action}",
        )
        self.signed_up ^= {event}
