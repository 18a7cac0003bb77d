"""No pattern over untrusted text takes super-linear time (issue 15, item 2).

Every regular expression that sees article text (or a value exported from it) was audited;
docs/reliability.md lists them. The ones that backtracked are pinned here at a size where the
old pattern took seconds, and a fuzz test feeds every text path long runs of the fragments
patterns trip on, each within a time limit. A linear pass over these inputs takes
milliseconds; a quadratic one seconds.
"""

from __future__ import annotations

import json
import re
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.sanitize import clean
from annotations.yamlio import dump
from reader.core.highlights import keyword_marks
from reader.entities import recognize
from reader.ingest import parse_bytes
from reader.ingest.paragraphs import paragraph_texts
from reader.tui.selection import (
    _SENTENCE_END,
    Selector,
    next_sentence_end,
    previous_sentence_end,
)

LIMIT = 0.5  # seconds for one input through one path: linear takes milliseconds
OLD_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)]*(?=\s|$)")

# What the patterns this replaced took, measured on this machine: in the comment.
SLOW_BEFORE = {
    "md-html-tags": ("a.md", "<div>\n" + "<a " * 6_000),  # html.parser: 5 s; 60 KB: 55 s
    "md-html-comments": ("a.md", "<div>\n" + "<!--" * 20_000),  # 5 s
    "md-heading": ("a.md", "# a" + " " * 20_000 + "b\n\nGövde."),  # the old heading regex
}


@pytest.mark.parametrize("name", SLOW_BEFORE)
def test_markdown_that_used_to_take_seconds_imports_at_once(name: str):
    file_name, text = SLOW_BEFORE[name]
    start = time.perf_counter()
    parsed = parse_bytes(file_name, text.encode())
    assert time.perf_counter() - start < LIMIT
    assert parsed.articles or parsed.problems


def test_html_declarations_that_made_html_parser_raise_import():
    parsed = parse_bytes("a.md", b"Title\n\n<div>\n<![<![<![ x")
    assert [a.title for a in parsed.articles] == ["Title"]


def test_a_long_run_of_stops_selects_at_once():
    text = "Başlık" + "." * 8_000 + "x yeni."  # the old sentence pattern: 1.5 s
    start = time.perf_counter()
    assert next_sentence_end(text, 0, len(text)) == len(text)
    assert previous_sentence_end(text, len(text), 0) == 0
    assert time.perf_counter() - start < LIMIT


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=".!?… x'\")", max_size=60), st.data())
def test_the_linear_sentence_pattern_ends_where_the_old_one_did(text: str, data):
    text = text.replace("x", "x" + "." * data.draw(st.integers(0, 40)), 1)
    for pos in range(len(text) + 1):
        old, new = OLD_SENTENCE_END.search(text, pos), _SENTENCE_END.search(text, pos)
        assert (old and old.end()) == (new and new.end()), (text, pos)


def test_a_long_number_exports_at_once_and_stays_a_string():
    value = "1" * 8_000 + "x"  # the old quoting pattern: 1.6 s
    start = time.perf_counter()
    assert yaml.safe_load(dump({"v": value, "n": "1" * 8_000, "f": "12."})) == {
        "v": value,
        "n": "1" * 8_000,
        "f": "12.",  # a float to YAML: quoted now (it was not)
    }
    assert time.perf_counter() - start < LIMIT


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789_.:-+eExabo ~", max_size=12))
def test_every_exported_string_reads_back_as_the_same_string(value: str):
    assert yaml.safe_load(dump({"v": value})) == {"v": value}


FRAGMENTS = [
    ".",
    "!",
    "…",
    "'",
    "’",
    '"',
    ")",
    " ",
    "\n",
    "\n\n",
    "\t",
    "1",
    "_",
    ":",
    "1:",
    "e",
    "\x1b",
    "\x1b[",
    "\x1b]",
    "\x9b",
    "0",
    ";",
    "<",
    "<a ",
    "<!--",
    "<![",
    "<?",
    "</",
    "<div>\n",
    "&#",
    "&",
    "[",
    "[a](",
    "![a](",
    "*a",
    "_a ",
    "`",
    "#",
    "# ",
    "a",
    "ş",
    "İ",
    "date ",
    "20:20",
    "5/11/2025",
    "G:",
    "#anahtar\n",
    "\u0301",
    "\u200d",
    "Ankara ",
]


def _hostile_text(draw) -> str:
    head = draw(st.lists(st.sampled_from(FRAGMENTS), max_size=6))
    runs = draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=2))
    count = draw(st.integers(min_value=1_000, max_value=4_000))
    tail = draw(st.lists(st.sampled_from(FRAGMENTS), max_size=6))
    return "".join(head) + "".join(runs) * count + "".join(tail)


def _paths(text: str) -> dict[str, tuple[float, object]]:
    """Every path article text takes (import in each format, canonical text, paragraphs,
    selection, keyword and entity marks, export), each with its time per character: linear
    budgets, generous (markdown-it takes up to 30 us a character on such input, the others
    well under one)."""
    data = text.encode("utf-8", "surrogatepass")
    body = json.dumps({"title": text[:200], "body": text}).encode()
    return {
        "md": (60e-6, lambda: parse_bytes("a.md", data)),
        "txt": (10e-6, lambda: parse_bytes("a.txt", data)),
        "corpus": (10e-6, lambda: parse_bytes("a", b"date 2025-11-05 Kaynak\n" + data)),
        "json": (10e-6, lambda: parse_bytes("a.json", body)),
        "clean": (5e-6, lambda: paragraph_texts(clean(text).split("\n"))),
        "select": (5e-6, lambda: _select(clean(text))),
        "marks": (5e-6, lambda: keyword_marks(clean(text), [clean(text)[:200], "a a a a"])),
        "entities": (20e-6, lambda: recognize(clean(text))),
        "yaml": (10e-6, lambda: dump({"v": clean(text)})),
    }


def _select(text: str) -> None:
    from annotations.model import Block

    selector = Selector(text, [Block("paragraph", 0, len(text))])
    assert selector.sentence_starts
    next_sentence_end(text, 0, len(text))
    previous_sentence_end(text, len(text), 0)


def _timed(path) -> float:
    start = time.perf_counter()
    path()
    return time.perf_counter() - start


def _check_paths(text: str) -> None:
    """Each path within its budget (measured again when over it: a stall of the machine is
    not the input's doing)."""
    for name, (per_char, path) in _paths(text).items():
        budget = 0.3 + per_char * len(text)  # a busy machine: at most a few times slower
        took = min(_timed(path) for _ in range(2)) if _timed(path) > budget else 0.0
        assert took < budget, f"{name}: {took:.2f} s > {budget:.2f} s on {len(text)} chars"


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_a_long_run_of_each_fragment_passes_every_path_in_linear_time(fragment: str):
    _check_paths(fragment * (6_000 // len(fragment)) + "x")  # the run not followed by a space


def test_hostile_text_passes_every_path_in_linear_time(full: bool):
    seen = []

    @settings(
        max_examples=2_000 if full else 10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(st.composite(_hostile_text)())
    def check(text: str) -> None:
        seen.append(len(text))
        _check_paths(text)

    check()
    assert seen
