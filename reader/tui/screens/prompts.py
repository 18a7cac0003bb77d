"""Small modal prompts: pick one of many (with typing to narrow), or type a line of text."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from annotations.textfold import fold_query
from reader.tui.keys import key_display


def _line(text: str, style: str) -> Text:
    """One line (the ``prompt-line`` class cuts it with "…" when too long, never silently)."""
    return Text(" ".join(text.split()), style=style)


def cancel_hint(prompt: ModalScreen[str | None]) -> str:
    """What the prompt's keys do, with the cancel key in force (settings.yaml may remap it)."""
    return f"Enter saves · {key_display(prompt, 'prompt.cancel') or 'Escape'} cancels"


def _index(option: Option) -> int:
    """Which choice an option shows (its id is "c" and the index, see ``_fill``)."""
    assert option.id is not None
    return int(option.id[1:])


class ChoicePrompt(ModalScreen[str | None]):
    """Type to narrow the choices; Enter picks the highlighted one (or the typed text, when
    ``allow_new``); Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(
        self,
        title: str,
        choices: list[tuple[str, str]],
        *,
        allow_new: bool = False,
        placeholder: str = "type to narrow",
        hint: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices  # (value, label)
        self.allow_new = allow_new
        self.placeholder = placeholder
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(_line(self.title_text, "bold"), classes="prompt-line")
            yield Input(placeholder=self.placeholder, id="prompt-input")
            yield OptionList(id="prompt-options")
            if self.hint:
                hint = self.hint.replace("{cancel}", cancel_hint(self))
                yield Label(_line(hint, "dim"), id="prompt-hint", classes="prompt-line")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, typed: str) -> None:
        key = fold_query(typed)
        options = self.query_one(OptionList)
        options.clear_options()
        shown = [
            Option(Text(label), id=f"c{index}")
            for index, (value, label) in enumerate(self.choices)
            if not key or key in fold_query(label) or key in fold_query(value)
        ]
        options.add_options(shown[:500])
        if shown:
            options.highlighted = 0

    @on(Input.Changed, "#prompt-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(self._pick(event.value.strip()))

    def _pick(self, typed: str) -> str | None:
        """An exact match, else the highlighted choice (when it completes what was typed or
        new values are not allowed), else the typed text as a new value."""
        key = fold_query(typed)
        for value, _ in self.choices:
            if key and fold_query(value) == key:
                return value
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            option = options.get_option_at_index(options.highlighted)
            value = self.choices[_index(option)][0]
            if not self.allow_new or not key or fold_query(value).startswith(key):
                return value
        return typed if self.allow_new and typed else None

    @on(OptionList.OptionSelected, "#prompt-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[_index(event.option)][0])

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(ModalScreen[str | None]):
    """One line (or a note) of text; Enter saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(_line(self.title_text, "bold"), classes="prompt-line")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(_line(cancel_hint(self), "dim"), id="prompt-hint", classes="prompt-line")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
