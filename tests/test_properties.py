"""Property-based tests: random and mutated input never crashes, only clear errors."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.merge import validate
from annotations.safeyaml import YamlInputError, loads_untrusted
from annotations.textfold import fold
from reader.entities import recognize
from reader.ingest import parse_bytes

from .conftest import SAMPLE

RAW = SAMPLE.read_bytes()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
hostile_text = st.lists(
    st.sampled_from(
        list("aışğüöçİIĞŞ'’ .,;:\n\r\t#[]/@=")
        + [
            "\x1b",
            "\x1b[31m",
            "\x1b]52;c;",
            "\x07",
            "\x9b",
            "\u202e",
            "\x00",
            "date 2025-11-05 ",
            "Ankara",
            "Bakanı ",
            "[bold]",
            "[/]",
        ]
    ),
    max_size=120,
).map("".join)


def check_article(article) -> None:
    text = article.text
    assert not UNSAFE.search(text)
    assert unicodedata.is_normalized("NFC", text)
    for block in article.blocks:
        assert 0 <= block.start <= block.end <= len(text)


@FAST
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.md", "a.json", "a.jsonl", "a"]))
def test_random_bytes_never_crash_the_parsers(data, name):
    parsed = parse_bytes(name, data)
    for article in parsed.articles:
        check_article(article)
    assert parsed.articles or parsed.problems


@FAST
@given(st.lists(st.tuples(st.integers(0, len(RAW)), st.binary(max_size=8)), max_size=8))
def test_mutated_sample_never_crashes(edits):
    data = bytearray(RAW)
    for position, insert in edits:
        data[position : position + len(insert)] = insert
    parsed = parse_bytes("x.txt", bytes(data))
    for article in parsed.articles:
        check_article(article)


@FAST
@given(hostile_text)
def test_hostile_text_is_made_inert(text):
    parsed = parse_bytes("x.txt", text.encode("utf-8"))
    for article in parsed.articles:
        check_article(article)
        for entity in recognize(article.text, article.keywords):
            assert article.text[entity.start : entity.end] == entity.text


@FAST
@given(st.text(max_size=400))
def test_random_yaml_gives_a_value_or_a_clear_error(text):
    try:
        document = loads_untrusted(text, "x.yaml")
    except YamlInputError as exc:
        assert str(exc).startswith("x.yaml")
        return
    try:
        validate(document, "x.yaml")
    except YamlInputError as exc:
        assert str(exc).startswith("x.yaml")


@FAST
@given(
    st.dictionaries(
        st.sampled_from(["format", "version", "articles", "x"]),
        st.recursive(
            st.none() | st.text(max_size=5) | st.integers(),
            lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
            max_leaves=10,
        ),
    )
)
def test_wrong_shapes_give_clear_errors(document):
    document.setdefault("format", "reader-annotations")
    try:
        validate(document, "x.yaml")
    except YamlInputError as exc:
        assert str(exc).startswith("x.yaml")


@FAST
@given(st.text(max_size=200))
def test_fold_keeps_length(text):
    assert len(fold(text)) == len(text)
