"""The command line as a user runs it: real processes, real files, exit codes 0 / 1 / 2."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import orjson

from .conftest import SAMPLE, SAMPLES, run_cli

SAMPLE_ID = "00e97159207a77b9"


def test_import_list_show_json(tmp_path: Path):
    lib = tmp_path / "lib"
    result = run_cli("import", str(SAMPLES), library=lib)
    assert result.returncode == 0, result.stderr
    assert "7 imported, 0 already present, 0 failed" in result.stderr

    rows = orjson.loads(run_cli("list", "--json", library=lib).stdout)
    assert len(rows) == 7
    assert set(rows[0]) == {"id", "title", "source", "date", "tags", "read"}

    shown = orjson.loads(run_cli("show", SAMPLE_ID[:6], "--json", library=lib).stdout)
    assert shown["date"] == "2025-11-05"
    assert shown["source"] == "Yeni Şafak"
    assert shown["agency"] == "DHA"
    assert shown["keywords"] == ["Hamas", "MİT Başkanı", "İbrahim Kalın"]
    assert "#" not in shown["text"]
    assert shown["text"].startswith(shown["title"])

    shown = run_cli("show", SAMPLE_ID, library=lib).stdout  # subheadings upper-cased
    assert "CUMHURBAŞKANI ERDOĞAN'A VE TÜRKİYE'YE ATEŞKES TEŞEKKÜRÜ\n" in shown
    assert "AID AGENCIES CAUTIOUS\n" in run_cli("show", "f36045", library=lib).stdout  # English


def test_reimport_in_other_encodings_adds_nothing(tmp_path: Path):
    lib = tmp_path / "lib"
    variants = tmp_path / "variants"
    variants.mkdir()
    raw = SAMPLE.read_text(encoding="utf-8")
    (variants / "a.txt").write_bytes(raw.encode("cp1254"))
    (variants / "b.txt").write_bytes(codecs.BOM_UTF8 + raw.replace("\n", "\r\n").encode())
    (variants / "c.txt").write_bytes(raw.encode("utf-16"))
    assert run_cli("import", str(SAMPLE), library=lib).returncode == 0
    again = run_cli("import", str(variants), str(SAMPLE), library=lib)
    assert again.returncode == 0
    assert "0 imported, 4 already present" in again.stderr
    assert len(orjson.loads(run_cli("list", "--json", library=lib).stdout)) == 1


def test_bad_files_are_named_good_ones_imported_exit_1(tmp_path: Path):
    lib = tmp_path / "lib"
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(2000):
        (folder / f"good{i:04}.txt").write_text(f"Haber {i}\n\nGövde metni {i}.\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(100))
    (folder / "binary.dat").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "bad.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 10)
    with open(folder / "huge.txt", "wb") as handle:
        handle.truncate(33 * 1024 * 1024)
    result = run_cli("import", str(folder), library=lib)
    assert result.returncode == 1
    for name, reason in [
        ("empty.txt", "empty"),
        ("image.png", "PNG"),
        ("binary.dat", "binary"),
        ("bad.txt", "not UTF-8"),
        ("huge.txt", "too large"),
    ]:
        line = next(x for x in result.stderr.splitlines() if name in x)
        assert reason in line
    assert "2000 imported" in result.stderr and "5 failed" in result.stderr
    listed = orjson.loads(run_cli("list", "--json", library=lib).stdout)
    assert len(listed) == 2000


def test_tag_untag_and_list_filter(tmp_path: Path):
    lib = tmp_path / "lib"
    run_cli("import", "--samples", library=lib)
    assert run_cli("tag", SAMPLE_ID, "ceasefire", "mediation", library=lib).returncode == 0
    rows = orjson.loads(run_cli("list", "--tag", "mediation", "--json", library=lib).stdout)
    assert [r["id"] for r in rows] == [SAMPLE_ID]
    assert rows[0]["tags"] == ["ceasefire", "mediation"]
    assert run_cli("untag", SAMPLE_ID, "mediation", library=lib).returncode == 0
    assert orjson.loads(run_cli("list", "--tag", "mediation", "--json", library=lib).stdout) == []


def test_a_broken_taxonomy_is_named_on_stderr_and_the_bundled_one_used(tmp_path: Path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "taxonomy.yaml").write_text("tags:\n  - key: x\n  - name: y\n")
    lib = tmp_path / "lib"
    run_cli("import", str(SAMPLE), library=lib)
    shown = run_cli("show", SAMPLE_ID, "--json", library=lib, env={"READER_CONFIG": str(config)})
    assert shown.returncode == 0
    assert f"{config / 'taxonomy.yaml'}, line 3: tag 2: needs a 'key'" in shown.stderr
    assert "mediation" in orjson.loads(shown.stdout)["suggested_tags"]


def test_search_is_turkish_aware(tmp_path: Path):
    lib = tmp_path / "lib"
    run_cli("import", "--samples", library=lib)
    for query in ("istanbul", "İSTANBUL", "KIZILAY", "kızılay", "türkiye'nin", "Türkiye’nin"):
        rows = orjson.loads(run_cli("list", "--search", query, "--json", library=lib).stdout)
        assert rows, query
    rows = orjson.loads(run_cli("list", "--search", "kızılay yardım", "--json", library=lib).stdout)
    assert rows[0]["title"].startswith("Kızılay")
    rows = orjson.loads(run_cli("list", "--search", "lubnandaki", "--json", library=lib).stdout)
    assert [r["title"] for r in rows] == ["Lübnan'da ateşkes ihlalleri endişe yaratıyor"]


def test_usage_and_missing_article_exit_codes(tmp_path: Path):
    lib = tmp_path / "lib"
    run_cli("import", "--samples", library=lib)
    assert run_cli("bogus", library=lib).returncode == 2
    assert run_cli("import", library=lib).returncode == 2
    missing = run_cli("show", "ffffffff", library=lib)
    assert missing.returncode == 1 and "no article" in missing.stderr
    ambiguous = run_cli("show", "", library=lib)
    assert ambiguous.returncode == 1


def test_pipe_output_has_no_escape_codes(tmp_path: Path):
    lib = tmp_path / "lib"
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Başlık \x1b[31mkırmızı\x1b[0m [bold]x[/]\n\nGövde \x1b]52;c;aGk=\x07 metni.\n"
    )
    run_cli("import", str(hostile), library=lib)
    for args in (("list",), ("show", run_cli("list", "--json", library=lib).stdout[10:26])):
        out = run_cli(*args, library=lib).stdout
        assert "\x1b" not in out
    assert "[bold]x[/]" in run_cli("list", library=lib).stdout


def test_default_library_starts_with_samples_named_one_empty(tmp_path: Path, isolated_home):
    env = {"HOME": str(isolated_home), "XDG_DATA_HOME": str(isolated_home / "data")}
    rows = orjson.loads(run_cli("list", "--json", env=env).stdout)
    assert len(rows) == 7
    named = run_cli("--library", str(tmp_path / "named"), "list", "--json", env=env)
    assert orjson.loads(named.stdout) == []


def test_export_yaml(tmp_path: Path):
    import yaml

    lib = tmp_path / "lib"
    run_cli("import", "--samples", library=lib)
    run_cli("tag", SAMPLE_ID, "no", "2025-11-05", "ateşkes", library=lib)
    out = tmp_path / "out.yaml"
    assert run_cli("export", "-o", str(out), library=lib).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "ateşkes" in text  # readable Turkish, not \u escapes
    doc = yaml.safe_load(text)
    assert doc["format"] == "reader-annotations" and doc["version"] == 1
    (article,) = doc["articles"]
    assert [t["tag"] for t in article["tags"]] == ["no", "2025-11-05", "ateşkes"]
    assert article["date"] == "2025-11-05" and article["source"] == "Yeni Şafak"


# Records of one article and table, in the order they are stored: (id suffix, created).
# By (created, id) they come d, b, c, a: neither the stored order, nor by time alone (b and c
# share a time), nor by id alone.
STORED = [
    ("c", "2025-11-05T10:00:01.000000Z"),
    ("d", "2025-11-05T10:00:00.000000Z"),
    ("b", "2025-11-05T10:00:01.000000Z"),
    ("a", "2025-11-05T10:00:02.000000Z"),
]
BY_TIME_THEN_ID = ["d", "b", "c", "a"]


def _records(article: dict, table: str) -> list[dict]:
    out = []
    for suffix, created in STORED:
        record = {"id": f"{article['id']}-{table}-{suffix}", "annotator": "ayse"}
        record["created"] = created
        if table == "tags":
            record["tag"] = f"tag-{suffix}"
        elif table == "spans":  # the text starts with the title
            end = 1 + "abcd".index(suffix)
            record.update(label=f"label-{suffix}", start=0, end=end)
            record["quote"] = article["title"][:end]
        elif table == "notes":
            record["text"] = f"note {suffix}"
        else:
            record.update(action="remove", text=f"not-an-entity-{suffix}")
        out.append(record)
    return out


def test_export_order_is_by_article_id_then_by_time_then_id(tmp_path: Path):
    """Articles by id, each one's records by creation time, then id, whatever the order they
    were stored in (small diffs between exports), in YAML and in JSONL (spans by position)."""
    import yaml

    lib = tmp_path / "lib"
    run_cli("import", "--samples", library=lib)
    articles = orjson.loads(run_cli("list", "--json", library=lib).stdout)
    by_id = sorted(a["id"] for a in articles)
    stored_order = by_id[3:] + by_id[:3][::-1]  # annotated in an order that is not by id
    assert stored_order != by_id and len(by_id) == 7
    index = {a["id"]: a for a in articles}
    tables = ("tags", "spans", "notes", "entities")
    incoming = {
        "format": "reader-annotations",
        "version": 1,
        "articles": [
            {"id": i, **{table: _records(index[i], table) for table in tables}}
            for i in stored_order
        ],
    }
    path = tmp_path / "incoming.yaml"
    path.write_text(yaml.safe_dump(incoming, allow_unicode=True), encoding="utf-8")
    merged = run_cli("import-annotations", str(path), library=lib)
    assert merged.returncode == 0, merged.stderr
    assert "added 28 tags, 28 spans, 28 notes, 28 entities" in merged.stderr

    exported = run_cli("export", library=lib)
    assert exported.returncode == 0, exported.stderr
    doc = yaml.safe_load(exported.stdout)
    assert [a["id"] for a in doc["articles"]] == by_id
    for article in doc["articles"]:
        for table in tables:
            expected = [f"{article['id']}-{table}-{s}" for s in BY_TIME_THEN_ID]
            assert [r["id"] for r in article[table]] == expected, (article["id"], table)

    jsonl = run_cli("export", "--format", "jsonl", library=lib)
    assert jsonl.returncode == 0, jsonl.stderr
    lines = [orjson.loads(line) for line in jsonl.stdout.splitlines()]
    assert [line["meta"]["id"] for line in lines] == by_id
    for line in lines:  # spans by position (token order), as Prodigy and spaCy want them
        bounds = [(s["start"], s["end"], s["label"]) for s in line["spans"]]
        assert bounds == sorted(bounds)
        assert {b[2] for b in bounds} == {f"label-{s}" for s in BY_TIME_THEN_ID}
        assert line["meta"]["notes"] == [f"note {s}" for s in BY_TIME_THEN_ID]


def test_entities_of_a_file_outside_the_library(tmp_path: Path):
    lib = tmp_path / "lib"
    single = run_cli("entities", "--file", str(SAMPLE), "--json", library=lib)
    assert single.returncode == 0
    rows = orjson.loads(single.stdout)
    assert ("İbrahim Kalın", "PERSON") in {(r["text"], r["label"]) for r in rows}
    run_cli("import", str(SAMPLE), library=lib)
    text = orjson.loads(run_cli("show", "00e9", "--json", library=lib).stdout)["text"]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    records = tmp_path / "two.jsonl"
    records.write_bytes(
        orjson.dumps({"title": "A", "body": "Ankara'da toplantı."})
        + b"\n"
        + orjson.dumps({"title": "B", "body": "Hakan Fidan konuştu."})
        + b"\n"
    )
    many = orjson.loads(run_cli("entities", "--file", str(records), "--json", library=lib).stdout)
    assert [(r["article"], r["text"], r["label"]) for r in many] == [
        (1, "Ankara", "LOC"),
        (2, "Hakan Fidan", "PERSON"),
    ]
    assert run_cli("entities", library=lib).returncode == 2
    assert run_cli("entities", "--file", str(tmp_path / "missing.txt"), library=lib).returncode == 1
