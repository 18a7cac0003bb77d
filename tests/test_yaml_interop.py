"""YAML v1 with other tools: what PyYAML (1.1) and ruamel.yaml (1.2) read back is what we wrote;
a plain null is no value; records written by hand need no id or time."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from ruamel.yaml import YAML

from annotations.library import Library
from annotations.merge import merge_file
from annotations.records import Note, Span, Tag
from annotations.yamlio import dump
from reader.core.importing import import_samples

SAMPLE = "00e97159207a77b9"


def traps() -> list[str]:
    """Strings a YAML 1.1 or 1.2 reader might take for a number, bool, null or date."""
    words = [
        "null",
        "Null",
        "NULL",
        "~",
        "",
        "true",
        "True",
        "TRUE",
        "false",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "N",
        "=",
        "<<",
        ".inf",
        "-.Inf",
        "+.INF",
        ".nan",
        ".NaN",
        "0",
        "-0",
    ]
    numbers = {
        f"{sign}{body}{exp}"
        for sign, body, exp in itertools.product(
            ["", "+", "-"],
            [
                "1",
                "12",
                "1.",
                ".5",
                "._5",
                "1.5",
                "1_000",
                "1__2",
                "0.",
                "012",
                "0o17",
                "0x1F",
                "0b101",
                "0xff_ff",
                "1:20",
                "1:20:30.5",
                "190:20:30",
            ],
            ["", "e3", "E3", "e+3", "E-3"],
        )
    }
    dates = [
        "2025-11-05",
        "2025-1-5",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        "2002-12-14T21:59:43Z",
    ]
    return words + sorted(numbers) + dates


def test_every_trap_comes_back_a_string_in_pyyaml_and_ruamel():
    strings = traps()
    text = dump({"tags": strings})
    assert yaml.safe_load(text)["tags"] == strings
    assert list(YAML(typ="safe", pure=True).load(text)["tags"]) == strings
    assert list(YAML(typ="safe").load(text)["tags"]) == strings


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_line_separators_are_written_escaped(separator: str):
    value = f"bir{separator}iki"
    text = dump({"note": value})
    assert separator not in text
    assert yaml.safe_load(text)["note"] == value
    assert YAML(typ="safe", pure=True).load(text)["note"] == value


@pytest.fixture
def library(tmp_path: Path) -> Library:
    library = Library(tmp_path / "lib", annotator="ayse")
    import_samples(library)
    return library


def write(path: Path, records: str) -> Path:
    path.write_text(
        f"format: reader-annotations\nversion: 1\narticles:\n- id: {SAMPLE}\n" + records,
        encoding="utf-8",
    )
    return path


def test_plain_null_is_no_value_and_quoted_null_is_text(library: Library, tmp_path: Path):
    text = library.load_article(SAMPLE).text
    quote = text[0:3]
    path = write(
        tmp_path / "in.yaml",
        "  tags:\n  - {tag: 'null', annotator: bora}\n  - {tag: '~', annotator: bora}\n"
        f"  spans:\n  - {{label: demand, start: 0, end: 3, quote: '{quote}', note: null,"
        " annotator: bora, created: ~}\n"
        "  notes:\n  - {text: 'null', annotator: bora}\n",
    )
    report = merge_file(library, path)
    assert report.complete, report.summary()
    assert sorted(t.tag for t in library.records(Tag)) == ["null", "~"]
    (span,) = library.records(Span)
    assert span.note is None and span.created  # no note; the time of the import
    assert [n.text for n in library.records(Note)] == ["null"]


def test_records_without_id_get_one_from_what_they_say(library: Library, tmp_path: Path):
    text = library.load_article(SAMPLE).text
    path = write(
        tmp_path / "hand.yaml",
        "  tags:\n  - {tag: ceasefire, annotator: ayse}\n"
        "  spans:\n"
        f"  - {{label: demand, start: 0, end: 3, quote: '{text[0:3]}', annotator: bora}}\n"
        "  notes:\n  - {text: izlenecek, annotator: bora}\n",
    )
    first = merge_file(library, path)
    assert first.complete and sum(first.added.values()) == 3, first.summary()
    again = merge_file(library, path)
    assert again.added == {} and again.already == 3
    (tag,) = library.records(Tag)
    assert tag.id == Tag.new(SAMPLE, "ceasefire", "ayse").id  # the id the app gives it
