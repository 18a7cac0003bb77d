"""Encodings and line ends: never mangle Turkish letters; one article however it is saved."""

from __future__ import annotations

import codecs

import pytest

from reader.ingest import parse_bytes

from .conftest import SAMPLE

RAW = SAMPLE.read_text(encoding="utf-8")


def _ids(data: bytes) -> tuple[str, str]:
    parsed = parse_bytes("a.txt", data)
    assert not parsed.problems, parsed.problems
    return parsed.articles[0].id, parsed.articles[0].text


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: codecs.BOM_UTF8 + s.replace("\n", "\r\n").encode("utf-8"),
        lambda s: s.replace("\n", "\r").encode("utf-8"),
        lambda s: s.encode("utf-16"),
        lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
        lambda s: s.encode("cp1254"),
        lambda s: s.replace("\n", "\r\n").encode("iso-8859-9", errors="replace"),
    ],
    ids=["utf8", "utf8-bom-crlf", "cr", "utf16le-bom", "utf16be-bom", "cp1254", "iso8859-9-crlf"],
)
def test_same_article_in_every_encoding(encode):
    reference_id, reference_text = _ids(RAW.encode("utf-8"))
    try:
        data = encode(RAW)
    except UnicodeEncodeError:
        pytest.skip("encoding cannot hold the sample")
    article_id, article_text = _ids(data)
    if b"?" in data and b"?" not in RAW.encode():  # ISO-8859-9 has no ’: only compare letters
        assert "ş" in article_text and "İ" in article_text and "ı" in article_text
        return
    assert article_text == reference_text
    assert article_id == reference_id


def test_cp1254_with_smart_quotes_keeps_turkish_letters():
    text = "Başlık: “Işık” ve ‘ağaç’ şöyle\n\nİstanbul’da ığdır, ŞĞÜÇÖ çalışması sürüyor."
    parsed = parse_bytes("x.txt", text.encode("cp1254"))
    assert parsed.articles[0].encoding == "cp1254"
    assert "İstanbul’da ığdır, ŞĞÜÇÖ" in parsed.articles[0].text
    assert parsed.articles[0].title == "Başlık: “Işık” ve ‘ağaç’ şöyle"


def test_nfd_input_becomes_nfc():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Şişli'de ölçüm\n\nGövde.")
    article = parse_bytes("x.txt", nfd.encode()).articles[0]
    assert article.title == "Şişli'de ölçüm"
    assert "ş" in article.title
