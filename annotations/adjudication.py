"""Settling disagreements: a curator takes one annotator's version, all of them, or none, and
the decisions go to the curator's own journal as gold records (docs/team.md).

Anyone may curate, unless the library's ``library.yaml`` names its ``curators``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotations.edits import Change, EditError, Edits
from annotations.records import Gold
from annotations.review import Candidate, Item, Review
from annotations.safeyaml import YamlInputError, load_untrusted

SETTINGS = "library.yaml"
BOTH = "\x00both"  # a choice: every annotator's version (no person can be named this)
NEITHER = "\x00neither"  # a choice: nobody's version


class NotCurator(EditError):
    """This person is not among the library's curators."""


def curators(folder: Path) -> list[str] | None:
    """The library's curators, or None when anyone may curate (no list in library.yaml)."""
    path = folder / SETTINGS
    if not path.exists():
        return None
    data = load_untrusted(path)  # a broken file is the user's to fix: YamlInputError names it
    names = data.get("curators") if isinstance(data, dict) else None
    if names is None:
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise YamlInputError(f"{path}: curators: expected a list of login names")
    return names


def check_curator(edits: Edits) -> None:
    allowed = curators(edits.library.folder)
    if allowed is not None and edits.annotator not in allowed:
        raise NotCurator(
            f"{edits.annotator} is not a curator of this library "
            f"(curators: {', '.join(allowed) or 'none'}, in {SETTINGS})"
        )


def decisions_for(item: Item, choice: str, curator: str) -> list[Gold]:
    """The gold records that settle ``item`` by ``choice``: an annotator's name, BOTH or
    NEITHER."""
    if choice not in (BOTH, NEITHER) and choice not in item.annotators:
        raise EditError(f"{choice} did not mark this article done")
    out = []
    for candidate in item.candidates:
        if choice == BOTH:
            accepted, basis = True, ", ".join(sorted(candidate.holders))
        elif choice == NEITHER:
            accepted, basis = False, ""
        else:
            accepted = choice in candidate.holders
            basis = choice
        out.append(_decision(item, candidate, curator, accepted=accepted, basis=basis))
    return out


def _decision(
    item: Item, candidate: Candidate, curator: str, *, accepted: bool, basis: str
) -> Gold:
    if candidate.span is not None:
        return Gold.for_span(candidate.span, curator, rejected=not accepted, basis=basis)
    assert candidate.tag is not None  # a candidate is a tag or a passage
    return Gold.for_tag(item.article, candidate.tag, curator, rejected=not accepted, basis=basis)


def describe(choice: str) -> str:
    return {BOTH: "all versions", NEITHER: "no version"}.get(choice, f"{choice}'s version")


def settle(edits: Edits, item: Item, choice: str) -> Change | None:
    """Settle one item (one undo step)."""
    check_curator(edits)
    decisions = decisions_for(item, choice, edits.annotator)
    return edits.decide(f"settle {item.name}: {describe(choice)}", decisions)


@dataclass
class BulkReport:
    settled: dict[str, int] = field(default_factory=dict)  # "tag" / "passage": items settled
    left: list[str] = field(default_factory=list)  # why an item was not settled

    def summary(self) -> str:
        done = ", ".join(_count(n, what) for what, n in self.settled.items() if n) or "nothing"
        return f"settled {done}; {_count(len(self.left), 'disagreement')} left"


def settle_all(edits: Edits, review: Review, prefer: str | None) -> BulkReport:
    """Settle every open disagreement: by ``prefer``'s version where they marked the article
    done, else by majority (more than half of those who marked it done); ties stay open."""
    check_curator(edits)
    report = BulkReport()
    decisions: list[Gold] = []
    for item in review.disagreements():
        if review.settled(item):
            continue
        if prefer is not None and prefer in item.annotators:
            decisions += decisions_for(item, prefer, edits.annotator)
        else:
            majority = _majority(item, edits.annotator)
            if majority is None:
                why = f"{prefer} did not mark it done; " if prefer else ""
                report.left.append(f"{item.article} {item.kind} {item.name}: {why}a tie")
                continue
            decisions += majority
        what = "tag" if item.kind == "tag" else "passage"
        report.settled[what] = report.settled.get(what, 0) + 1
    if decisions:
        edits.decide(f"settle {len(decisions)} items", decisions)
    return report


def _majority(item: Item, curator: str) -> list[Gold] | None:
    out = []
    for candidate in item.candidates:
        held = len(candidate.holders)
        if 2 * held == len(item.annotators):
            return None
        accepted = 2 * held > len(item.annotators)
        basis = ", ".join(sorted(candidate.holders)) if accepted else ""
        out.append(_decision(item, candidate, curator, accepted=accepted, basis=basis))
    return out


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")
