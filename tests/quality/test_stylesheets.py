"""Our stylesheets are whole: one unclosed brace silently swallows every rule after it."""

import re
from pathlib import Path

import pytest

CSS = sorted((Path(__file__).resolve().parents[2] / "static" / "css").glob("*.css"))


@pytest.mark.parametrize("sheet", CSS, ids=[p.name for p in CSS])
def test_every_brace_in_the_stylesheet_is_closed_where_it_should_be(sheet):
    def blank(comment: re.Match[str]) -> str:
        return "\n" * comment.group().count("\n")  # keeps line numbers

    text = re.sub(r"/\*.*?\*/", blank, sheet.read_text(), flags=re.DOTALL)
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for brace in re.findall(r"[{}]", line):
            depth += 1 if brace == "{" else -1
            assert depth >= 0, f"{sheet.name}: a '}}' with nothing to close, near line {number}"
            assert depth <= 2, f"{sheet.name}: blocks nested 3 deep near line {number}"
    assert depth == 0, f"{sheet.name}: {depth} block(s) never closed"
