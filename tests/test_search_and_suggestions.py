"""Search keys, Turkish folding and tag suggestions, as pure functions."""

from __future__ import annotations

from annotations.taxonomy import load_taxonomy, suggest_tags
from annotations.textfold import fold, fold_query
from reader.core.search import Searcher


def rows(*titles: str) -> list[dict]:
    return [{"id": str(i), "title": t} for i, t in enumerate(titles)]


def test_turkish_case_and_apostrophes_fold_alike():
    assert fold("İSTANBUL") == fold("istanbul") == fold("Istanbul")
    assert fold("ISPARTA") == fold("Isparta") == fold("ıspARTA")
    assert fold_query("Türkiye’nin") == fold_query("türkiye'nin")
    assert len(fold("İİİ")) == 3


def test_every_word_must_match_and_titles_rank_first():
    articles = rows("Isparta'da yağmur", "Ankara haberi", "Başka")
    keys = {
        "0": fold("Isparta'da yağmur metin"),
        "1": fold("Ankara haberi ISPARTA ve ankara"),
        "2": fold("Başka bir şey"),
    }
    searcher = Searcher(keys)
    assert [r["id"] for r in searcher.search("isparta", articles)] == ["0", "1"]
    assert [r["id"] for r in searcher.search("ısparta ANKARA", articles)] == ["1"]
    assert searcher.search("  ", articles) == articles
    assert searcher.search("yok", articles) == []


def test_sample_article_suggestions(sample_article):
    suggested = suggest_tags(sample_article.text, load_taxonomy())
    assert {"ceasefire", "humanitarian aid", "mediation"} <= set(suggested)


def test_user_taxonomy_replaces_and_broken_one_is_reported(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("tags:\n  - key: ateşkes\n    keywords: [ateşkes]\n", encoding="utf-8")
    assert load_taxonomy(good).tag_keys() == ["ateşkes"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("tags: [1, 2", encoding="utf-8")
    taxonomy = load_taxonomy(bad)
    assert "ceasefire" in taxonomy.tag_keys()
    assert str(bad) in taxonomy.problem
