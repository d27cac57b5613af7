"""Template globals: Jinja's view of them, with keys a plain dict's (templating.TemplateGlobals)."""

from jinja2 import DictLoader

from csp_events.templating import TemplateEnvironment, TemplateGlobals


def test_a_templates_globals_list_its_own_and_the_environments_keys():
    own, shared = {"title": "Mine"}, {"title": "Shared", "site": "Safer Brentwood"}

    assert set(TemplateGlobals(own, shared).keys()) == {"title", "site"}
    assert TemplateGlobals(own, shared)["title"] == "Mine"


def test_a_global_added_to_the_environment_later_is_still_listed():
    shared: dict = {}
    template_globals = TemplateGlobals({}, shared)

    shared["late"] = 1

    assert set(template_globals.keys()) == {"late"}


def test_a_macro_that_imports_another_template_renders_with_the_callers_globals():
    environment = TemplateEnvironment(
        None,  # no Flask app: the templates come from the loader given
        loader=DictLoader(
            {
                "helpers.html": (
                    "{% macro shout(text) %}{{ text | upper }}{{ suffix }}{% endmacro %}"
                ),
                "page.html": (
                    "{% macro tag(text) %}{% from 'helpers.html' import shout %}"
                    "{{ shout(text) }}{% endmacro %}{{ tag('a') }} {{ tag('b') }}"
                ),
            }
        ),
    )
    environment.globals["suffix"] = "!"

    assert environment.get_template("page.html").render() == "A! B!"
