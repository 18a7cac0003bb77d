"""Entity recognition speed, as a user meets it: ``reader entities --file`` on one big article
(start-up and model load included), with a model and with the rules; prints, never asserts.

    python benchmarks/entities.py [--model MODEL] [--corpus CONLL] [--megabytes 3.7]

The article is made of the sentences of ``--corpus`` (a CoNLL file: realistic words, many
different ones), else of generated articles (benchmarks/generate.py). Without ``--model`` a
model is trained on the generated text first (small: for the speed, not the scores).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def big_text(corpus: Path | None, megabytes: float) -> str:
    if corpus is not None:
        from reader.entities.corpus import Summary, read_conll

        sentences = [d.text + "." for d in read_conll(corpus, Summary())]
    else:
        from generate import article

        rng = random.Random(1)
        sentences = [p for n in range(400) for p in article(rng, n).split("\n\n")[2:]]
    paragraphs: list[str] = []
    size = 0
    rng = random.Random(2)
    while size < megabytes * 1e6:
        paragraph = " ".join(rng.choice(sentences) for _ in range(6))
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return "Büyük bir makale\n\n" + "\n\n".join(paragraphs) + "\n"


def run(article: Path, model: str, library: Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--library", str(library), "entities"]
        + ["--file", str(article), "--model", model],
        check=True,
        cwd=ROOT,
        capture_output=True,
        env=dict(os.environ),
    )
    return time.perf_counter() - start, done.stdout.count(b"\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", help="a model file (default: train a small one)")
    parser.add_argument("--corpus", type=Path, help="CoNLL sentences to build the article of")
    parser.add_argument("--megabytes", type=float, default=3.7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reader-bench-entities-"))
    article = work / "big.txt"
    article.write_text(big_text(args.corpus, args.megabytes), encoding="utf-8")
    megabytes = article.stat().st_size / 1e6
    model = args.model
    if model is None:
        from generate import article as generated

        from reader.entities import crf
        from reader.entities.corpus import Document
        from reader.entities.recognizer import recognize

        rng = random.Random(3)
        docs = []
        for n in range(200):
            text = generated(rng, n)
            spans = tuple((e.start, e.end, e.label) for e in recognize(text))
            docs.append(Document(text, spans))
        model = str(work / "model.crf")
        crf.train(docs, Path(model), iterations=50)
    print(f"article: {megabytes:.2f} MB ({article})")
    for name in (model, "rules"):
        seconds, rows = run(article, name, work / "library")
        label = "rules" if name == "rules" else "model"
        print(f"{label:6} {seconds:6.2f} s  {megabytes / seconds:5.2f} MB/s  {rows} entities")


if __name__ == "__main__":
    main()
