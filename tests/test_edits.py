"""The edits service, without the app: every operation, undo/redo, ownership, failed writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.edits import EditError, Edits, NotYours
from annotations.errors import LibraryWriteError
from annotations.library import Library
from annotations.records import DoneMark, EntityCorrection, Note, Span, Tag
from reader.core.importing import import_samples

SAMPLE = "00e97159207a77b9"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    import_samples(Library(tmp_path / "lib", annotator="setup"))
    return tmp_path / "lib"


def edits_for(folder: Path, who: str) -> Edits:
    return Edits(Library(folder, annotator=who))


def fresh(folder: Path, who: str = "reader") -> Library:
    """Another process's view of the library."""
    return Library(folder, annotator=who)


def test_tag_untag_and_toggle_are_saved_for_other_processes(folder: Path):
    ayse = edits_for(folder, "ayse")
    change = ayse.tag(SAMPLE, "ceasefire", "mediation", "ceasefire")
    assert change is not None and [r.tag for r in change.records()] == ["ceasefire", "mediation"]
    assert ayse.tag(SAMPLE, "ceasefire") is None  # already tagged: nothing to undo either
    assert fresh(folder).tags_by_article()[SAMPLE] == ["ceasefire", "mediation"]
    ayse.untag(SAMPLE, "ceasefire")
    ayse.toggle_tag(SAMPLE, "humanitarian aid")
    ayse.toggle_tag(SAMPLE, "mediation")
    assert fresh(folder).tags_by_article()[SAMPLE] == ["humanitarian aid"]


def test_a_tag_needs_a_name(folder: Path):
    with pytest.raises(EditError):
        edits_for(folder, "ayse").tag(SAMPLE, "  \x1b[31m ")


def test_undo_and_redo_every_kind_of_change(folder: Path):
    ayse = edits_for(folder, "ayse")
    library = ayse.library
    text = library.load_article(SAMPLE).text
    ayse.tag(SAMPLE, "ceasefire")
    span = ayse.add_span(SAMPLE, text, 0, 10, "mediation", note="ilk").records()[0]
    ayse.edit_span(span.id, label="ceasefire", note="")
    note = ayse.add_note(SAMPLE, "izlenecek").records()[0]
    ayse.edit_note(note.id, "izlenecek haber")
    ayse.correct_entity(SAMPLE, "relabel", "MİT", "PERSON")
    ayse.set_done(SAMPLE)

    def state() -> tuple:
        lib = fresh(folder)
        return (
            [t.tag for t in lib.records(Tag)],
            [(s.label, s.note) for s in lib.records(Span)],
            [n.text for n in lib.records(Note)],
            [(e.action, e.text, e.label) for e in lib.records(EntityCorrection)],
            len(lib.records(DoneMark)),
        )

    full = state()
    assert full == (
        ["ceasefire"],
        [("ceasefire", None)],
        ["izlenecek haber"],
        [("relabel", "MİT", "PERSON")],
        1,
    )
    history = []
    while (step := ayse.undo()) is not None:
        history.append((step.description, state()))
    assert history[-1][1] == ([], [], [], [], 0)
    assert [d for d, _ in history] == [
        "mark done",
        "entity relabel MİT",
        "edit note",
        "note",
        "edit passage",
        "passage mediation",
        "tag ceasefire",
    ]
    assert history[3][1][1] == [("ceasefire", None)]  # before the note: the edited passage
    assert history[4][1][1] == [("mediation", "ilk")]  # the passage as first saved
    while ayse.redo() is not None:
        pass
    assert state() == full


def test_a_new_change_clears_redo(folder: Path):
    ayse = edits_for(folder, "ayse")
    ayse.tag(SAMPLE, "a")
    ayse.undo()
    ayse.tag(SAMPLE, "b")
    assert ayse.redo() is None


def test_an_empty_note_edit_deletes_the_note_and_undo_brings_it_back(folder: Path):
    ayse = edits_for(folder, "ayse")
    note = ayse.add_note(SAMPLE, "geçici").records()[0]
    assert ayse.add_note(SAMPLE, "   ") is None
    ayse.edit_note(note.id, "  ")
    assert fresh(folder).records(Note) == []
    ayse.undo()
    assert [n.text for n in fresh(folder).records(Note)] == ["geçici"]


def test_nobody_changes_or_deletes_anothers_records(folder: Path):
    ayse, bora = edits_for(folder, "ayse"), edits_for(folder, "bora")
    text = ayse.library.load_article(SAMPLE).text
    span = ayse.add_span(SAMPLE, text, 0, 5, "mediation").records()[0]
    note = ayse.add_note(SAMPLE, "ayşe'nin notu").records()[0]
    ayse.tag(SAMPLE, "ceasefire")
    with pytest.raises(NotYours, match="ayse"):
        bora.delete_span(span.id)
    with pytest.raises(NotYours):
        bora.edit_note(note.id, "bora yazdı")
    assert bora.untag(SAMPLE, "ceasefire") is None  # only your own tags are yours to remove
    lib = fresh(folder)
    assert [n.text for n in lib.records(Note)] == ["ayşe'nin notu"]
    assert [t.annotator for t in lib.records(Tag)] == ["ayse"]
    bora.tag(SAMPLE, "ceasefire")
    assert sorted(t.annotator for t in fresh(folder).records(Tag)) == ["ayse", "bora"]
    assert fresh(folder).tags_by_article()[SAMPLE] == ["ceasefire"]


def test_each_annotator_writes_only_their_own_file(folder: Path):
    edits_for(folder, "ayse").tag(SAMPLE, "ceasefire")
    edits_for(folder, "bora").add_note(SAMPLE, "not")
    files = sorted(p.name for p in (folder / "annotations").glob("*.jsonl"))
    assert files == ["ayse.jsonl", "bora.jsonl"]
    assert b"ceasefire" in (folder / "annotations" / "ayse.jsonl").read_bytes()
    assert b"ceasefire" not in (folder / "annotations" / "bora.jsonl").read_bytes()


def test_reading_state_is_private_and_opening_an_article_writes_no_shared_file(folder: Path):
    ayse = edits_for(folder, "ayse")
    ayse.tag(SAMPLE, "x")
    shared = folder / "annotations" / "ayse.jsonl"
    before = shared.stat()
    ayse.mark_read(SAMPLE, position=120)
    after = shared.stat()
    assert (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
    assert fresh(folder, "ayse").read_ids() == {SAMPLE}
    assert fresh(folder, "ayse").reading(SAMPLE).position == 120
    assert fresh(folder, "bora").read_ids() == set()
    ayse.mark_read(SAMPLE, read=False)
    assert fresh(folder, "ayse").read_ids() == set()


def test_done_marks(folder: Path):
    ayse = edits_for(folder, "ayse")
    assert not ayse.is_done(SAMPLE)
    ayse.set_done(SAMPLE)
    assert ayse.set_done(SAMPLE) is None
    assert edits_for(folder, "ayse").is_done(SAMPLE)
    assert not edits_for(folder, "bora").is_done(SAMPLE)
    ayse.set_done(SAMPLE, False)
    assert not edits_for(folder, "ayse").is_done(SAMPLE)


def test_bad_spans_and_entities_are_refused(folder: Path):
    ayse = edits_for(folder, "ayse")
    text = ayse.library.load_article(SAMPLE).text
    with pytest.raises(EditError):
        ayse.add_span(SAMPLE, text, 5, 5, "x")
    with pytest.raises(EditError):
        ayse.add_span(SAMPLE, text, 0, len(text) + 1, "x")
    with pytest.raises(EditError):
        ayse.correct_entity(SAMPLE, "relabel", "MİT", "NOT-A-LABEL")
    with pytest.raises(EditError):
        ayse.correct_entity(SAMPLE, "add", "   ", "ORG")
    assert ayse.stack.done == []


def test_a_failed_write_loses_no_undo_step(folder: Path, monkeypatch):
    ayse = edits_for(folder, "ayse")
    ayse.tag(SAMPLE, "ceasefire")
    original = ayse.library.write

    def full_disk(ops):
        raise LibraryWriteError(folder, OSError(28, "No space left on device"))

    monkeypatch.setattr(ayse.library, "write", full_disk)
    with pytest.raises(LibraryWriteError):
        ayse.undo()
    assert [c.description for c in ayse.stack.done] == ["tag ceasefire"]
    with pytest.raises(LibraryWriteError):
        ayse.tag(SAMPLE, "mediation")
    assert [c.description for c in ayse.stack.done] == ["tag ceasefire"]
    monkeypatch.setattr(ayse.library, "write", original)
    assert ayse.undo() is not None
    assert fresh(folder).records(Tag) == []
