"""Bad input is a message naming the file and the place, never a traceback, and one file's
or one record's problem never stops the others (issue 15, items 5 and 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.library import Library
from reader.core.importing import import_paths
from reader.ingest.errors import INTERNAL

from .conftest import run_cli

ESC_SPACES = "\x1b[31m \x1b[0m\t" * 20  # a body of only controls and the spaces between them


def _files(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text("Birinci haber\n\nMetin bir.", encoding="utf-8")
    records = [
        {"title": "", "body": ESC_SPACES},
        {"body": "\x01\x02\x1b[31m"},
        {"title": "İkinci haber", "body": "Metin iki."},
    ]
    (folder / "b.json").write_text(json.dumps(records), encoding="utf-8")
    lines = [json.dumps({"body": ESC_SPACES}), json.dumps({"title": "Üçüncü", "body": "Üç."})]
    (folder / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (folder / "d.md").write_text("# Dördüncü\n\nDört.", encoding="utf-8")
    return folder


def test_a_record_of_only_controls_is_named_and_the_rest_imported(tmp_path: Path):
    folder = _files(tmp_path / "in")
    result = run_cli("import", str(folder), library=tmp_path / "lib")
    assert "Traceback" not in result.stderr, result.stderr
    assert "b.json: record 1" in result.stderr and "b.json: record 2" in result.stderr
    assert "c.jsonl: line 1" in result.stderr
    titles = {a["title"] for a in Library(tmp_path / "lib").articles()}
    assert titles == {"Birinci haber", "İkinci haber", "Üçüncü", "Dördüncü"}


def test_a_fault_in_one_file_never_stops_the_others(tmp_path: Path, monkeypatch):
    """Whatever a parser raises on one file (a bug yet unknown) is that file's problem."""
    import reader.ingest.markdown_format as markdown_format

    def broken(text: str):
        raise IndexError("list index out of range")

    monkeypatch.setattr(markdown_format, "parse", broken)
    library = Library(tmp_path / "lib", annotator="ayse")
    report = import_paths(library, [_files(tmp_path / "in")])
    assert {a["title"] for a in library.articles()} == {"Birinci haber", "İkinci haber", "Üçüncü"}
    ((path, reason),) = [f for f in report.failed if INTERNAL in f[1]]
    assert path.endswith("d.md") and "IndexError" in reason


EXPORT = """format: reader-annotations
version: VERSION
articles:
- id: 00e97159207a77b9
  content_sha256: SHA
  title: TITLE
  spans:
  - id: s1
    annotator: bora
    created: '2026-11-01T00:00:00Z'
    label: x
    start: START
    end: '5'
    quote: MİT B
"""
GOOD = {"VERSION": "'1'", "SHA": "abc", "TITLE": "T", "START": "'0'"}
BAD = {
    "start ²": ({"START": "'²'"}, ":: articles[1].spans[1].start: '²' is not a whole number"),
    "version ²": ({"VERSION": '"²"'}, ":: version '²' is not one"),
    "5,000 digits": ({"START": "'" + "9" * 5000 + "'"}, ":: articles[1].spans[1].start: '999"),
    "5,000-digit version": ({"VERSION": "'" + "1" * 5000 + "'"}, ":: version '111"),
    "a list as content_sha256": ({"SHA": "[a, b]"}, ":: articles[1].content_sha256: is not a"),
    "a mapping as title": ({"TITLE": "{a: b}"}, ":: articles[1].title: is not a plain value"),
    "nesting 400": ({"TITLE": "T\n  x: " + "[" * 400 + "]" * 400}, "::7:"),
    "nesting 999": ({"TITLE": "T\n  x: " + "[" * 999 + "]" * 999}, "::7:"),
    "nested mappings": ({"TITLE": "T\n  x: " + "{a: " * 600 + "b" + "}" * 600}, "::7:"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_value_in_received_annotations_is_file_place_problem(
    sample_library: Library, tmp_path: Path, monkeypatch, capsys, case: str
):
    from reader.cli import run

    changes, expected = BAD[case]
    text = EXPORT
    for key, value in {**GOOD, **changes}.items():
        text = text.replace(key, value)
    path = tmp_path / "received.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("READER_LIBRARY", str(sample_library.folder))
    assert run(["--annotator", "ayse", "import-annotations", str(path)]) == 1  # no traceback
    err = capsys.readouterr().err
    assert expected.replace("::", f"{path}:", 1) in err, err
    assert len(err) < 400  # the value is cut, not quoted whole
