"""Plain text, Markdown, JSON and JSONL inputs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from reader.ingest import parse_bytes


def test_plain_text_first_line_is_title():
    article = parse_bytes("a.txt", b"Ceasefire holds\n\nFirst paragraph.\n\nSecond.\n").articles[0]
    assert article.title == "Ceasefire holds"
    assert [p for _, p in article.paragraphs] == ["First paragraph.", "Second."]
    assert article.date is None


def test_plain_text_one_paragraph_per_line_gets_a_headline_title():
    first = "Kahramanmaraş’ta gül hasadı başladı. " + "Üreticiler tarlalara erken çıktı. " * 140
    dump = f"{first.strip()}\nİkinci paragraf.\nÜçüncü paragraf.\n"
    article = parse_bytes("dump.txt", dump.encode()).articles[0]
    assert article.title == "Kahramanmaraş’ta gül hasadı başladı."
    assert [p for _, p in article.paragraphs] == [
        first.strip(),
        "İkinci paragraf.",
        "Üçüncü paragraf.",
    ]


def test_a_title_from_the_body_is_its_first_sentence_cut_at_a_word():
    long = "Gül " * 80 + "hasadı başladı."
    title = parse_bytes("a.txt", long.encode()).articles[0].title
    assert len(title) <= 200 and title.endswith("Gül…") and long.startswith(title[:-1])
    two = parse_bytes("b.txt", "Deprem oldu. Hasar büyük.\nİkinci.".encode()).articles[0]
    assert (two.title, two.paragraphs[0][1]) == ("Deprem oldu.", "Deprem oldu. Hasar büyük.")
    record = {"body": f"{first_line()}\n\nİkinci paragraf."}
    from_json = parse_bytes("c.json", orjson.dumps(record)).articles[0]
    assert from_json.title == "Ateşkes ilan edildi."
    assert [p for _, p in from_json.paragraphs] == [first_line(), "İkinci paragraf."]
    short = parse_bytes("d.txt", "Erdoğan: Ateşkes şart.\nGövde.".encode()).articles[0]
    assert (short.title, short.text) == (
        "Erdoğan: Ateşkes şart.",
        "Erdoğan: Ateşkes şart.\n\nGövde.",
    )


def first_line() -> str:
    return "Ateşkes ilan edildi. " + "Taraflar metni imzaladı. " * 12 + "Dr. Ahmet açıkladı."


def test_markdown_title_and_subheadings():
    md = "# Ateşkes sürüyor\n\nİlk paragraf *vurgu* ile.\n\n## Ara başlık\n\nSon paragraf.\n"
    article = parse_bytes("a.md", md.encode()).articles[0]
    assert article.title == "Ateşkes sürüyor"
    assert article.paragraphs == [
        ("paragraph", "İlk paragraf vurgu ile."),
        ("subheading", "Ara başlık"),
        ("paragraph", "Son paragraf."),
    ]


def test_markdown_is_imported_as_plain_text_without_markup():
    md = (
        "Ateşkes sürüyor\n===\n\n"
        '**Gazze**\'de [ateşkes](https://example.org/a "t") devam ediyor; `kod` ve <b>HTML</b>\n'
        "aynı paragrafta &amp; ![bir fotoğraf](f.jpg).\n\n"
        "### Talepler\n\n"
        "- insani *yardım*\n- esir takası\n  1. ilk aşama\n\n"
        '<div class="not">Blok <i>HTML</i><script>alert(1)</script></div>\n\n'
        "```python\nprint('merhaba')\n```\n"
    )
    article = parse_bytes("a.md", md.encode()).articles[0]
    assert article.title == "Ateşkes sürüyor"
    assert article.paragraphs == [
        (
            "paragraph",
            "Gazze'de ateşkes devam ediyor; kod ve HTML aynı paragrafta & bir fotoğraf.",
        ),
        ("subheading", "Talepler"),
        ("paragraph", "• insani yardım\n• esir takası\n  1. ilk aşama"),
        ("paragraph", "Blok HTML"),
        ("paragraph", "print('merhaba')"),
    ]


def test_a_hostile_markdown_heading_line_imports_at_once():
    line = "# a" + " " * 50_000 + "b\n\nGövde."  # cubic for the heading regex this replaced
    code = (
        "import sys, time\n"
        "from reader.ingest import parse_bytes\n"
        "data = sys.stdin.buffer.read()\n"
        "start = time.perf_counter()\n"
        "assert parse_bytes('h.md', data).articles[0].paragraphs == [('paragraph', 'Gövde.')]\n"
        "print(time.perf_counter() - start)\n"
    )
    run = subprocess.run(  # in a child: a regression hangs in C, where no timer can stop it
        [sys.executable, "-c", code], input=line.encode(), capture_output=True, timeout=30
    )
    assert run.returncode == 0, run.stderr
    assert float(run.stdout) < 0.5


def test_json_list_of_records():
    records = [
        {
            "title": "A",
            "body": "p1\n\np2",
            "date": "2025-11-05T10:00:00Z",
            "source": "S",
            "url": "https://example.org/a",
            "keywords": ["x"],
        },
        {"title": "B", "text": "only body", "date": "5/11/2025"},
    ]
    parsed = parse_bytes("a.json", orjson.dumps(records))
    a, b = parsed.articles
    assert (a.title, a.date, a.source, a.url, a.keywords) == (
        "A",
        "2025-11-05",
        "S",
        "https://example.org/a",
        ["x"],
    )
    assert [p for _, p in a.paragraphs] == ["p1", "p2"]
    assert b.date == "2025-11-05"


def test_jsonl_names_bad_records_and_keeps_good_ones():
    lines = [
        orjson.dumps({"title": "ok 1", "body": "x"}),
        b"{not json",
        orjson.dumps({"foo": 1}),
        orjson.dumps(["not", "an", "object"]),
        orjson.dumps({"title": "ok 2", "body": "y"}),
    ]
    parsed = parse_bytes("a.jsonl", b"\n".join(lines))
    assert [a.title for a in parsed.articles] == ["ok 1", "ok 2"]
    assert [p.split(":")[0] for p in parsed.problems] == ["line 2", "line 3", "line 4"]


def test_jsonl_record_with_a_title_but_no_body_is_refused_with_file_and_line(tmp_path: Path):
    from annotations.library import Library
    from reader.core.importing import import_paths

    lines = [
        orjson.dumps({"title": "ok", "body": "x"}),
        orjson.dumps({"title": "boş haber", "body": "  "}),
        orjson.dumps({"title": "özetli", "summary": "yalnız özet"}),  # a lede is not empty
    ]
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\n".join(lines))
    report = import_paths(Library(tmp_path / "lib", annotator="ayse"), [path])
    ((where, reason),) = report.failed
    assert str(where).endswith("a.jsonl") and reason.startswith("line 2: ") and "no body" in reason


def test_json_record_text_is_cleaned():
    record = {"title": "T\x1b]0;owned\x07itle", "body": "a\x1b[31mred\x1b[0m\u202eb\r\nc"}
    article = parse_bytes("a.json", orjson.dumps(record)).articles[0]
    assert article.title == "Title"
    assert article.text == "Title\n\naredb\n\nc"
