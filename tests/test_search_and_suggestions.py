"""Search keys, Turkish folding and tag suggestions, as pure functions."""

from __future__ import annotations

from annotations.taxonomy import load_taxonomy, suggest_tags
from annotations.textfold import fold, fold_query, lower, reads_turkish, upper
from reader.core.highlights import search_marks
from reader.core.search import Searcher


def rows(*titles: str) -> list[dict]:
    return [{"id": str(i), "title": t} for i, t in enumerate(titles)]


def test_turkish_case_and_apostrophes_fold_alike():
    assert fold("İSTANBUL") == fold("istanbul") == fold("Istanbul")
    assert fold("ISPARTA") == fold("Isparta") == fold("ıspARTA")
    assert fold_query("Türkiye’nin") == fold_query("türkiye'nin")
    assert len(fold("İİİ")) == 3


def test_turkish_upper_and_lower_case():
    assert upper("istanbul ılık, Türkiye'ye") == "İSTANBUL ILIK, TÜRKİYE'YE"
    assert upper("with it", turkish=False) == "WITH IT"
    assert lower("IĞDIR İZMİR") == "ığdır izmir"
    assert len(lower("İİİ")) == 3
    assert reads_turkish("Kısa")  # too short to tell: Turkish
    assert not reads_turkish("Aid agencies were cautious about the corridor. " * 5 + "Erdoğan too.")
    assert reads_turkish("Yardım kuruluşları koridor konusunda temkinli davranıyor. " * 5)


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


def test_typed_without_turkish_letters_or_apostrophes_it_still_finds():
    articles = rows("Kahramanmaraş’ta gül hasadı", "Gulf news", "Isparta'da yağmur")
    searcher = Searcher({a["id"]: fold(a["title"] + " metin") for a in articles})

    def found(query: str) -> list[str]:
        return [r["id"] for r in searcher.search(query, articles)]

    assert found("kahramanmaras") == found("gul hasadi") == found("KAHRAMANMARAŞTA") == ["0"]
    assert found("Ispartada") == found("isparta'da") == ["2"]
    assert found("gul") == ["0", "1"]
    assert found("gül") == ["0"]  # typed with Turkish letters, it means them
    assert searcher.mentioning("Kahramanmaras") == searcher.mentioning("gul") == {"0"}
    assert searcher.mentioning("isparta") == searcher.mentioning("ISPARTADA") == {"2"}
    assert searcher.mentioning("gulf") == {"1"}
    assert searcher.mentioning("gül haberi") == set()


def test_search_marks_find_what_search_finds():
    text = "Kahramanmaraş’ta gül hasadı. Gulf. İSPARTA'DA"
    marked = [text[m.start : m.end] for m in search_marks(text, "kahramanmarasta GUL ispartada")]
    assert marked == ["Kahramanmaraş’ta", "gül", "Gul", "İSPARTA'DA"]
    assert [text[m.start : m.end] for m in search_marks(text, "gül")] == ["gül"]


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
    for text, where in [
        ("tags:\n  - key: a\n   keywords: [b]\n", "line 3: "),  # YAML: indentation
        ("tags:\n  - key: a\n  - name: b\n", "line 3: tag 2: needs a 'key'"),
        ("tags:\n  - key: a\n    keywords:\n      x: y\n", "line 4: tag a: 'keywords'"),
        ("tags:\n  - &a {key: a}\n  - *a\n", "line 2: anchors and aliases"),
    ]:
        bad.write_text(text, encoding="utf-8")
        assert f"{bad}, {where}" in load_taxonomy(bad).problem, text
