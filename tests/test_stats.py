"""The corpus at a glance: the statistics of a real library, the entity cache, reader stats."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import orjson
import pytest

from annotations.edits import Edits
from annotations.library import Library
from annotations.stats import EntityTotals, corpus_stats, iso_week
from reader.core import entity_counts
from reader.core.entity_counts import EntityCounts
from reader.core.importing import import_parsed, import_samples
from reader.entities import recognize
from reader.ingest import parse_bytes

from .conftest import run_cli

GAZA = "00e97159207a77b9"  # Yeni Şafak, 2025-11-05 (W45)
SUDAN = "39d327a79fe8184c"  # BBC Türkçe, 2025-11-10 (W46)
BLACK_SEA = "c80522fe43520d13"  # Associated Press, 2025-11-12 (W46)
GENEVA = "f36045fac382ec89"  # Reuters, 2025-10-14 (W42)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The samples, an undated article, and two annotators' work."""
    library = Library(tmp_path / "lib", annotator="ayse")
    import_samples(library)
    undated = "Tarihsiz bir haber\n\nKaynağı ve tarihi olmayan bir metin.\n"
    import_parsed(library, [parse_bytes("undated.txt", undated.encode())])
    ayse, mehmet = Edits(library), Edits(Library(tmp_path / "lib", annotator="mehmet"))
    ayse.tag(GAZA, "ceasefire", "mediation")
    ayse.tag(GENEVA, "ceasefire")
    mehmet.tag(GAZA, "ceasefire")
    mehmet.tag(SUDAN, "humanitarian aid")
    text = library.load_article(GAZA).text
    ayse.add_span(GAZA, text, 0, 5, "mediation")
    ayse.add_span(GAZA, text, 10, 20, "mediation")
    mehmet.add_span(SUDAN, library.load_article(SUDAN).text, 0, 5, "aid")
    ayse.set_done(GAZA)
    ayse.set_done(GENEVA)
    mehmet.set_done(SUDAN)
    mehmet.set_done(GAZA)
    mehmet.set_done(GAZA, done=False)  # cleared: not done
    return tmp_path / "lib"


def test_articles_per_source_and_week(folder: Path):
    stats = corpus_stats(Library(folder, annotator="reader"))
    assert stats.articles == 8
    sources = {t.name: t.count for t in stats.sources}
    assert sources["Yeni Şafak"] == 1 and sources[""] == 1 and sum(sources.values()) == 8
    weeks = [(t.name, t.count) for t in stats.weeks]
    assert weeks == [("2025-W42", 1), ("2025-W43", 0), ("2025-W44", 1), ("2025-W45", 3),
                     ("2025-W46", 2)]  # fmt: skip
    assert stats.undated == 1
    assert iso_week("2024-12-30") == "2025-W01" and iso_week("30/12/2024") is None


def test_tags_and_labels_count_records_articles_and_gold(folder: Path):
    stats = corpus_stats(
        Library(folder, annotator="reader"), gold_tags={"ceasefire": 2}, gold_labels={"lede": 1}
    )
    tags = {u.name: (u.records, u.articles, u.gold) for u in stats.tags}
    assert tags == {"ceasefire": (3, 2, 2), "mediation": (1, 1, 0), "humanitarian aid": (1, 1, 0)}
    assert [u.name for u in stats.tags][0] == "ceasefire"  # most records first
    labels = {u.name: (u.records, u.articles, u.gold) for u in stats.labels}
    assert labels == {"mediation": (2, 1, 0), "aid": (1, 1, 0), "lede": (0, 0, 1)}
    per_week = {s.name: dict(zip([w.name for w in stats.weeks], s.counts, strict=True))
                for s in stats.tags_per_week}  # fmt: skip
    assert per_week["ceasefire"] == {"2025-W42": 1, "2025-W43": 0, "2025-W44": 0,
                                     "2025-W45": 1, "2025-W46": 0}  # fmt: skip
    assert per_week["humanitarian aid"]["2025-W46"] == 1


def test_annotators_done_and_remaining(folder: Path):
    from annotations.journal import Op
    from annotations.records import DoneMark

    gone = DoneMark.new("ffffffffffffffff", "ayse")  # an article not in this library
    Library(folder, annotator="ayse").write([Op(gone.KIND, gone.to_dict())])
    stats = corpus_stats(Library(folder, annotator="reader"))
    people = {p.name: (p.done, p.remaining) for p in stats.annotators}
    assert people == {"ayse": (2, 6), "mehmet": (1, 7)}  # mehmet's cleared mark is not done
    ayse = next(p for p in stats.annotators if p.name == "ayse")
    assert sum(d.count for d in ayse.per_day) == 2 and len(ayse.per_day[0].name) == 10


def test_entity_counts_are_cached_and_partial_until_all_are_counted(folder: Path):
    library = Library(folder, annotator="reader")
    cache = EntityCounts(library)
    assert corpus_stats(library, entities=cache.current()).entities_counted == 0
    assert cache.count([GAZA, SUDAN]) == 2
    partial = corpus_stats(library, entities=EntityCounts(library).current())
    assert partial.entities_counted == 2 and partial.entities_partial
    missing = EntityCounts(library).missing()
    assert len(missing) == 6 and GAZA not in missing
    EntityCounts(library).count(missing)
    stats = corpus_stats(library, entities=EntityCounts(library).current(), top_entities=5)
    assert stats.entities_counted == 8 and not stats.entities_partial
    expected: Counter[tuple[str, str]] = Counter()
    for doc in library.articles():
        article = library.load_article(doc["id"])
        expected.update((e.text, e.label) for e in recognize(article.text, article.keywords))
    top = {(e.surface, e.label): e.mentions for e in stats.entities}
    assert top == {key: expected[key] for key in top}
    assert sorted(top.values(), reverse=True) == sorted(expected.values(), reverse=True)[:5]


def test_entity_counts_follow_corrections_and_the_recogniser_version(folder, monkeypatch):
    library = Library(folder, annotator="ayse")
    EntityCounts(library).count([GAZA])
    totals = EntityCounts(library).current().totals
    assert ("Hamas", "ORG") in totals
    edits = Edits(library)
    edits.correct_entity(GAZA, "remove", "Hamas", None)
    edits.correct_entity(GAZA, "relabel", "MİT", "PERSON")
    corrected = EntityCounts(library).current().totals
    assert ("Hamas", "ORG") not in corrected
    assert corrected[("MİT", "PERSON")] == totals[("MİT", "ORG")]
    monkeypatch.setattr(entity_counts, "recognizer_version", lambda: "another")
    assert EntityCounts(library).current().counted == frozenset()  # counted again, anew
    EntityCounts(library).count([SUDAN])
    assert EntityCounts(library).current().counted == {SUDAN}


def test_damaged_or_cut_cache_lines_are_counted_again(folder: Path):
    library = Library(folder, annotator="reader")
    cache = EntityCounts(library)
    cache.count([GAZA])
    with open(cache.path, "ab") as handle:
        handle.write(b'{"id": "' + SUDAN.encode() + b'", "e": [["x"]]}\n{"id": "cut')
    assert EntityCounts(library).current().counted == {GAZA}


def test_no_entities_given_counts_nothing(folder: Path):
    stats = corpus_stats(Library(folder, annotator="r"), entities=EntityTotals())
    assert stats.entities == () and stats.entities_counted == 0


def test_reader_stats_json(folder: Path):
    result = run_cli("stats", "--json", library=folder)
    assert result.returncode == 0, result.stderr
    data = orjson.loads(result.stdout)
    assert data["articles"] == 8
    assert data["tags"]["ceasefire"] == {"records": 3, "articles": 2, "gold": 0}
    assert data["labels"]["mediation"] == {"records": 2, "articles": 1, "gold": 0}
    assert data["annotators"] == {
        "ayse": {"done": 2, "remaining": 6},
        "mehmet": {"done": 1, "remaining": 7},
    }
    assert data["sources"]["Reuters"] == 1 and data["undated"] == 1
    assert data["weeks"]["2025-W45"] == 3
    assert data["tags_per_week"]["ceasefire"] == {"2025-W42": 1, "2025-W45": 1}
    assert sum(data["done_per_day"]["ayse"].values()) == 2
    assert data["entities"]["counted"] == 8 and data["entities"]["of"] == 8  # a small library
    assert {"text", "label", "mentions", "articles"} <= set(data["entities"]["top"][0])


def test_reader_stats_tables_print_input_as_text(folder: Path):
    hostile = "[bold]x[/] \x1b]52;c;aGVsbG8=\x07\x1b[31mred"
    Edits(Library(folder, annotator="ayse")).tag(GAZA, hostile)
    result = run_cli("stats", library=folder, env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "[bold]x[/]" in result.stdout and "8 articles" in result.stdout
    assert "Top entities by mentions" in result.stdout


def test_sparkline_scales_to_the_highest_and_averages_what_it_squeezes():
    from reader.core.sparkline import sparkline

    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7, 8]) == " ▁▂▃▄▅▆▇█"
    assert sparkline([5] * 52, 20) == "█" * 18  # a last, shorter group is not low
    assert sparkline([0, 0]) == "  " and sparkline([]) == ""


def test_entity_counts_without_a_writable_cache_stay_in_the_process(folder: Path, tmp_path):
    (tmp_path / "not-a-folder").write_text("")
    library = Library(folder, annotator="reader")
    cache = EntityCounts(library, tmp_path / "not-a-folder" / "counts.jsonl")
    assert cache.count([GAZA, SUDAN]) == 2
    assert cache.current().counted == {GAZA, SUDAN}
    assert cache.missing() and GAZA not in cache.missing()
