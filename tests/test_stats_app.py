"""The stats screen in the app: from the palette (and its key), numbers from a worker."""

from __future__ import annotations

import asyncio

from annotations.edits import Edits
from reader.tui.screens.stats import StatsScreen

from .app_support import make_app

GAZA = "00e97159207a77b9"


async def counted(pilot) -> StatsScreen:
    """The stats screen once its worker has counted everything (entities too)."""
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    for _ in range(400):
        if screen.stats is not None and not screen.stats.entities_partial:
            break
        await asyncio.sleep(0.01)
    await pilot.pause()
    return screen


async def test_stats_screen_opens_from_the_palette_with_the_numbers(tmp_path):
    app = make_app(tmp_path / "lib")
    Edits(app.library).tag(GAZA, "ceasefire", "[bold]x[/]")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"stats", "enter")
        screen = await counted(pilot)
        assert screen.stats is not None
        assert screen.stats.articles == 7 and screen.stats.entities_counted == 7
        status = app.export_screenshot()
        assert "7&#160;articles" in status or "7 articles" in status
        assert "2&#160;tags" in status or "2 tags" in status
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


def test_stats_screen_at_80x24(snap_compare, tmp_path):
    app = make_app(tmp_path / "lib")
    edits = Edits(app.library)
    edits.tag(GAZA, "ceasefire", "mediation")
    edits.tag("f36045fac382ec89", "ceasefire")

    async def open_stats(pilot) -> None:
        await pilot.press("percent_sign")
        await counted(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_stats)
