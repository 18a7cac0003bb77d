"""The footer: Textual's, but a key that does not fit is left out whole (and "…" says so),
never cut in the middle of its name at the screen's edge."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

MORE = "…"


def _width(key: FooterKey) -> int:
    """Cells a key takes: " key description " (Textual's padding), the palette's its border."""
    extra = 4 if key.has_class("-command-palette") else 3
    return cell_len(key.key_display) + cell_len(key.description) + extra


class FittedFooter(Footer):
    _fitted_to: int | None = None

    def compose(self) -> ComposeResult:
        items: list[Widget] = list(super().compose())
        keys = [i for i in items if isinstance(i, FooterKey)]
        if len(keys) != len(items):  # binding groups (none of ours): as Textual shows them
            yield from items
            return
        docked = [k for k in keys if k.has_class("-command-palette")]
        room = self.app.size.width - sum(_width(k) for k in docked)
        shown = [k for k in keys if k not in docked]
        if sum(_width(k) for k in shown) > room:
            room -= cell_len(MORE) + 1
            while shown and sum(_width(k) for k in shown) > room:
                shown.pop()
            yield from shown
            yield FooterLabel(MORE)
        else:
            yield from shown
        yield from docked

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._fitted_to:  # a new width: fit again
            self._fitted_to = event.size.width
            self.call_after_refresh(self.recompose)
