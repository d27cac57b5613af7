"""Small helpers that the type checker led to: each states an invariant and keeps it."""

from datetime import date

import pytest
from sqlalchemy import create_engine
from wtforms import Form, StringField

from csp_events.errors import DomainError
from csp_events.formfields import show_error, validated
from csp_events.ops.backups import _sqlite_file


class NameForm(Form):
    name = StringField("Name")


@pytest.mark.parametrize("value", [0, "", date(2027, 3, 27), "Wash Road"])
def test_a_required_fields_value_passes_through_validated_unchanged(value):
    assert validated(value) == value


def test_validated_refuses_none_instead_of_passing_it_on():
    with pytest.raises(ValueError, match="required field"):
        validated(None)


def test_show_error_puts_a_message_beside_a_field_never_validated():
    form = NameForm()
    assert form.name.errors == ()  # WTForms' tuple until validation: it cannot be appended to
    show_error(form.name, "There is already a venue with this name.")
    show_error(form.name, "And another problem.")
    assert form.name.errors == ["There is already a venue with this name.", "And another problem."]


def test_show_error_keeps_the_errors_validation_found():
    form = NameForm()
    form.validate()
    form.name.errors = ["Enter a name"]
    show_error(form.name, "Too long")
    assert form.name.errors == ["Enter a name", "Too long"]


def test_an_in_memory_sqlite_database_has_no_file_to_back_up():
    engine = create_engine("sqlite://")
    try:
        with pytest.raises(DomainError, match="in memory"):
            _sqlite_file(engine)
    finally:
        engine.dispose()


def test_a_sqlite_database_file_is_the_one_backed_up(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'csp.sqlite'}")
    try:
        assert _sqlite_file(engine) == tmp_path / "csp.sqlite"
    finally:
        engine.dispose()
