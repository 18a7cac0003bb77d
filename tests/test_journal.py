"""The per-annotator journal: appends, incremental reloads, torn lines, compaction, migration
from the first release's single annotations.json."""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from annotations import journal as journal_module
from annotations.annotation_store import file_name
from annotations.journal import Journal, Op
from annotations.library import Library
from annotations.records import EntityCorrection, Note, Span, Tag
from reader.core.importing import import_samples

SAMPLE = "00e97159207a77b9"


def decode(kind, data):
    return Tag.from_dict(data)


def tag(n: int) -> dict:
    return Tag.new("a" * 16, f"t{n}", "ayse").to_dict()


def test_another_process_reads_only_what_was_appended(tmp_path: Path, monkeypatch):
    path = tmp_path / "ayse.jsonl"
    writer, reader = Journal(path, "ayse", decode), Journal(path, "", decode)
    writer.append([Op("tag", tag(1))])
    assert len(reader.state()["tag"]) == 1
    reads = []
    original = reader._apply
    monkeypatch.setattr(reader, "_apply", lambda data: (reads.append(data), original(data)))
    writer.append([Op("tag", tag(2))])
    assert reader.changed_on_disk()
    assert len(reader.state()["tag"]) == 2 and not reader.changed_on_disk()
    assert len(reads) == 1 and reads[0].count(b"\n") == 1  # one new line, not the whole file
    writer.append([Op("tag", deleted=tag(1)["id"])])
    assert [t.tag for t in reader.state()["tag"].values()] == ["t2"]


def test_a_torn_last_line_is_left_alone_and_cut_off_by_the_next_writer(tmp_path: Path):
    path = tmp_path / "ayse.jsonl"
    Journal(path, "ayse", decode).append([Op("tag", tag(1))])
    with open(path, "ab") as handle:  # a writer killed mid-line (never acknowledged)
        handle.write(b'{"put": "tag", "rec": {"id": "dead')
    assert len(Journal(path, "", decode).state()["tag"]) == 1
    Journal(path, "ayse", decode).append([Op("tag", tag(2))])
    later = Journal(path, "", decode)
    assert sorted(t.tag for t in later.state()["tag"].values()) == ["t1", "t2"]
    assert later.warnings == [] and b"dead" not in path.read_bytes()  # cut off, not kept


def test_compaction_keeps_every_live_record_and_readers_follow(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(journal_module, "COMPACT_MIN_LINES", 50)
    path = tmp_path / "ayse.jsonl"
    writer, reader = Journal(path, "ayse", decode), Journal(path, "", decode)
    writer.state()  # a process that has read its journal (the app) compacts it
    for n in range(60):
        writer.append([Op("tag", tag(n))])
        if n % 2:
            writer.append([Op("tag", deleted=tag(n - 1)["id"])])
    live = sorted(t.tag for t in reader.state()["tag"].values())
    assert live == sorted(f"t{n}" for n in range(1, 60, 2))
    assert path.read_bytes().count(b"\n") < 60  # compacted at least once
    assert (tmp_path / "ayse.jsonl.bak").exists()
    assert sorted(t.tag for t in Journal(path, "", decode).state()["tag"].values()) == live


def test_file_names_are_safe_and_distinct():
    assert file_name("ayse") == "ayse.jsonl"
    assert file_name("ayşe") == "ayşe.jsonl"
    assert "/" not in file_name("../../etc/passwd") and not file_name(".x").startswith(".")
    assert file_name("a/b") != file_name("a%2Fb")
    assert len({file_name(n) for n in ("a b", "a_b", "a-b", "a.b")}) == 4


def legacy_library(folder: Path) -> dict:
    """A library as the first release left it: everyone's records in one annotations.json."""
    import_samples(Library(folder, annotator="setup"))
    text = Library(folder).load_article(SAMPLE).text

    def rec(kind, who, n, **fields):
        return {"id": f"{kind[:2]}{who}{n:04d}", "article": SAMPLE, "annotator": who,
                "created": f"2026-11-0{n % 9 + 1}T10:00:00.000000Z", **fields}

    tags = [rec("tags", "ayse", 1, tag="ceasefire"), rec("tags", "bora", 2, tag="ceasefire"),
            rec("tags", "ayse", 3, tag="mediation"),
            rec("tags", "ayse", 4, tag="ceasefire")]  # an exact duplicate of the first
    spans = [rec("spans", "bora", 5, label="mediation", start=0, end=5, quote=text[:5],
                 prefix="", suffix=text[5:37], note="bak")]
    notes = [rec("notes", "ayse", 6, text="izle", updated="2026-11-06T10:00:00.000000Z")]
    entities = [rec("entities", "bora", 7, action="relabel", text="MİT", label="PERSON")]
    reading = [{"id": "r1", "article": SAMPLE, "annotator": "ayse", "read": True,
                "position": 40, "updated": "2026-11-07T10:00:00Z"}]
    data = {name: {str(i): d for i, d in enumerate(rows, start=1)} for name, rows in
            (("tags", tags), ("spans", spans), ("notes", notes), ("entities", entities),
             ("reading", reading))}
    data["_meta"] = {"1": {"kind": "annotations", "schema": 1}}
    (folder / "annotations.json").write_bytes(orjson.dumps(data))
    return data


def test_a_first_release_library_migrates_with_every_record(tmp_path: Path):
    folder = tmp_path / "lib"
    legacy_library(folder)
    library = Library(folder, annotator="ayse")
    tags = library.records(Tag)
    assert sorted((t.annotator, t.tag) for t in tags) == [
        ("ayse", "ceasefire"), ("ayse", "mediation"), ("bora", "ceasefire")]
    (span,) = library.records(Span)
    assert (span.annotator, span.label, span.start, span.end, span.note) == (
        "bora", "mediation", 0, 5, "bak")
    assert [(n.annotator, n.text) for n in library.records(Note)] == [("ayse", "izle")]
    assert [(e.annotator, e.action, e.label) for e in library.records(EntityCorrection)] == [
        ("bora", "relabel", "PERSON")]
    assert library.reading(SAMPLE).position == 40 and library.read_ids() == {SAMPLE}
    assert Library(folder, annotator="bora").read_ids() == set()
    (message,) = library.notices
    assert "Migrated 6 annotation records" in message and "1 reading states" in message
    assert "1 exact duplicates became one record" in message
    assert not (folder / "annotations.json").exists()
    assert (folder / "annotations.json.v1").exists()  # the old file is kept
    assert sorted(os.listdir(folder / "annotations")) == [
        "ayse.jsonl", "ayse.jsonl.lock", "bora.jsonl", "bora.jsonl.lock"]
    again = Library(folder, annotator="ayse")
    assert len(again.records(Tag)) == 3 and again.notices == []
