"""Text as people type, paste or import it, made safe for one-line places and refused where
it holds what no one types."""

import re

# C0 control characters and DEL, bar tab, line feed and carriage return: nobody types them,
# PostgreSQL cannot store NUL, and RFC 5545 forbids them in a calendar.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """`text` on one line, its runs of spaces, tabs and line breaks each made one space."""
    return " ".join(text.split())


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None
