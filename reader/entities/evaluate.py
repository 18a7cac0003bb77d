"""Evaluate the recogniser against a gold set: precision, recall and F1 per type and language.

    python -m reader.entities.evaluate [tests/entity_gold/gold.yaml] [--errors]

The gold file lists each article's file, language and entities as [surface, label]; every
whole-word occurrence of a surface (an apostrophe suffix allowed) is a gold mention, unless it
lies inside a longer gold mention.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

from reader.entities import LABELS, recognize
from reader.ingest import parse_path

Mention = tuple[int, int, str]


def gold_mentions(text: str, entities: list[list[str]]) -> set[Mention]:
    found: set[Mention] = set()
    for surface, label in entities:
        pattern = re.compile(rf"(?<!\w){re.escape(surface)}(?=['’]|[^\w]|$)")
        found.update((m.start(), m.end(), label) for m in pattern.finditer(text))
    return {
        (s, e, label)
        for s, e, label in found
        if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in found)
    }


def evaluate(gold_path: Path, show_errors: bool = False) -> dict[str, dict[str, float]]:
    root = gold_path.resolve().parent.parent.parent
    spec = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    counts: dict[tuple[str, str], Counter[str]] = {}
    for item in spec["articles"]:
        path = Path(item["file"])
        article = parse_path(path if path.is_absolute() else root / path).articles[0]
        text = article.text
        gold = gold_mentions(text, item["entities"])
        predicted = {(e.start, e.end, e.label) for e in recognize(text, article.keywords)}
        groups = [item["lang"]] + ([f"{item['lang']}-heldout"] if item.get("heldout") else [])
        for group, label in ((g, lab) for g in groups for lab in (*LABELS, "ALL")):

            def pick(items: set[Mention], lab: str = label) -> set[Mention]:
                return items if lab == "ALL" else {m for m in items if m[2] == lab}

            g, p = pick(gold), pick(predicted)
            counter = counts.setdefault((group, label), Counter())
            counter["tp"] += len(g & p)
            counter["fp"] += len(p - g)
            counter["fn"] += len(g - p)
        if show_errors:
            for s, e, label in sorted(predicted - gold):
                print(f"  FP {path.name}: {text[s:e]!r} {label}")
            for s, e, label in sorted(gold - predicted):
                print(f"  FN {path.name}: {text[s:e]!r} {label}")
    scores: dict[str, dict[str, float]] = {}
    for (lang, label), c in sorted(counts.items()):
        if not (c["tp"] + c["fn"] + c["fp"]):
            continue
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[f"{lang}/{label}"] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": c["tp"] + c["fn"],
        }
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.entities.evaluate")
    parser.add_argument("gold", nargs="?", type=Path, default=Path("tests/entity_gold/gold.yaml"))
    parser.add_argument("--errors", action="store_true", help="list false positives/negatives")
    args = parser.parse_args(argv)
    scores = evaluate(args.gold, args.errors)
    print(f"{'language/type':20} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5}")
    for name, s in scores.items():
        print(
            f"{name:20} {s['precision']:9.3f} {s['recall']:7.3f} {s['f1']:6.3f} {s['support']:5.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
