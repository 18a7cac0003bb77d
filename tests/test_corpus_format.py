"""The sample's text format: every field, and degrading gracefully."""

from __future__ import annotations

import pytest

from reader.ingest import parse_bytes

from .conftest import SAMPLE


def test_sample_fields(sample_article):
    a = sample_article
    assert a.source == "Yeni Şafak"
    assert a.date == "2025-11-05"
    assert a.title == "MİT Başkanı Kalın'dan Hamas'la kritik görüşme"
    assert a.published == "2025-11-05T20:20"
    assert a.updated == "2025-11-05"
    assert a.agency == "DHA"
    assert a.lede.startswith("Kalın ve Hamas heyeti")
    assert a.keywords == ["Hamas", "MİT Başkanı", "İbrahim Kalın"]
    kinds = [k for k, _ in a.paragraphs]
    assert kinds == ["paragraph", "paragraph", "subheading", "paragraph", "subheading", "paragraph"]
    assert a.paragraphs[2][1] == "Cumhurbaşkanı Erdoğan'a ve Türkiye'ye ateşkes teşekkürü"


def test_every_body_paragraph_and_no_keyword_lines(sample_article):
    raw = SAMPLE.read_text(encoding="utf-8")
    body_lines = [line for line in raw.split("\n")[6:] if line.strip() and line[0] != "#"]
    for line in body_lines:
        assert line.strip() in sample_article.text
    assert "#" not in sample_article.text


def test_canonical_text_blocks_index_the_text(sample_article):
    text = sample_article.text
    blocks = sample_article.blocks
    assert text[blocks[0].start : blocks[0].end] == sample_article.title
    assert text[blocks[1].start : blocks[1].end] == sample_article.lede
    for block, (_, para) in zip(blocks[2:], sample_article.paragraphs, strict=True):
        assert text[block.start : block.end] == para


@pytest.mark.parametrize(
    ("header", "published", "updated", "agency"),
    [
        ("20:205/11/2025, Çarşamba\nDHA\n", "2025-11-05T20:20", None, "DHA"),
        ("9:0515/11/2025, Cumartesi\n", "2025-11-15T09:05", None, None),
        ("G: 6/11/2025, Perşembe\nAA\n", None, "2025-11-06", "AA"),
        ("", None, None, None),
    ],
)
def test_optional_header_lines(header, published, updated, agency):
    raw = f" date 2025-11-05 Kaynak\nBaşlık\n\n{header}Özet cümlesi burada.\n\nGövde paragrafı.\n"
    article = parse_bytes("x.txt", raw.encode()).articles[0]
    assert (article.published, article.updated, article.agency) == (published, updated, agency)
    assert article.lede == "Özet cümlesi burada."
    assert article.source == "Kaynak"


def test_unreadable_date_is_null_not_today():
    raw = "date 2025-13-45 Kaynak\nBaşlık\n\nÖzet.\n"
    article = parse_bytes("x.txt", raw.encode()).articles[0]
    assert article.date is None


def test_english_update_line_and_month_day_order():
    raw = (
        "date 2025-10-14 Reuters\nTitle\n\n18:3010/14/2025, Tuesday\nU: 14/10/2025, Tuesday\n"
        "Reuters\nLede here.\n\nBody.\n"
    )
    article = parse_bytes("x.txt", raw.encode()).articles[0]
    assert article.published == "2025-10-14T18:30"
    assert article.updated == "2025-10-14"
    assert article.agency == "Reuters"


def test_keywords_only_trailing_hash_lines():
    raw = "date 2025-11-05 K\nT\n\nLede.\n\n#not a keyword here\n\nBody text.\n\n#a\n#b c\n"
    article = parse_bytes("x.txt", raw.encode()).articles[0]
    assert article.keywords == ["a", "b c"]
    assert "#not a keyword here" in article.text
