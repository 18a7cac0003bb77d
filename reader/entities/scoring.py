"""Score a recogniser on an annotated corpus, CoNLL style: an entity counts when its label and
both boundaries are exactly those of the corpus (an apostrophe suffix is never part of it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from annotations.labels import ENTITY_LABELS
from reader.entities.corpus import Document
from reader.entities.recognizer import Entity

Recognise = Callable[[str, Sequence[str]], list[Entity]]


@dataclass
class Scores:
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def row(self, label: str) -> dict[str, float]:
        c = self.counts.get(label, Counter())
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}

    def labels(self) -> list[str]:
        return [label for label in (*ENTITY_LABELS, "ALL") if label in self.counts]

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {label: self.row(label) for label in self.labels()}


def score(docs: Iterable[Document], recognise: Recognise) -> Scores:
    scores = Scores()
    for doc in docs:
        gold = set(doc.spans)
        predicted = {(e.start, e.end, e.label) for e in recognise(doc.text, doc.keywords)}
        for label in {s[2] for s in gold | predicted} | {"ALL"}:
            g = gold if label == "ALL" else {s for s in gold if s[2] == label}
            p = predicted if label == "ALL" else {s for s in predicted if s[2] == label}
            counter = scores.counts.setdefault(label, Counter())
            counter["tp"] += len(g & p)
            counter["fp"] += len(p - g)
            counter["fn"] += len(g - p)
        by_bounds = {(s, e): label for s, e, label in gold}
        guessed = {(s, e): label for s, e, label in predicted}
        for (s, e), label in by_bounds.items():
            found = guessed.get((s, e))
            if found != label:
                scores.errors[(doc.text[s:e], label, found or "missed")] += 1
        for (s, e), label in guessed.items():
            if (s, e) not in by_bounds:
                scores.errors[(doc.text[s:e], "none", label)] += 1
    for counter in scores.counts.values():
        for key in ("tp", "fp", "fn"):
            counter.setdefault(key, 0)
    return scores


def table(scores: Scores) -> list[str]:
    lines = [f"{'label':8} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>6}"]
    for label in scores.labels():
        r = scores.row(label)
        lines.append(
            f"{label:8} {r['precision']:9.3f} {r['recall']:7.3f} {r['f1']:6.3f} {r['support']:6.0f}"
        )
    return lines


def error_lines(scores: Scores, limit: int = 25) -> list[str]:
    """The most frequent errors: the text, what the corpus says, what was found."""
    lines = [f"{'count':>5}  {'corpus':7} {'found':7} text"]
    for (text, gold, found), n in scores.errors.most_common(limit):
        lines.append(f"{n:5}  {gold:7} {found:7} {text}")
    return lines
