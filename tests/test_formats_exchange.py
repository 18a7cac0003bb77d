"""Every export format from a library with Turkish text (apostrophe suffixes, İ/ı, a CRLF
cp1254 source), checked with the real readers where they install (spaCy, pyld) and against the
documented shapes where not (doccano, brat, Label Studio, CoNLL)."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from annotations.edits import Edits
from annotations.exchange.exporting import export
from annotations.exchange.tokens import tokenize
from annotations.library import Library
from reader.core.annotating import article_entities
from reader.core.importing import import_parsed, import_samples
from reader.ingest import parse_bytes

CP1254 = (
    "date 2025-11-21 Anadolu Ajansı\r\n"
    "Türkiye’nin arabuluculuğu Irak'ta sürüyor\r\n\r\n"
    "İSTANBUL'da toplanan heyet, ateşkesin ılık bir hava içinde uzatılmasını istedi.\r\n\r\n"
    "Dışişleri Bakanı Hakan Fidan, Ankara’nın önerisini açıkladı.\r\n"
).encode("cp1254")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("formats") / "lib"
    library = Library(folder, annotator="ayşe")
    import_samples(library)
    (parsed,) = [parse_bytes("aa.txt", CP1254)]
    import_parsed(library, [parsed])
    edits = Edits(library)
    for meta in library.articles():
        article = library.load_article(meta["id"])
        text = article.text
        edits.tag(article.id, "ceasefire")
        for word in ("Türkiye", "ateşkes", "İSTANBUL", "Ankara", "Hamas", "Gazze", "Fidan"):
            at = text.find(word)
            if at >= 0:  # ends inside a word: before the suffix, or mid-word (ateşkes|in)
                edits.add_span(article.id, text, at, at + len(word), "actor", note="not: ı İ")
        edits.add_note(article.id, "İzlenecek: ılımlı")
    return library


def entities_of(library: Library):
    return lambda article: [(e.start, e.end, e.label) for e in article_entities(library, article)]


def test_jsonl_tokens_rebuild_the_text_in_spacy_and_every_span_is_a_char_span(library: Library):
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    vocab = Vocab()
    lines = export(library, "jsonl", filters={}, entities=entities_of(library)).data.splitlines()
    assert len(lines) == 8
    spans_seen = 0
    annotators: set[str] = set()
    for line in lines:
        record = orjson.loads(line)
        tokens = record["tokens"]
        doc = Doc(vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
        assert doc.text == record["text"]
        for span in record["spans"]:
            found = doc.char_span(span["start"], span["end"])
            assert found is not None, span
            assert (found.start, found.end - 1) == (span["token_start"], span["token_end"])
            spans_seen += 1
        annotators |= {s["annotator"] for s in record["spans"]}
        assert record["meta"]["tags"] == ["ceasefire"]
    assert spans_seen > 40 and annotators == {"ayşe", "recogniser"}


def test_turkish_tokens_keep_the_suffix_apart():
    text = "Türkiye’nin ve Irak'ta ateşkesin\n\niki  boşluk"
    words = [t.text for t in tokenize(text)]
    assert words[:6] == ["Türkiye", "’nin", "ve", "Irak", "'ta", "ateşkesin"]
    assert "\n\n" in words and " " in words  # other whitespace: a token of its own
    assert [t.text for t in tokenize(text, [30])][5:7] == ["ateşkes", "in"]


def test_w3c_expands_with_pyld_keeping_every_creator_and_the_text_model(library: Library):
    from pyld import jsonld

    context = json.loads((Path(__file__).parent / "data" / "anno.jsonld").read_text("utf-8"))

    def offline(url: str, options: object = None) -> dict:
        assert url == "http://www.w3.org/ns/anno.jsonld", url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    collection = orjson.loads(export(library, "w3c", filters={}).data)
    items = collection["first"]["items"]
    expanded = jsonld.expand(collection, {"documentLoader": offline})
    (node,) = expanded
    assert node["@id"] == collection["id"] and collection["first"]["id"]
    assert node["urn:haber-okur:textModel"][0]["@value"] == collection["textModel"]
    flat = json.dumps(expanded, ensure_ascii=False)
    creators = flat.count('"http://purl.org/dc/terms/creator"')
    assert creators == len(items) > 0
    assert "example.org" not in flat
    assert "urn:haber-okur:annotator:ay%C5%9Fe" in flat
    assert all(i["creator"]["name"] == "ayşe" for i in items)


def test_doccano_holds_span_triples_and_tags_as_cats(library: Library):
    for line in export(library, "doccano", filters={}).data.splitlines():
        record = orjson.loads(line)
        assert record["cats"] == ["ceasefire"]
        for start, end, label in record["label"]:
            assert label == "actor" and 0 <= start < end <= len(record["text"])


def test_brat_ann_lines_match_the_text(library: Library):
    files = export(library, "brat", filters={}, entities=entities_of(library)).files
    assert "[entities]\nLOC\n" in files["annotation.conf"] or "actor" in files["annotation.conf"]
    anns = [name for name in files if name.endswith(".ann")]
    assert len(anns) == 8
    notes = 0
    for name in anns:
        text = files[name[:-4] + ".txt"]
        for line in files[name].splitlines():
            if line.startswith("#"):
                notes += line.split("\t")[1].startswith("AnnotatorNotes T")
                continue
            number, middle, quote = line.split("\t")
            label, *where = middle.replace(";", " ").split(" ")
            pieces = [text[int(a) : int(b)] for a, b in zip(where[::2], where[1::2], strict=True)]
            assert " ".join(pieces) == quote and label in files["annotation.conf"]
    assert notes > 0


def test_conll_is_iob2_with_a_docstart_per_article(library: Library):
    text = export(library, "conll", filters={}, entities=entities_of(library)).data.decode()
    assert text.count("-DOCSTART-") == 8
    previous = "O"
    for line in text.splitlines():
        if not line or line.startswith("-DOCSTART-"):
            previous = "O"
            continue
        token, tag = line.split("\t")
        assert token.strip() and (tag == "O" or tag[:2] in ("B-", "I-"))
        if tag.startswith("I-"):
            assert previous[2:] == tag[2:]  # IOB2: I- continues its own kind
        previous = tag
    assert "Fidan\tI-PERSON" in text or "Fidan\tB-PERSON" in text


def test_label_studio_tasks_and_config(library: Library):
    exported = export(library, "label-studio", filters={})
    tasks = orjson.loads(exported.data)
    assert len(tasks) == 8
    for task in tasks:
        (annotation,) = task["annotations"]
        for result in annotation["result"]:
            assert result["to_name"] == "text"
            if result["type"] == "labels":
                value = result["value"]
                assert task["data"]["text"][value["start"] : value["end"]] == value["text"]
            else:
                assert result == {**result, "type": "choices", "from_name": "tags"}
    assert '<Label value="actor"/>' in exported.extra["config"]
    assert '<Choice value="ceasefire"/>' in exported.extra["config"]


def meanings(library: Library, *, notes: bool, span_notes: bool, tags: bool) -> set[tuple]:
    from annotations.records import Note, Span, Tag

    out: set[tuple] = {
        ("span", s.article, s.annotator, s.label, s.start, s.end, s.note if span_notes else None)
        for s in library.records(Span)
    }
    if tags:
        out |= {("tag", t.article, t.annotator, t.tag) for t in library.records(Tag)}
    if notes:
        out |= {("note", n.article, n.annotator, n.text) for n in library.records(Note)}
    return out


@pytest.mark.parametrize(
    ("fmt", "carries"),
    [
        ("jsonl", {"notes": True, "span_notes": True, "tags": True}),
        ("doccano", {"notes": False, "span_notes": False, "tags": True}),
        ("brat", {"notes": False, "span_notes": True, "tags": False}),
        ("label-studio", {"notes": False, "span_notes": False, "tags": True}),
    ],
)
def test_round_trip_through_import_annotations(
    library: Library, tmp_path: Path, fmt: str, carries: dict
):
    """Export, import into another library with the same articles, twice: what the format
    carries comes back the same, and the second import adds nothing."""
    from .conftest import run_cli

    out = tmp_path / ("brat" if fmt == "brat" else f"export.{fmt}")
    result = run_cli(
        "--annotator", "ayşe", "export", "--format", fmt, "-o", str(out), library=library.folder
    )
    assert result.returncode == 0, result.stderr
    other = tmp_path / "other"
    assert run_cli("import", "--samples", library=other).returncode == 0
    source = tmp_path / "aa.txt"
    source.write_bytes(CP1254)
    assert run_cli("import", str(source), library=other).returncode == 0
    first = run_cli("--annotator", "ayşe", "import-annotations", str(out), library=other)
    assert first.returncode == 0, first.stderr
    again = run_cli("--annotator", "ayşe", "import-annotations", str(out), library=other)
    assert "added nothing" in again.stderr, again.stderr
    assert meanings(Library(other, "x"), **carries) == meanings(library, **carries)


def test_foreign_labels_as_entities_and_bad_input_named(library: Library, tmp_path: Path):
    from .conftest import run_cli

    text = library.load_article("00e97159207a77b9").text
    at = text.index("İbrahim Kalın")
    good = {"text": text, "spans": [{"start": at, "end": at + 13, "label": "PER"}]}
    path = tmp_path / "people.jsonl"
    path.write_bytes(orjson.dumps(good) + b"\n" + b'{"text": 5}\n')
    result = run_cli(
        "--annotator",
        "cem",
        "import-annotations",
        "--as",
        "entities",
        str(path),
        library=library.folder,
    )
    assert result.returncode == 1 and f"{path}: line 2" in result.stderr, result.stderr
    path.write_bytes(orjson.dumps(good) + b"\n")
    result = run_cli(
        "--annotator",
        "cem",
        "import-annotations",
        "--as",
        "entities",
        str(path),
        library=library.folder,
    )
    assert result.returncode == 0 and "added 1 entities" in result.stderr, result.stderr
