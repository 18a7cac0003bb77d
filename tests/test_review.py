"""Disagreements, adjudication into the gold layer, and its export (no app)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import yaml

from annotations.adjudication import BOTH, NEITHER, NotCurator, settle, settle_all
from annotations.edits import Edits
from annotations.library import Library
from annotations.merge import merge_file
from annotations.review import AGREEMENT, build_review
from annotations.safeyaml import YamlInputError
from annotations.yamlio import dump, export_document
from reader.core.importing import import_samples

SAMPLE = "00e97159207a77b9"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two annotators on one article: they agree on "ceasefire", differ on "mediation" and
    on the end of a passage. Another article only bora marked done."""
    folder = tmp_path / "lib"
    import_samples(Library(folder, annotator="setup"))
    text = Library(folder, "setup").load_article(SAMPLE).text
    ayse, bora = Edits(Library(folder, "ayse")), Edits(Library(folder, "bora"))
    ayse.tag(SAMPLE, "ceasefire", "mediation")
    bora.tag(SAMPLE, "ceasefire")
    ayse.add_span(SAMPLE, text, 10, 30, "demand")
    bora.add_span(SAMPLE, text, 10, 34, "demand")
    ayse.add_span(SAMPLE, text, 100, 120, "actor")
    bora.add_span(SAMPLE, text, 100, 120, "actor")
    for who in (ayse, bora):
        who.set_done(SAMPLE)
    other = next(a["id"] for a in bora.library.articles() if a["id"] != SAMPLE)
    bora.tag(other, "ceasefire")
    bora.set_done(other)  # one annotator only: nothing to compare, nothing agreed
    return folder


def test_only_done_annotators_are_compared_and_agreement_is_settled(folder: Path):
    cem = Edits(Library(folder, "cem"))
    cem.tag(SAMPLE, "mediation")  # never marked done: takes no part
    review = build_review(Library(folder, "ayse"))
    open_items = [(i.kind, i.name) for i in review.disagreements()]
    assert open_items == [("tag", "mediation"), ("label", "demand")]
    assert review.progress() == (0, 2)
    gold = review.gold()
    assert {(g.tag or g.span.label, g.decided_by) for g in gold} == {  # type: ignore[union-attr]
        ("ceasefire", AGREEMENT),
        ("actor", AGREEMENT),
    }


def test_settle_take_both_neither_and_undo(folder: Path):
    curator = Edits(Library(folder, "cem"))
    review = build_review(curator.library)
    mediation, demand = review.disagreements()
    assert settle(curator, mediation, "bora") is not None  # bora said no
    settle(curator, demand, "ayse")
    review = build_review(Library(folder, "x"))
    assert review.progress() == (2, 2)
    tags = sorted(g.tag for g in review.gold() if g.tag)
    spans = [
        (g.span.start, g.span.end) for g in review.gold() if g.span and g.span.label == "demand"
    ]
    assert tags == ["ceasefire"] and spans == [(10, 30)]
    settle(curator, demand, BOTH)
    spans = [
        (g.span.start, g.span.end)
        for g in build_review(curator.library).gold()
        if g.span and g.span.label == "demand"
    ]
    assert spans == [(10, 30), (10, 34)]
    curator.undo()
    spans = [
        (g.span.start, g.span.end)
        for g in build_review(Library(folder, "x")).gold()
        if g.span and g.span.label == "demand"
    ]
    assert spans == [(10, 30)]
    settle(curator, mediation, NEITHER)
    assert "mediation" not in {g.tag for g in build_review(Library(folder, "x")).gold()}


def test_the_newest_decision_across_curators_wins_and_undo_brings_the_other_back(folder: Path):
    cem, deniz = Edits(Library(folder, "cem")), Edits(Library(folder, "deniz"))
    mediation = build_review(cem.library).disagreements()[0]
    settle(cem, mediation, "ayse")
    settle(deniz, mediation, "bora")

    def gold_tags() -> set[str | None]:
        return {g.tag for g in build_review(Library(folder, "x")).gold()}

    assert "mediation" not in gold_tags()
    deniz.undo()
    assert "mediation" in gold_tags()  # cem's decision stands again


def test_curators_list_restricts_who_settles(folder: Path):
    (folder / "library.yaml").write_text("curators: [cem]\n", encoding="utf-8")
    item = build_review(Library(folder, "x")).disagreements()[0]
    with pytest.raises(NotCurator, match="not a curator"):
        settle(Edits(Library(folder, "deniz")), item, "ayse")
    assert settle(Edits(Library(folder, "cem")), item, "ayse") is not None


def test_bulk_prefer_then_majority_and_ties(folder: Path):
    curator = Edits(Library(folder, "cem"))
    report = settle_all(curator, build_review(curator.library), None)
    assert report.settled == {} and len(report.left) == 2  # two annotators: every split a tie
    report = settle_all(curator, build_review(curator.library), "ayse")
    assert report.settled == {"tag": 1, "passage": 1} and not report.left
    assert build_review(curator.library).progress() == (2, 2)


def test_gold_export_holds_exactly_the_settled_records_and_is_not_merged(
    folder: Path, tmp_path: Path
):
    curator = Edits(Library(folder, "cem"))
    settle(curator, build_review(curator.library).disagreements()[0], "ayse")  # mediation: yes
    document = export_document(Library(folder, "x"), gold=True)
    assert document["layer"] == "gold"
    (entry,) = document["articles"]
    assert [(t["tag"], t["annotator"]) for t in entry["tags"]] == [
        ("ceasefire", "agreement"),
        ("mediation", "cem"),
    ]
    assert [(s["label"], s["start"], s["end"]) for s in entry["spans"]] == [("actor", 100, 120)]
    assert all(r["gold"] is True for r in entry["tags"] + entry["spans"])
    path = tmp_path / "gold.yaml"
    path.write_text(dump(document), encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["articles"][0]["tags"][1]["basis"] == [
        "ayse"
    ]
    with pytest.raises(YamlInputError, match="gold layer"):
        merge_file(Library(folder, "x"), path)


def test_curator_decisions_travel_in_the_ordinary_export(folder: Path, tmp_path: Path):
    """A curator's gold records are theirs, exported and merged like any annotator's."""
    curator = Edits(Library(folder, "cem"))
    settle(curator, build_review(curator.library).disagreements()[0], "ayse")
    path = tmp_path / "all.yaml"
    path.write_text(dump(export_document(Library(folder, "x"))), encoding="utf-8")
    elsewhere = tmp_path / "other"
    import_samples(Library(elsewhere, annotator="setup"))
    report = merge_file(Library(elsewhere, "deniz"), path)
    assert report.added.get("gold") == 1
    assert "mediation" in {g.tag for g in build_review(Library(elsewhere, "x")).gold()}


def test_the_command_line_from_done_to_gold_export(tmp_path: Path):
    from .conftest import run_cli

    folder = tmp_path / "lib"
    import_samples(Library(folder, annotator="setup"))
    for who, tags in (("ayse", ["ceasefire", "mediation"]), ("bora", ["ceasefire"])):
        env = {"USER": who, "LOGNAME": who}
        assert run_cli("--annotator", who, "tag", SAMPLE[:6], *tags, library=folder).returncode == 0
        done = run_cli("--annotator", who, "done", SAMPLE[:6], library=folder, env=env)
        assert done.returncode == 0 and f"{SAMPLE}: done" in done.stderr
    result = run_cli("agreement", "--json", library=folder)
    assert result.returncode == 0, result.stderr
    report = orjson.loads(result.stdout)
    assert report["tags"]["ceasefire"] == {
        "kappa": None,
        "alpha": None,
        "observed": 1.0,
        "articles": 1,
        "why_null": {
            "kappa": "both annotators gave one and the same answer everywhere",
            "alpha": "only one answer was ever given (one category only)",
        },
    }
    assert report["pairs"][0]["a"] == "ayse" and report["pairs"][0]["tag"] == "ceasefire"
    settled = run_cli("--annotator", "cem", "adjudicate", "--prefer", "bora", library=folder)
    assert "settled 1 tag;" in settled.stderr, settled.stderr
    gold = yaml.safe_load(run_cli("export", "--gold", library=folder).stdout)
    assert [t["tag"] for t in gold["articles"][0]["tags"]] == ["ceasefire"]
    stats = orjson.loads(run_cli("stats", "--json", library=folder).stdout)
    assert stats["tags"]["ceasefire"] == {"records": 2, "articles": 1, "gold": 1}
    jsonl = run_cli("export", "--gold", "--format", "jsonl", library=folder).stdout.splitlines()
    assert [orjson.loads(line)["meta"]["tags"] for line in jsonl] == [["ceasefire"]]
    too_few = run_cli("agreement", "--annotators", "ayse", library=folder)
    assert too_few.returncode == 1 and "two annotators" in too_few.stderr
