"""The statistical recogniser: corpora in, a model out, every command and the app use it.

Corpora here are small and written for these tests (the Milliyet corpus is for development
only): sentences from templates over invented names, so the rules cannot know them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from annotations.library import Library
from annotations.model import Article
from reader.entities import crf, models
from reader.entities.corpus import Summary, read_conll, read_corpus
from tests.conftest import run_cli

PEOPLE = ["Zerrin Okaylı", "Tayfur Dervişoğlu", "Nesrin Kabadayı", "Orhan Gümüşdere"]
CLUBS = ["Karaburunspor", "Yeşilvadispor", "Dereköyspor"]
PLACES = ["Kuzgunlu", "Alacahöyük", "Sarıyazı"]
TEMPLATES = [
    ("{p} dün {l}'da {o} yönetimiyle görüştü", ("p", "l", "o")),
    ("{o} teknik direktörü {p} açıklama yaptı", ("o", "p")),
    ("{l} kentinde {o} taraftarları {p} için toplandı", ("l", "o", "p")),
    ("Maçtan sonra {p} , {o}'un {l} deplasmanını değerlendirdi", ("p", "o", "l")),
]


def conll_sentences(rng: random.Random, count: int) -> list[list[tuple[str, str]]]:
    """Sentences as (token, IOB2 tag); a tagged token may end in its apostrophe suffix."""
    labels = {"p": "PER", "o": "ORG", "l": "LOC"}
    out = []
    for _ in range(count):
        template, _slots = rng.choice(TEMPLATES)
        names = {"p": rng.choice(PEOPLE), "o": rng.choice(CLUBS), "l": rng.choice(PLACES)}
        sentence: list[tuple[str, str]] = []
        for word in template.split():
            slot = next((k for k in "plo" if word.startswith("{" + k + "}")), None)
            if slot is None:
                sentence.append((word, "O"))
                continue
            suffix = word[3:]
            parts = names[slot].split()
            for i, part in enumerate(parts):
                tag = ("B-" if i == 0 else "I-") + labels[slot]
                sentence.append((part + (suffix if i == len(parts) - 1 else ""), tag))
        out.append(sentence)
    return out


def write_conll(path: Path, sentences: list[list[tuple[str, str]]]) -> Path:
    path.write_text(
        "".join("".join(f"{t} {g}\n" for t, g in s) + "\n" for s in sentences), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    corpus = write_conll(folder / "train.conll", conll_sentences(random.Random(1), 120))
    docs = list(read_conll(corpus, Summary()))
    crf.train(
        docs,
        folder / "tiny.crf",
        corpora=["train.conll"],
        iterations=60,
        crfsuite_copy=folder / "tiny.crfsuite",
    )
    return folder / "tiny.crf"


# -- corpora ---------------------------------------------------------------------------------
def test_conll_tagging_schemes_give_the_same_entities_without_the_suffix(tmp_path: Path):
    iob2 = "Tayfur B-PER\nDervişoğlu'nun I-PER\nAnkara B-LOC\nİzmir B-LOC\ngezisi O\n"
    iob1 = "Tayfur I-PER\nDervişoğlu'nun I-PER\nAnkara I-LOC\nİzmir B-LOC\ngezisi O\n"
    bioes = "Tayfur B-PER\nDervişoğlu'nun E-PER\nAnkara S-LOC\nİzmir S-LOC\ngezisi O\n"
    found = []
    for name, body in (("iob2", iob2), ("iob1", iob1), ("bioes", bioes)):
        path = tmp_path / f"{name}.conll"
        path.write_text("-DOCSTART- -X- O O\n\n" + body + "\nUN B-MISC\n", encoding="utf-8")
        summary = Summary()
        docs = list(read_conll(path, summary))
        assert summary.ignored == {"MISC": 1}  # said in the summary, never made ENT
        text = docs[0].text
        found.append([(text[s:e], label) for s, e, label in docs[0].spans])
    assert found[0] == [("Tayfur Dervişoğlu", "PERSON"), ("Ankara", "LOC"), ("İzmir", "LOC")]
    assert found[0] == found[1] == found[2]


def test_jsonl_in_prodigy_and_doccano_shapes(tmp_path: Path):
    text = "Zerrin Okaylı Kuzgunlu'da"
    path = tmp_path / "c.jsonl"
    lines = [
        {"text": text, "spans": [{"start": 0, "end": 13, "label": "PERSON"}]},
        {"text": text, "label": [[14, 22, "GPE"], [0, 6, "NORP"]]},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), "utf-8")
    summary = Summary()
    docs = list(read_corpus(path, summary))
    assert [d.spans for d in docs] == [((0, 13, "PERSON"),), ((14, 22, "LOC"),)]
    assert summary.ignored == {"NORP": 1}


# -- training and using a model --------------------------------------------------------------
def test_sentences_keep_offsets_and_split_the_suffix():
    text = "Türkiye’nin başkenti Ankara. U.S. 3.5 kat\n\nYeni paragraf!"
    sents = crf.sentences(text)
    words = [[text[s:e] for s, e in sent] for sent in sents]
    assert words[0][:2] == ["Türkiye", "’nin"]
    assert words[0][-1] == "."  # "Ankara." ends the sentence
    assert words[1][:4] == ["U", ".", "S", "."]  # no space after the first dot: one sentence
    assert words[-1] == ["Yeni", "paragraf", "!"]


def test_train_then_every_command_uses_the_model(tmp_path: Path):
    corpus = write_conll(tmp_path / "c.conll", conll_sentences(random.Random(2), 120))
    home = tmp_path / "data"
    env = {"XDG_DATA_HOME": str(home)}
    trained = run_cli("entities", "train", str(corpus), "--iterations", "40", env=env)
    assert trained.returncode == 0, trained.stderr
    assert "120 ORG, 120 PERSON" in trained.stderr  # what the corpus gave
    assert (home / "haber-okur" / models.MODEL_FILE).is_file()
    article = tmp_path / "a.txt"
    body = "Maçtan sonra Nesrin Kabadayı, Dereköyspor'un Alacahöyük deplasmanını değerlendirdi."
    article.write_text("Başlık\n\n" + body + "\n", encoding="utf-8")
    text = "Başlık\n\n" + body

    def entities(*extra: str) -> list[tuple[str, str]]:
        done = run_cli("entities", "--file", str(article), "--json", *extra, env=env)
        assert done.returncode == 0, done.stderr
        rows = json.loads(done.stdout)
        assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
        return [(r["text"], r["label"]) for r in rows]

    assert ("Alacahöyük", "LOC") in entities()  # the model, from the data folder
    assert ("Alacahöyük", "LOC") not in entities("--model", "rules")
    other = tmp_path / "other.crf"
    done = run_cli("entities", "train", str(corpus), "-o", str(other), "--iterations", "5", env=env)
    assert done.returncode == 0 and other.is_file()


def test_a_model_never_takes_the_suffix(tiny_model: Path):
    model = crf.CrfModel(tiny_model)
    text = "Maçtan sonra Zerrin Okaylı, Yeşilvadispor'un Sarıyazı deplasmanını değerlendirdi."
    found = [(e.text, e.label) for e in model.recognise(text)]
    assert ("Yeşilvadispor", "ORG") in found
    assert ("Zerrin Okaylı", "PERSON") in found
    assert all(text[e.start : e.end] == e.text for e in model.recognise(text))


def test_the_fast_decoder_finds_what_crfsuite_finds(tiny_model: Path):
    """The best-scoring tags, as crfsuite's own tagger finds them (equal scores: a tie)."""
    import pycrfsuite

    from reader.entities.crf import _all_starts, _Features, _rule_tags, featurise

    tagger = pycrfsuite.Tagger()
    tagger.open(str(tiny_model.with_suffix(".crfsuite")))
    info = tagger.info()
    model = crf.CrfModel(tiny_model)

    def score(features: list[list[str]], labels: list[str]) -> float:
        total = 0.0
        for i, (attributes, label) in enumerate(zip(features, labels, strict=True)):
            total += sum(info.state_features.get((a, label), 0.0) for a in attributes)
            total += info.transitions.get((labels[i - 1], label), 0.0) if i else 0.0
        return total

    rng = random.Random(7)
    words = [w for s in conll_sentences(rng, 40) for w, _ in s] + ["Ankara", "ve", "."]
    same = 0
    for _ in range(40):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 40)))
        sents = crf.sentences(text)
        tags = _rule_tags(text, (), _all_starts(sents))
        for sentence in sents:
            features = featurise(text, sentence, tags, _Features(model.lowercase))
            expected = tagger.tag(features)
            mine = model.labels(text, sentence, tags) or ["O"] * len(sentence)
            assert score(features, mine) == pytest.approx(score(features, expected), abs=1e-6)
            same += mine == expected
    assert same >= 30


def test_evaluate_scores_exact_boundaries_and_lists_errors(tmp_path: Path, tiny_model: Path):
    gold = tmp_path / "gold.conll"
    write_conll(gold, conll_sentences(random.Random(3), 20))
    done = run_cli("entities", "evaluate", str(gold), "--model", str(tiny_model), "--errors")
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line}
    assert float(rows["ALL"][3]) > 0.9  # F1 on names the model learnt
    rules = run_cli("entities", "evaluate", str(gold), "--model", "rules", "--json", "--errors")
    scores = json.loads(rules.stdout)
    assert scores["recogniser"] == "rules"
    assert scores["scores"]["ALL"]["f1"] < float(rows["ALL"][3])
    assert scores["errors"] and {"text", "corpus", "found", "count"} <= set(scores["errors"][0])


def test_a_broken_model_is_refused_by_name_and_the_default_falls_back(tmp_path: Path):
    bad = tmp_path / "bad.crf"
    bad.write_bytes(b"not a model\n\x00\x01")
    done = run_cli("entities", "evaluate", str(bad), "--model", str(bad))
    assert done.returncode == 1 and "not a haber-okur entity model" in done.stderr
    models.use(None)
    try:
        default = models.default_model_path()
        default.parent.mkdir(parents=True, exist_ok=True)
        default.write_bytes(b"{}\n")
        assert models.current().name == "rules"
        assert "not a haber-okur entity model" in (models.problem() or "")
    finally:
        models.use(None)


def test_wrong_options_are_usage_errors(tmp_path: Path):
    assert run_cli("entities", "train").returncode == 2
    assert run_cli("entities", "evaluate", "x", "-o", "m").returncode == 2
    assert run_cli("entities", "abc", "--errors").returncode == 2


def test_the_version_follows_the_model_so_caches_miss(
    tmp_path: Path, library: Library, tiny_model: Path
):
    from reader.core.annotating import article_entities

    body = "Dün Orhan Gümüşdere ile Karaburunspor Alacahöyük'te çalıştı."
    article = Article.from_record({"title": "Başlık", "paragraphs": [["paragraph", body]]})
    models.use(None)
    try:
        rules_version = models.recogniser_version()
        assert rules_version.startswith("rules/")
        before = article_entities(library, article)
        default = models.default_model_path()
        default.parent.mkdir(parents=True, exist_ok=True)
        default.write_bytes(tiny_model.read_bytes())
        version = models.recogniser_version()
        assert version.startswith("model/") and version.endswith(rules_version)
        after = article_entities(library, article)
        assert ("Karaburunspor", "ORG") in [(e.text, e.label) for e in after]
        assert after != before
    finally:
        models.use(None)


# -- learning from the library's corrections --------------------------------------------------
REVIEWED = [
    "Karaburunspor dün akşam sahasında oynadı. Teknik direktör Nesrin Kabadayı memnun.",
    "Maçtan sonra konuşan Kabadayı, Karaburunspor'un Kuzgunlu deplasmanını değerlendirdi.",
    "Kuzgunlu kentinde taraftarlar toplandı. Karaburunspor yönetimi açıklama yaptı.",
    "Yönetim kurulu Karaburunspor için yeni bir stat istedi. Kuzgunlu belediyesi destek verdi.",
    "Nesrin Kabadayı ile Karaburunspor yolları ayırmadı. Takım Kuzgunlu'da kamp yapacak.",
    "Taraftarlar Karaburunspor'a destek verdi. Nesrin Kabadayı teşekkür etti.",
]
HELD_OUT = [
    (
        "Geçen hafta Karaburunspor'dan ayrılan oyuncu Kuzgunlu'ya döndü.",
        [("Karaburunspor", "ORG"), ("Kuzgunlu", "LOC")],
    ),
    (
        "Nesrin Kabadayı açıkladı: Karaburunspor'a yeni transferler geliyor.",
        [("Nesrin Kabadayı", "PERSON"), ("Karaburunspor", "ORG")],
    ),
    (
        "Dün gece Kuzgunlu sahilinde Karaburunspor taraftarları kutlama yaptı.",
        [("Kuzgunlu", "LOC"), ("Karaburunspor", "ORG")],
    ),
]


def _hits(recognise, cases) -> int:
    found = 0
    for text, gold in cases:
        spans = {(e.start, e.end, e.label) for e in recognise(text)}
        for surface, label in gold:
            start = text.index(surface)
            found += (start, start + len(surface), label) in spans
    return found


def test_corrections_in_a_few_articles_teach_the_model_new_articles(tmp_path: Path):
    from annotations.edits import Edits
    from reader.core.importing import import_paths

    folder = tmp_path / "articles"
    folder.mkdir()
    for number, body in enumerate(REVIEWED):
        (folder / f"{number}.txt").write_text(f"Spor haberi {number}\n\n{body}\n", "utf-8")
    library = Library(tmp_path / "lib", annotator="ayse")
    import_paths(library, [folder])
    ids = [row["id"] for row in library.articles()]
    edits = Edits(library)
    edits.correct_entity(ids[0], "add", "Karaburunspor", "ORG")
    edits.correct_entity(ids[1], "add", "Kuzgunlu", "LOC")
    edits.correct_entity(ids[2], "add", "Nesrin Kabadayı", "PERSON")
    for article_id in ids[3:]:  # reviewed as they are: marked done
        edits.set_done(article_id)

    total = sum(len(gold) for _, gold in HELD_OUT)
    rules_hits = _hits(models.rules().recognise, HELD_OUT)
    assert rules_hits < total  # the rules alone get some of these wrong

    model = tmp_path / "mine.crf"
    done = run_cli(
        "--annotator",
        "ayse",
        "entities",
        "train",
        "--library",
        "-o",
        str(model),
        library=tmp_path / "lib",
    )
    assert done.returncode == 0, done.stderr
    assert "read the library: 6 sentences/documents" in done.stderr
    learnt = crf.CrfModel(model).recognise  # no corrections applied: what the model learnt
    assert _hits(learnt, HELD_OUT) == total > rules_hits


async def test_the_palette_trains_in_a_worker_and_the_app_uses_the_model(tmp_path: Path):
    from annotations.edits import Edits
    from reader.tui.screens.article import ArticleScreen
    from tests.app_support import make_app

    app = make_app(tmp_path / "lib")
    models.use(None)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            await pilot.press("slash", *"hamas", "enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ArticleScreen)
            assert "Entities (rules)" in str(screen.panel.border_title)
            edits = Edits(app.library)
            edits.correct_entity(screen.article_id, "add", "Hamas", "ORG")
            app.action_train_entities()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert models.default_model_path().is_file()
            assert models.current().name == "model"
            assert "Entities (model " in str(screen.panel.border_title)
            assert "entities: model" in str(screen.article_view.border_subtitle)
    finally:
        models.use(None)
