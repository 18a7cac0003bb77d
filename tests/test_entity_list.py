"""The user's entity list: YAML export/import and spaCy/Prodigy patterns."""

from __future__ import annotations

from pathlib import Path

from annotations import entity_list
from annotations.edits import Edits
from annotations.library import Library
from annotations.yamlio import dump
from reader.core.annotating import article_entities

from .conftest import run_cli

SAMPLE_ID = "00e97159207a77b9"


def test_export_then_import_elsewhere(tmp_path: Path, sample_library: Library):
    edits = Edits(sample_library)
    edits.correct_entity(SAMPLE_ID, "relabel", "Hamas", "LOC")
    edits.correct_entity(SAMPLE_ID, "remove", "Kalın")
    path = tmp_path / "list.yaml"
    path.write_text(dump(entity_list.export_document(sample_library)), encoding="utf-8")
    other = Library(tmp_path / "other", annotator="mehmet")
    from reader.core.importing import import_samples

    import_samples(other)
    report = entity_list.import_file(other, path)
    assert (report.added, report.already) == (2, 0)
    assert entity_list.import_file(other, path).already == 2
    entities = article_entities(other, other.load_article(SAMPLE_ID))
    assert {e.label for e in entities if e.text == "Hamas"} == {"LOC"}
    assert not [e for e in entities if e.text == "Kalın"]


def test_spacy_and_prodigy_phrase_patterns(tmp_path: Path, sample_library: Library):
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_text(
        '{"label": "ORG", "pattern": "Müzakere Heyeti"}\n'
        '{"label": "GPE", "pattern": [{"lower": "gazze"}]}\n'
        '{"label": "ORG", "pattern": [{"POS": "PROPN"}]}\n'
        "not json\n",
        encoding="utf-8",
    )
    report = entity_list.import_file(sample_library, patterns)
    assert report.added == 2 and len(report.skipped) == 2
    entities = article_entities(sample_library, sample_library.load_article(SAMPLE_ID))
    assert ("Müzakere Heyeti", "ORG") in {(e.text, e.label) for e in entities}


def test_cli_entity_list(tmp_path: Path):
    lib = tmp_path / "lib"
    run_cli("import", "--samples", library=lib)
    patterns = tmp_path / "p.jsonl"
    patterns.write_text('{"label": "PERSON", "pattern": "Halil Hayye"}\n', encoding="utf-8")
    assert run_cli("entity-list", "import", str(patterns), library=lib).returncode == 0
    out = run_cli("entity-list", "export", library=lib).stdout
    assert "format: reader-entity-list" in out and "Halil Hayye" in out
    assert run_cli("entity-list", "import", library=lib).returncode == 2
