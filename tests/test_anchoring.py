"""Finding a passage again in a changed text by its quote and context, never by a guess.

Each case is an old text with the passage between « and », and the new text with the place it
must be found between « and », or no marks when it must be orphaned (None).
"""

from __future__ import annotations

import pytest

from annotations.anchoring import reanchor
from annotations.records import Span


def marked(text: str) -> tuple[str, tuple[int, int] | None]:
    """The text without its « » marks, and the place they marked (or None)."""
    if "«" not in text:
        return text, None
    start = text.index("«")
    end = text.index("»") - 1
    return text.replace("«", "").replace("»", ""), (start, end)


def span_in(marked_text: str) -> Span:
    """A span as it is recorded: quote, offsets, and its context on both sides."""
    text, place = marked(marked_text)
    assert place is not None
    start, end = place
    return Span.new("a" * 16, text, start, end, "mediation", "ayse")


CASES = {
    "unchanged text: the offsets, though the quote occurs twice": (
        "Taraflar «ateşkes» konusunda anlaştı; ateşkes yarın başlıyor.",
        "Taraflar «ateşkes» konusunda anlaştı; ateşkes yarın başlıyor.",
    ),
    "still at its offsets, the text after it changed: the offsets win": (
        "Birinci ateşkes. İkinci «ateşkes» bozuldu.",
        "Birinci ateşkes. İkinci «ateşkes» sürüyor; Birinci ateşkes. İkinci ateşkes de sürüyor.",
    ),
    "moved by a new paragraph before it, with its context": (
        "Taraflar Kahire'de «ateşkes» konusunda anlaştı.",
        "Yeni bir giriş paragrafı eklendi.\n\nTaraflar Kahire'de «ateşkes» konusunda anlaştı.",
    ),
    "moved, its context rewritten, but it occurs once": (
        "Taraflar «ateşkes» konusunda anlaştı.",
        "Uzun bir giriş cümlesi. Dün ilan edilen «ateşkes» bugün bozuldu.",
    ),
    "gone": (
        "Taraflar «ateşkes» konusunda anlaştı.",
        "Taraflar barış konusunda anlaştı.",
    ),
    "four times: the one with its prefix and suffix (neither the first nor the nearest)": (
        "Ankara'da yapılan görüşmede «ateşkes» ilan edildi ve taraflar memnun kaldı.",
        "Önce ateşkes önerildi, ateşkes reddedildi. Giriş eklendi. Ankara'da yapılan "
        "görüşmede «ateşkes» ilan edildi ve taraflar memnun kaldı. Sonra ateşkes konuşuldu.",
    ),
    "three times, one shares its prefix, one its suffix: only both together decide": (
        "Kahire'deki görüşmelerin sonunda «ateşkes» yarın sabah başlayacak ve sürecek.",
        "Son durum: Kahire'deki görüşmelerin sonunda ateşkes yarın sabah ilan edilmeyecek. "
        "Doha'daki görüşmelerin sonunda ateşkes yarın sabah başlayacak ve sürecek. "
        "Kahire'deki görüşmelerin sonunda «ateşkes» yarın sabah başlayacak ve sürecek.",
    ),
    "twice with the same suffix: the prefix decides": (
        "Kahire'deki görüşmelerin sonunda «ateşkes» yarın sabah başlayacak.",
        "Doha'daki görüşmelerin sonunda ateşkes yarın sabah başlayacak. Bu arada "
        "Kahire'deki görüşmelerin sonunda «ateşkes» yarın sabah başlayacak.",
    ),
    "twice with the same prefix: the suffix decides": (
        "Görüşmelerin sonunda açıklanan «ateşkes» Gazze'de yarın başlayacak.",
        "Dün: Görüşmelerin sonunda açıklanan ateşkes Lübnan'da başladı. "
        "Görüşmelerin sonunda açıklanan «ateşkes» Gazze'de yarın başlayacak.",
    ),
    "twice, the text after it edited: its prefix alone decides": (
        "Kahire'deki görüşmelerin sonunda «ateşkes» yarın sabah başlayacak.",
        "Doha'daki görüşmelerin sonunda ateşkes ertesi gün başladı. "
        "Kahire'deki görüşmelerin sonunda «ateşkes» ilan edilmedi.",
    ),
    "twice, the text before it edited: its suffix alone decides": (
        "Görüşmelerin sonunda açıklanan «ateşkes» Gazze'de yarın başlayacak.",
        "Dün ilan edilen ateşkes Lübnan'da başladı. Tarafların duyurduğu «ateşkes» "
        "Gazze'de yarın başlayacak.",
    ),
    "twice, the text after it edited, the near context fits both: its prefix decides": (
        "Kahire'deki görüşmelerin sonunda «ateşkes» yarın sabah başlayacak.",
        "Doha'daki görüşmelerin sonunda ateşkes yarın sabah ilan edildi. "
        "Kahire'deki görüşmelerin sonunda «ateşkes» yarın sabah ilan edilmedi.",
    ),
    "twice, the text before it edited, the near context fits both: its suffix decides": (
        "Görüşmelerin sonunda açıklanan «ateşkes» Gazze'de yarın başlayacak.",
        "Geçen hafta sonra açıklanan ateşkes Gazze'de yarın ilan edilmedi. "
        "Haftalar sonra açıklanan «ateşkes» Gazze'de yarın başlayacak.",
    ),
    "three times, only the nearest context kept: the near context decides": (
        "Dün akşam saatlerinde Kahire'de «ateşkes» ilan edildi, bugün ise yürürlükte.",
        "Doha'da ateşkes tartışılıyor. Başka bir ateşkes daha var. "
        "Bu sabah erken saatlerde Kahire'de «ateşkes» ilan edildi, yarın da sürecek.",
    ),
    "three times, its context gone: orphaned, not the first nor the nearest": (
        "Uzun bir giriş cümlesi, sonra taraflar Kahire'de «ateşkes» konusunda anlaştı.",
        "Yeni metin: ateşkes önerildi, sonra ateşkes reddedildi, en sonunda ateşkes kabul edildi.",
    ),
    "its paragraph now twice, context and all: orphaned": (
        "Giriş.\n\nUzun bir paragrafın ortasında, Kahire'deki görüşmede «ateşkes» ilan edildi "
        "ve taraflar yarın yeniden bir araya gelecek.\n\nSon.",
        "Yeni bir giriş.\n\nUzun bir paragrafın ortasında, Kahire'deki görüşmede ateşkes ilan "
        "edildi ve taraflar yarın yeniden bir araya gelecek.\n\nUzun bir paragrafın ortasında, "
        "Kahire'deki görüşmede ateşkes ilan edildi ve taraflar yarın yeniden bir araya "
        "gelecek.\n\nSon.",
    ),
}


@pytest.mark.parametrize(("old", "new"), list(CASES.values()), ids=list(CASES))
def test_reanchor_finds_the_place_for_sure_or_orphans(old: str, new: str):
    span = span_in(old)
    text, expected = marked(new)
    quote = span.quote
    places = [i for i in range(len(text)) if text.startswith(quote, i)]
    if expected and len(places) > 1 and text[span.start : span.end] != quote:
        # the context must decide: taking the first match, or the nearest, would be wrong
        nearest = min(places, key=lambda i: abs(i - span.start))
        assert expected[0] not in (places[0], nearest), "a case that does not test the context"
    assert reanchor(span, text) == expected


def test_an_empty_quote_is_never_placed():
    span = Span("s1", "a" * 16, "ayse", "", quote="", start=0, end=0, suffix="Taraflar")
    assert reanchor(span, "Taraflar anlaştı.") is None
