"""A `{# … #}` comment ends on its own line: Django shows one that spans lines as text."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
OPEN_COMMENT = re.compile(r"\{#(?!.*#\})")  # opened, not closed on the same line


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=str)
def test_no_one_line_comment_spans_lines(path):
    lines = path.read_text().splitlines()
    spanning = [n for n, line in enumerate(lines, 1) if OPEN_COMMENT.search(line)]
    assert not spanning, f"{path.relative_to(TEMPLATES)} lines {spanning}: use {{% comment %}}"
