"""An updated article is a new version of the same entry, not a stranger (issue 13, item 5)."""

from __future__ import annotations

import json
from pathlib import Path

from annotations.edits import Edits
from annotations.library import Library
from annotations.records import Note, Span
from reader.core.importing import import_paths
from reader.tui.app import ReaderApp
from reader.tui.screens.article import ArticleScreen

from .conftest import SAMPLES, run_cli

FIRST = (SAMPLES / "002_istanbul_muzakere.txt").read_text(encoding="utf-8")
KEPT = (
    "Heyetler, bin esirin karşılıklı olarak serbest bırakılması konusunda ilke anlaşmasına vardı."
)
GONE = "Toplantının açılış konuşmasını Dışişleri Bakanı Hakan Fidan yaptı."
NEW_PARAGRAPH = "Görüşmelerin ikinci günü akşam sona erdi; taraflar yarın yeniden buluşacak."
NEW_TITLE = "İstanbul'da esir takası müzakereleri ikinci gününde tamamlandı"


def edited_copy(text: str) -> str:
    """The same story later: a new update line, a longer title, a new paragraph before the
    passage that stays, and one sentence taken out."""
    assert GONE in text and KEPT in text and "G: 28/10/2025, Salı" in text
    lines = text.split("\n")
    lines[1] = NEW_TITLE
    text = "\n".join(lines).replace("G: 28/10/2025, Salı", "G: 29/10/2025, Çarşamba")
    text = text.replace(" " + GONE, "")
    first_body = text.index("Dolmabahçe")
    return text[:first_body] + NEW_PARAGRAPH + "\n\n" + text[first_body:]


def annotate(folder: Path) -> tuple[str, int]:
    """Import the first version and annotate it: a tag, a note, two passages."""
    library = Library(folder, annotator="ayse")
    result = import_paths(library, [folder.parent / "v1.txt"])
    assert result.added == 1
    [entry] = [a["id"] for a in library.articles()]
    text = library.load_article(entry).text
    edits = Edits(library)
    edits.tag(entry, "prisoner exchange")
    edits.add_note(entry, "follow the second day")
    kept = text.index(KEPT)
    edits.add_span(entry, text, kept, kept + len(KEPT), "mediation", note="the deal")
    gone = text.index(GONE)
    edits.add_span(entry, text, gone, gone + len(GONE), "diplomacy")
    return entry, kept


def write_versions(tmp_path: Path) -> Path:
    (tmp_path / "v1.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "v2.txt").write_text(edited_copy(FIRST), encoding="utf-8")
    return tmp_path / "lib"


def test_an_edited_copy_updates_the_entry_and_keeps_its_annotations(tmp_path: Path):
    folder = write_versions(tmp_path)
    entry, old_start = annotate(folder)

    imported = run_cli("import", str(tmp_path / "v2.txt"), library=folder)
    assert imported.returncode == 0, imported.stderr
    assert "0 imported" in imported.stderr and "updated: 1" in imported.stderr

    listed = json.loads(run_cli("list", "--json", library=folder).stdout)
    assert [(row["id"], row["title"]) for row in listed] == [(entry, NEW_TITLE)]
    shown = run_cli("show", entry, library=folder).stdout
    assert shown.startswith(NEW_TITLE + "\n") and NEW_PARAGRAPH in shown and GONE not in shown
    as_json = json.loads(run_cli("show", "--json", entry, library=folder).stdout)
    assert as_json["id"] == entry and as_json["version_id"] != entry
    assert as_json["title"] == NEW_TITLE and as_json["tags"] == ["prisoner exchange"]

    library = Library(folder, annotator="ayse")  # another process: what the app reads
    text = library.load_article(entry).text
    spans = {s.quote: s for s in library.records_for(Span, entry)}
    kept, gone = spans[KEPT], spans[GONE]
    assert text[kept.start : kept.end] == KEPT and kept.start != old_start
    assert not kept.orphaned and kept.label == "mediation" and kept.note == "the deal"
    assert gone.orphaned and gone.label == "diplomacy"
    assert library.tags_by_article() == {entry: ["prisoner exchange"]}
    assert [n.text for n in library.records_for(Note, entry)] == ["follow the second day"]
    assert library.resolve(library.versions().newest(entry)) == entry  # its new id: the entry

    again = run_cli("import", str(tmp_path / "v1.txt"), str(tmp_path / "v2.txt"), library=folder)
    assert "0 imported, 2 already present, 0 failed, updated: 0" in again.stderr


def test_show_versions_lists_every_version_oldest_first(tmp_path: Path):
    folder = write_versions(tmp_path)
    entry, _ = annotate(folder)
    run_cli("import", str(tmp_path / "v2.txt"), library=folder)
    library = Library(folder, annotator="ayse")
    first, newest = entry, library.versions().newest(entry)
    assert newest != first
    lengths = [len(library.load_version(i).text) for i in (first, newest)]

    out = run_cli("show", "--versions", newest[:8], library=folder)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2
    day = library.version_history(entry)[1]["imported"][:10]
    for number, (line, article_id, length, title) in enumerate(
        zip(lines, (first, newest), lengths, (FIRST.split("\n")[1], NEW_TITLE), strict=True),
        start=1,
    ):
        assert line.startswith(f"{number}  {article_id}  {day} ")
        assert f" {length} chars  {title}" in line
    as_json = json.loads(run_cli("show", "--versions", "--json", entry, library=folder).stdout)
    assert [v["id"] for v in as_json] == [first, newest]
    assert [v["length"] for v in as_json] == lengths


async def test_the_app_shows_the_newest_text_and_the_orphaned_passage(tmp_path: Path):
    folder = write_versions(tmp_path)
    entry, _ = annotate(folder)
    library = Library(folder, annotator="ayse")
    assert import_paths(library, [tmp_path / "v2.txt"]).updated == 1
    app = ReaderApp(library, theme="okur-dark")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert [row["id"] for row in app.screen.query_one("ArticleList").rows] == [entry]
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.article_id == entry
        assert NEW_PARAGRAPH in screen.text
        marked = [screen.text[m.start : m.end] for m in screen.article_view._marks]
        marked += [screen.text[m.start : m.end] for m in screen.article_view._long_marks]
        assert KEPT in marked
        rows = [
            str(screen.panel.get_option_at_index(i).prompt) for i in range(len(screen.panel.items))
        ]
        assert any(GONE[:40] in r and "(not found)" in r for r in rows)
        assert any(KEPT[:40] in r and "(not found)" not in r for r in rows)


def corpus(title: str, body: str, *, source: str = "Hürriyet", publish: str | None = None) -> str:
    header = f"date 2025-10-28 {source}\n{title}\n\n"
    if publish:
        header += f"{publish}\nG: 28/10/2025, Salı\n"
    return header + body + "\n"


def test_files_without_a_url_or_a_publish_line_are_never_merged(tmp_path: Path):
    body = "Birinci paragraf burada yazıyor.\n\nİkinci paragraf da burada."
    files = {
        # same source and title, no publish line: two articles
        "a1.txt": corpus("Aynı başlık", body),
        "a2.txt": corpus("Aynı başlık", body + "\n\nEk bir paragraf."),
        # plain text, same title: no source, no publish line
        "b1.txt": "Düz metin başlığı\n\n" + body,
        "b2.txt": "Düz metin başlığı\n\n" + body + "\n\nDüzeltme.",
        # same publish line and title, another source
        "c1.txt": corpus("Ortak haber", body, source="Sabah", publish="11:1028/10/2025, Salı"),
        "c2.txt": corpus(
            "Ortak haber", body + " Ek.", source="Milliyet", publish="11:1028/10/2025, Salı"
        ),
        # same source and publish line, unrelated titles (two stories at the same minute)
        "d1.txt": corpus("Borsa günü yükselişle kapattı", body, publish="09:0028/10/2025, Salı"),
        "d2.txt": corpus(
            "Kadıköy'de trafik kazası", body + " Ek.", publish="09:0028/10/2025, Salı"
        ),
        # and the one pair that is a story updated: same source, publish line, close title
        "e1.txt": corpus("Fırtına İstanbul'da", body, publish="13:0028/10/2025, Salı"),
        "e2.txt": corpus("Fırtına İstanbul'da etkili oldu", body, publish="13:0028/10/2025, Salı"),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    library = Library(tmp_path / "lib", annotator="ayse")
    report = import_paths(library, sorted(tmp_path.glob("*.txt")))
    assert (report.added, report.updated, report.failed) == (9, 1, [])
    assert len(library.articles()) == 9
    [(entry, chain)] = library.versions().chains.items()
    assert len(chain) == 2
    assert library.article_index()[entry]["title"] == "Fırtına İstanbul'da etkili oldu"


def test_the_same_url_is_the_same_article_whatever_the_title(tmp_path: Path):
    url = "https://example.org/haber/123"
    same = {"source": "AA", "published": "2025-10-28T11:10"}
    first = {"title": "Deprem: 3 yaralı", "body": "İlk bilgiler geldi.", "url": url, **same}
    later = {"title": "Son dakika: deprem bölgesinde arama sürüyor", "body": "Yeni.", "url": url}
    # same source, publish time and title, but another URL: another article
    other = {"title": "Deprem: 3 yaralı", "body": "Başka bir haber.", "url": url + "4", **same}
    for name, record in (("1.json", first), ("2.json", later), ("3.json", other)):
        (tmp_path / name).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    library = Library(tmp_path / "lib", annotator="ayse")
    report = import_paths(library, sorted(tmp_path.glob("*.json")))
    assert (report.added, report.updated) == (2, 1)
    titles = sorted(a["title"] for a in library.articles())
    assert titles == ["Deprem: 3 yaralı", "Son dakika: deprem bölgesinde arama sürüyor"]


def test_an_article_stored_before_versions_is_recognised_by_its_body(tmp_path: Path):
    """Metadata written before versions has no url or publish line: they are in the body."""
    folder = write_versions(tmp_path)
    entry, _ = annotate(folder)
    shard = folder / "articles" / "ayse.json"
    data = json.loads(shard.read_text(encoding="utf-8"))
    for doc in data["articles"].values():
        for key in ("url", "published", "imported"):
            doc.pop(key)
    shard.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    library = Library(folder, annotator="ayse")
    assert import_paths(library, [tmp_path / "v2.txt"]).updated == 1
    assert [a["id"] for a in library.articles()] == [entry]
    history = library.version_history(entry)
    assert history[0]["imported"] and history[1]["imported"]  # the first: its body's time


def test_annotations_exported_on_a_later_version_find_its_entry(tmp_path: Path):
    """Another library kept the second version as an article of its own; its export is merged
    here onto the entry, whose newest text is by now a third version."""
    folder = write_versions(tmp_path)
    third = edited_copy(FIRST).replace(KEPT, KEPT + " Ayrıntılar yarın açıklanacak.")
    (tmp_path / "v3.txt").write_text(third, encoding="utf-8")
    theirs = Library(tmp_path / "theirs", annotator="mehmet")
    import_paths(theirs, [tmp_path / "v2.txt"])
    [second] = [a["id"] for a in theirs.articles()]
    text = theirs.load_article(second).text
    Edits(theirs).add_span(second, text, text.index(KEPT), text.index(KEPT) + len(KEPT), "deal")
    exported = tmp_path / "theirs.yaml"
    out = run_cli("--annotator", "mehmet", "export", "-o", str(exported), library=theirs.folder)
    assert out.returncode == 0, out.stderr

    library = Library(folder, annotator="ayse")
    files = [tmp_path / name for name in ("v1.txt", "v2.txt", "v3.txt")]
    assert import_paths(library, files).updated == 2
    [entry] = [a["id"] for a in library.articles()]
    merged = run_cli("import-annotations", str(exported), library=folder)
    assert merged.returncode == 0, merged.stderr
    [span] = Library(folder, annotator="ayse").records_for(Span, entry)
    newest = library.load_article(entry).text
    assert "Ayrıntılar yarın" in newest and newest[span.start : span.end] == KEPT
    assert (span.annotator, span.label, span.orphaned) == ("mehmet", "deal", False)
