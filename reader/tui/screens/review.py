"""The review screen: walk the disagreements between annotators and settle each with one key
into the gold layer (docs/team.md). Everything shown is built as Text: names, tags and quotes
are untrusted, never markup."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from annotations.adjudication import BOTH, NEITHER, describe, settle
from annotations.edits import Change
from annotations.library import Library
from annotations.records import Gold
from annotations.review import AGREEMENT, Candidate, Item, Review, build_review
from annotations.sanitize import strip_controls
from reader.tui.widgets.footer import FittedFooter

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

CONTEXT = 60  # characters of text shown around a group of passages
ORDERS = ("article", "tag")


class ReviewScreen(Screen[None]):
    """Disagreements one at a time: each annotator's version side by side."""

    if TYPE_CHECKING:

        @property
        def app(self) -> ReaderApp: ...  # type: ignore[override]

    BINDINGS = [
        Binding("1", "take(1)", "Take", id="review.take"),
        *(
            Binding(str(n), f"take({n})", "", show=False, id=f"review.take{n}")
            for n in range(2, 10)
        ),
        Binding("b", "take_both", "Both", id="review.both"),
        Binding("x", "take_neither", "Neither", id="review.neither"),
        Binding("n,j,down", "step(1)", "Next", id="review.next"),
        Binding("p,k,up", "step(-1)", "Prev", show=False, id="review.previous"),
        Binding("o", "order", "Order", id="review.order"),
        Binding("u", "undo", "Undo", id="review.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="review.redo"),
        Binding("escape,q", "app.pop_screen", "Back", id="review.back"),
        Binding("question_mark", "app.help", "Help", show=False, id="review.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.review: Review | None = None
        self.items: list[Item] = []
        self.index = 0
        self.order = ORDERS[0]
        self._opened = False
        self.status = Static(Text("Looking for disagreements…"), id="review-status")
        self.body = Static(id="review-body")

    @property
    def library(self) -> Library:
        return self.app.library

    def compose(self) -> ComposeResult:
        yield self.status
        with VerticalScroll(id="review-scroll"):
            yield self.body
        yield FittedFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="review")
    def load(self, keep: tuple[Any, ...] | None = None) -> None:
        """Build the review off the UI thread (all records of the library are read)."""
        review = build_review(self.library)
        self.app.call_from_thread(self._loaded, review, keep)

    def _loaded(self, review: Review, keep: tuple[Any, ...] | None) -> None:
        self.review = review
        self.items = self._ordered(review.disagreements())
        if keep is not None:
            self.index = next((i for i, item in enumerate(self.items) if _key(item) == keep), 0)
        elif not self._opened:  # the first look: the first open disagreement
            self.index = next(
                (i for i, item in enumerate(self.items) if not review.settled(item)), 0
            )
        self._opened = True
        self.index = min(self.index, max(0, len(self.items) - 1))
        self.show()

    def _ordered(self, items: list[Item]) -> list[Item]:
        if self.order == "tag":
            return sorted(items, key=lambda i: (i.kind != "tag", i.name, i.article))
        index = self.library.article_index()
        return sorted(items, key=lambda i: (-_date_rank(index, i.article), i.article))

    # -- what is shown --------------------------------------------------------------------
    def show(self) -> None:
        review = self.review
        if review is None:
            return
        settled, total = review.progress()
        status = Text()
        status.append("Review", style="bold")
        status.append(f"  ·  {settled} of {total} settled  ·  by {self.order}")
        if self.items:
            status.append(f"  ·  {self.index + 1} / {len(self.items)}")
        self.status.update(status)
        if not self.items:
            self.body.update(_nothing_to_review(review))
            return
        self.body.update(self._render_item(self.items[self.index], review))

    def _render_item(self, item: Item, review: Review) -> Any:
        from rich.console import Group

        meta = self.library.article_index().get(item.article, {})
        title = Text(strip_controls(str(meta.get("title") or item.article)), style="bold")
        where = Text(
            strip_controls(
                "  ·  ".join(str(meta.get(k)) for k in ("source", "date") if meta.get(k))
            ),
            style="dim",
        )
        what = Text()
        what.append("tag " if item.kind == "tag" else "passages labelled ", style="dim")
        what.append(strip_controls(item.name), style="bold")
        parts: list[Any] = [title, where, Text(), what]
        if item.kind == "label":
            parts.append(self._surroundings(item))
        parts.append(_versions(item))
        parts.append(_decision(item, review))
        return Group(*parts)

    def _surroundings(self, item: Item) -> Text:
        """The text around the passages, the part they cover in bold."""
        text = self.library.load_article(item.article).text
        spans = [c.span for c in item.candidates if c.span is not None]
        start, end = min(s.start for s in spans), max(s.end for s in spans)
        left, right = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
        out = Text()
        out.append("…" if left else "", style="dim")
        out.append(strip_controls(text[left:start]).replace("\n", " "))
        out.append(strip_controls(text[start:end]).replace("\n", " "), style="bold underline")
        out.append(strip_controls(text[end:right]).replace("\n", " "))
        out.append("…" if right < len(text) else "", style="dim")
        return out

    # -- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take" and parameters:
            item = self.items[self.index] if self.items else None
            number = parameters[0]
            return item is not None and isinstance(number, int) and number <= len(item.annotators)
        if action in ("take_both", "take_neither", "step"):
            return bool(self.items)
        return True

    def action_take(self, number: int) -> None:
        if self.items and 1 <= number <= len(self.items[self.index].annotators):
            self._settle(self.items[self.index].annotators[number - 1])

    def action_take_both(self) -> None:
        self._settle(BOTH)

    def action_take_neither(self) -> None:
        self._settle(NEITHER)

    def _settle(self, choice: str) -> None:
        if not self.items:
            return
        item = self.items[self.index]
        change = self.app.edit(
            lambda edits: settle(edits, item, choice), f"Gold: {describe(choice)}"
        )
        if change is None:
            return
        self._advance_after(item)

    def _advance_after(self, item: Item) -> None:
        """Next open disagreement after this one (the list is rebuilt from the library)."""
        after = self.items[self.index + 1 :] + self.items[: self.index]
        review = self.review
        upcoming = next((i for i in after if review is None or not review.settled(i)), None)
        self.load(_key(upcoming) if upcoming is not None else _key(item))

    def action_step(self, delta: int) -> None:
        if self.items:
            self.index = (self.index + delta) % len(self.items)
            self.show()
            self.query_one("#review-scroll", VerticalScroll).scroll_home(animate=False)

    def action_order(self) -> None:
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        keep = _key(self.items[self.index]) if self.items else None
        if self.review is not None:
            self._loaded(self.review, keep)

    def action_undo(self) -> None:
        self._step_history(self.app.edits.stack.done, self.app.action_undo)

    def action_redo(self) -> None:
        self._step_history(self.app.edits.stack.undone, self.app.action_redo)

    def _step_history(self, stack: list[Change], step: Callable[[], None]) -> None:
        """Undo or redo, then show the disagreement the step was about (if it was one)."""
        about = {r.key for r in stack[-1].records() if isinstance(r, Gold)} if stack else set()
        step()
        item = next((i for i in self.items if about & {c.key for c in i.candidates}), None)
        if item is None and self.items:
            item = self.items[self.index]
        self.load(_key(item) if item is not None else None)


def _key(item: Item) -> tuple[Any, ...]:
    return (item.article, item.kind, item.name, item.candidates[0].key)


def _date_rank(index: dict[str, dict[str, Any]], article: str) -> int:
    date = str(index.get(article, {}).get("date") or "")
    digits = "".join(ch for ch in date if ch.isdigit())[:8]
    return int(digits) if digits else 0


def _versions(item: Item) -> Table:
    """One column per annotator (numbered: the key that takes their version). What not
    everyone gave is marked ≠."""
    table = Table(expand=True)
    for number, annotator in enumerate(item.annotators, start=1):
        header = Text()
        header.append(f" {number} ", style="bold reverse")
        header.append(f" {strip_controls(annotator)}", style="bold")
        table.add_column(header, ratio=1)
    everyone = frozenset(item.annotators)
    cells = []
    for annotator in item.annotators:
        cell = Text()
        held = [c for c in item.candidates if annotator in c.holders]
        if item.kind == "tag":
            if held:
                cell.append("✓ tagged", style="bold")
            else:
                cell.append("✗ not tagged", style="italic")
        elif not held:
            cell.append("✗ no passage", style="italic")
        for candidate in held if item.kind == "label" else []:
            if cell:
                cell.append("\n")
            _passage(cell, candidate, differs=candidate.holders != everyone)
        cells.append(cell)
    table.add_row(*cells)
    return table


def _passage(cell: Text, candidate: Candidate, *, differs: bool) -> None:
    span = candidate.span
    assert span is not None  # a passage candidate
    cell.append("≠ " if differs else "= ", style="bold" if differs else "dim")
    cell.append(f"{span.start}–{span.end} ", style="bold" if differs else "")
    quote = strip_controls(span.quote).replace("\n", " ")
    cell.append(f"«{quote[:80]}{'…' if len(quote) > 80 else ''}»")


def _decision(item: Item, review: Review) -> Text:
    out = Text()
    out.append("\ngold  ", style="dim")
    decided = [(c, review.decision(c)) for c in item.candidates]
    if not any(d for _, d in decided):
        out.append("open", style="bold")
        out.append("  (a number takes that annotator's version; b both, x neither)", style="dim")
        return out
    for candidate, decision in decided:
        label = candidate.tag if candidate.tag is not None else _bounds(candidate)
        out.append(f"\n  {strip_controls(label)}: ", style="")
        if decision is None:
            out.append("open", style="bold")
            continue
        verdict = "rejected" if decision.rejected else "accepted"
        out.append(verdict, style="bold")
        who = AGREEMENT if decision.annotator == AGREEMENT else decision.annotator
        out.append(
            f" by {strip_controls(who)}, {decision.created[:16].replace('T', ' ')}", style="dim"
        )
    return out


def _bounds(candidate: Candidate) -> str:
    span = candidate.span
    return f"{span.start}–{span.end}" if span is not None else ""


def _nothing_to_review(review: Review) -> Text:
    if not review.items:
        return Text(
            "Nothing to review yet: disagreements appear once two or more annotators have "
            "marked the same article done (D on an article, or `reader done`)."
        )
    settled, total = review.progress()
    return Text(f"Every disagreement is settled ({settled} of {total}). The gold layer is ready.")
