"""Export, import and merge of annotations: YAML v1 round trips, safety, re-anchoring, JSONL."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import yaml

from annotations.edits import Edits, NotYours
from annotations.library import Library
from annotations.merge import merge_file
from annotations.records import Span, Tag
from annotations.safeyaml import YamlInputError, loads_untrusted
from annotations.yamlio import dump, export_document
from reader.core.importing import import_parsed, import_samples
from reader.ingest import parse_bytes

SAMPLE_ID = "00e97159207a77b9"
TRAPS = ["no", "on", "~", "null", "1e3", "2025-11-05", "yes", "0x1F", "1:20", "012", ".inf", ""]


def annotate(library: Library) -> str:
    article = library.load_article("00e97159207a77b9")
    text = article.text
    edits = Edits(library)
    edits.tag(article.id, "ceasefire", *[t for t in TRAPS if t])
    start = text.index("Hamas heyeti, 'Gazze")
    note = 'not "quoted" [bold]x[/] {a: b} # no comment'
    edits.add_span(article.id, text, start, start + 40, "mediation", note=note)
    edits.add_note(article.id, "Not: ateşkes 'no' ~ null")
    edits.correct_entity(article.id, "relabel", "Hamas", "ORG")
    return article.id


def export_file(library: Library, path: Path) -> Path:
    path.write_text(dump(export_document(library)), encoding="utf-8")
    return path


def comparable(library: Library) -> dict:
    """The export without its time and without who imported each record."""
    doc = export_document(library)
    doc.pop("exported_at")
    for entry in doc["articles"]:
        for key in ("tags", "spans", "notes", "entities", "done"):
            for record in entry[key]:
                record.pop("imported_by", None)
    return doc


def test_round_trip_into_a_new_library_twice(tmp_path: Path, sample_library: Library):
    annotate(sample_library)
    exported = export_file(sample_library, tmp_path / "a.yaml")
    other = Library(tmp_path / "other", annotator="mehmet")
    import_samples(other)
    first = merge_file(other, exported)
    assert first.added == {"tags": 12, "spans": 1, "notes": 1, "entities": 1}
    again = merge_file(other, exported)
    assert sum(again.added.values()) == 0 and again.already == 15
    assert comparable(other) == comparable(sample_library)
    records = export_document(other)["articles"][0]
    assert {(t["annotator"], t["imported_by"]) for t in records["tags"]} == {("ayse", "mehmet")}


def test_yaml_trap_strings_come_back_as_strings(tmp_path: Path, sample_library: Library):
    annotate(sample_library)
    text = dump(export_document(sample_library))
    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        doc = yaml.load(text, Loader=loader)
        tags = [t["tag"] for t in doc["articles"][0]["tags"]]
        assert all(isinstance(t, str) for t in tags)
        assert set(TRAPS) - {""} <= set(tags)
    assert "ateşkes" in text  # allow_unicode
    note = doc["articles"][0]["spans"][0]["note"]
    assert note == 'not "quoted" [bold]x[/] {a: b} # no comment'


def test_stable_order_keeps_diffs_small(tmp_path: Path, sample_library: Library):
    annotate(sample_library)
    first = dump(export_document(sample_library)).splitlines()[3:]
    second = dump(export_document(sample_library)).splitlines()[3:]
    assert first == second


def test_conflicts_are_reported_not_overwritten(tmp_path: Path, sample_library: Library):
    annotate(sample_library)
    exported = export_file(sample_library, tmp_path / "a.yaml")
    doc = yaml.safe_load(exported.read_text(encoding="utf-8"))
    doc["articles"][0]["spans"][0]["note"] = "changed elsewhere"
    changed = tmp_path / "b.yaml"
    changed.write_text(dump(doc), encoding="utf-8")
    report = merge_file(sample_library, changed)
    assert len(report.conflicts) == 1 and "changed elsewhere" in report.conflicts[0]
    assert sample_library.records(Span)[0].note.startswith("not")


def test_spans_reanchored_or_orphaned_when_text_changed(tmp_path: Path):
    lib = Library(tmp_path / "a", annotator="ayse")
    original = "Başlık\n\nBirinci paragraf.\n\nArabulucu Türkiye görüşmeleri sürdürdü."
    import_parsed(lib, [parse_bytes("a.txt", original.encode())])
    article = lib.articles()[0]["id"]
    text = lib.load_article(article).text
    start = text.index("Arabulucu")
    edits = Edits(lib)
    edits.add_span(article, text, start, start + 19, "mediation")
    edits.add_span(article, text, text.index("Birinci"), text.index("Birinci") + 7, "x")
    exported = export_file(lib, tmp_path / "a.yaml")

    edited = original.replace("Birinci paragraf.", "Yeni ve daha uzun bir giriş paragrafı.")
    other = Library(tmp_path / "b", annotator="mehmet")
    import_parsed(other, [parse_bytes("a.txt", edited.encode())])
    doc = yaml.safe_load(exported.read_text(encoding="utf-8"))
    doc["articles"][0]["id"] = other.articles()[0]["id"]  # the edited article, same story
    moved = tmp_path / "moved.yaml"
    moved.write_text(dump(doc), encoding="utf-8")
    report = merge_file(other, moved)
    assert len(report.reanchored) == 1 and len(report.orphaned) == 1
    spans = {s.label: s for s in other.records(Span)}
    new_text = other.load_article(other.articles()[0]["id"]).text
    s = spans["mediation"]
    assert new_text[s.start : s.end] == "Arabulucu Türkiye g"
    assert spans["x"].orphaned is True  # kept, marked, never moved silently


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
        ("!!python/object/apply:os.system ['echo hi']\n", "python/object"),
        ("format: reader-annotations\nversion: 1\narticles: [\n", ":4:1:"),
        ("format: other\nversion: 1\n", "format"),
        ("format: reader-annotations\nversion: 9\n", "version"),
        (
            "format: reader-annotations\nversion: 1\narticles:\n  - id: x\n    spans:\n"
            "      - {id: s, label: l, start: ten, end: 3, quote: q, annotator: a}\n",
            "start",
        ),
    ],
)
def test_bad_files_get_a_message_naming_file_and_place(
    tmp_path: Path, sample_library: Library, content: str, message: str
):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(YamlInputError) as info:
        merge_file(sample_library, bad)
    assert str(bad) in str(info.value) and message in str(info.value)


def test_alias_bomb_refused_quickly():
    import time

    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    start = time.perf_counter()
    with pytest.raises(YamlInputError):
        loads_untrusted(bomb)
    assert time.perf_counter() - start < 1


def test_oversized_file_refused(tmp_path: Path, sample_library: Library):
    from annotations.safeyaml import load_untrusted

    big = tmp_path / "big.yaml"
    big.write_text("x: " + "y" * 2000)
    with pytest.raises(YamlInputError, match="over the limit"):
        load_untrusted(big, max_bytes=1000)


def test_jsonl_offsets_index_the_text(sample_library: Library):
    annotate(sample_library)
    from annotations.exchange.exporting import export

    exported = export(sample_library, "jsonl", filters={})
    (line,) = exported.data.splitlines()
    record = orjson.loads(line)
    (span,) = record["spans"]
    assert record["text"][span["start"] : span["end"]].startswith("Hamas heyeti, 'Gazze")
    assert span["label"] == "mediation"
    assert "ceasefire" in record["meta"]["tags"]


def test_w3c_web_annotation_selectors_match_the_text(sample_library: Library):
    from annotations.exchange.exporting import export

    annotate(sample_library)
    collection = orjson.loads(export(sample_library, "w3c", filters={}).data)
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    (passage,) = [i for i in items if i["motivation"] == "highlighting"]
    quote, position = passage["target"]["selector"]
    text = sample_library.load_article(SAMPLE_ID).text
    assert text[position["start"] : position["end"]] == quote["exact"]
    assert {i["motivation"] for i in items} == {"tagging", "highlighting", "commenting"}


def test_imported_records_stay_their_annotators(tmp_path: Path, sample_library: Library):
    """ayse imports bob's tag: it is bob's, not hers to untag, and her own tag is still saved."""
    bob = Library(sample_library.folder.parent / "bob", annotator="bob")
    import_samples(bob)
    Edits(bob).tag(SAMPLE_ID, "ceasefire")
    note = Edits(bob).add_note(SAMPLE_ID, "bob'un notu").records()[0]
    merge_file(sample_library, export_file(bob, tmp_path / "bob.yaml"))
    ayse = Edits(sample_library)
    with pytest.raises(NotYours):
        ayse.delete_note(note.id)
    assert ayse.untag(SAMPLE_ID, "ceasefire") is None  # bob's, imported: not hers
    assert ayse.tag(SAMPLE_ID, "ceasefire") is not None  # her own is a record of its own
    tags = sorted((t.annotator, t.imported_by) for t in sample_library.records(Tag))
    assert tags == [("ayse", None), ("bob", "ayse")]


def test_a_re_import_names_the_last_importer(tmp_path: Path, sample_library: Library):
    bob = Library(sample_library.folder.parent / "bob", annotator="bob")
    import_samples(bob)
    Edits(bob).tag(SAMPLE_ID, "ceasefire")
    dave = Library(sample_library.folder.parent / "dave", annotator="dave")
    import_samples(dave)
    merge_file(dave, export_file(bob, tmp_path / "bob.yaml"))
    merge_file(sample_library, export_file(dave, tmp_path / "dave.yaml"))
    (tag,) = sample_library.records(Tag)
    assert (tag.annotator, tag.imported_by) == ("bob", "ayse")


def test_entity_corrections_from_yaml_are_checked(tmp_path: Path, sample_library: Library):
    annotate(sample_library)
    doc = yaml.safe_load(dump(export_document(sample_library)))
    doc["articles"][0]["entities"][0]["label"] = "NOT-A-LABEL"
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump(doc), encoding="utf-8")
    with pytest.raises(YamlInputError, match="entities.1.*label"):
        merge_file(sample_library, bad)


def test_one_line_fields_lose_line_breaks_and_a_repeated_record_is_one(
    tmp_path: Path, sample_library: Library
):
    doc = {
        "format": "reader-annotations",
        "version": "1",
        "articles": [
            {
                "id": SAMPLE_ID,
                "tags": [
                    {"id": "t1", "tag": "ceasefire\n00e97159 FORGED ROW", "annotator": "bob"},
                    {"id": "t1", "tag": "ceasefire\n00e97159 FORGED ROW", "annotator": "bob"},
                ],
            }
        ],
    }
    path = tmp_path / "in.yaml"
    path.write_text(dump(doc), encoding="utf-8")
    report = merge_file(sample_library, path)
    assert report.added == {"tags": 1} and report.already == 1
    assert sample_library.tags_by_article()[SAMPLE_ID] == ["ceasefire 00e97159 FORGED ROW"]
