"""Values derived from the data are read once for each version, by whichever worker asks first,
and an unreachable shared cache costs a read, never a failure."""

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from csp_events.changes.derived import DerivedValues
from csp_events.extensions import cache

pytestmark = pytest.mark.usefixtures("app_context")


def counting_build(reads: list, value: str):
    def build():
        reads.append(value)
        return value

    return build


def test_a_value_is_read_once_for_each_version_by_every_worker():
    reads: list[str] = []
    first, second = (DerivedValues("test", "code", 60, in_process=4) for _ in range(2))
    assert first.get("key", "v1", counting_build(reads, "one")) == "one"
    assert first.get("key", "v1", counting_build(reads, "again")) == "one"
    assert second.get("key", "v1", counting_build(reads, "again")) == "one"  # another worker
    assert second.get("key", "v2", counting_build(reads, "two")) == "two"  # after a change
    assert reads == ["one", "two"]


def test_another_release_never_reads_a_value_kept_by_this_one():
    reads: list[str] = []
    DerivedValues("test", "old code", 60, in_process=4).get("key", "v1", lambda: "old")
    new = DerivedValues("test", "new code", 60, in_process=4)
    assert new.get("key", "v1", counting_build(reads, "new")) == "new"


def test_an_unreachable_shared_cache_costs_a_read_not_a_failure(monkeypatch):
    def unreachable(*_args, **_kwargs):
        raise RedisConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", unreachable)
    reads: list[str] = []
    values = DerivedValues("test", "code", 60, in_process=4)
    assert values.get("key", "v1", counting_build(reads, "read")) == "read"
    values.forget_local()
    assert values.get("key", "v1", counting_build(reads, "read")) == "read"
    assert reads == ["read", "read"]
