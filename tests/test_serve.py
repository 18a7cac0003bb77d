"""reader serve: a real server on a free loopback port, reached as a browser reaches it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def start(library: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    """The server, and the URL it printed (with the token)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "--library", str(library), "serve", *args],
        cwd=ROOT,
        env={**os.environ, "READER_LIBRARY": str(library)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # printed and flushed at start-up
    found = re.search(r"http://\S+", line)
    assert found, (line, process.stderr.read() if process.poll() is not None else "")
    return process, found.group(0)


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    _, err = process.communicate(timeout=30)
    return err


@pytest.mark.parametrize("host", ["0.0.0.0", "127.0.0.2", "localhost", "::"])
def test_only_127_0_0_1_or_1_without_public(tmp_path: Path, host: str):
    done = run_cli("serve", "--host", host, library=tmp_path / "lib")
    assert done.returncode == 2
    assert "add --public" in done.stderr and done.stdout == ""


async def _screen_text(ws: aiohttp.ClientWebSocketResponse, wanted: str) -> str:
    """What the app drew (its escape codes removed) once ``wanted`` showed and the app then
    drew nothing for half a second (it is ready for keys)."""
    got, text = b"", ""
    with contextlib.suppress(TimeoutError):  # the caller's assertion shows what was drawn
        async with asyncio.timeout(30):
            while wanted not in text:
                message = await ws.receive()
                if message.type == aiohttp.WSMsgType.BINARY:
                    got += message.data
                    text = re.sub(r"\x1b\[[0-9;?$]*[A-Za-z]", "", got.decode("utf-8", "replace"))
                elif message.type != aiohttp.WSMsgType.TEXT:
                    text += f" [websocket {message.type.name}: {message.data}]"
                    break
    await _quiet(ws)
    return text


async def _quiet(ws: aiohttp.ClientWebSocketResponse, seconds: float = 0.5) -> None:
    """Until the app has drawn nothing for ``seconds`` (it has done what the keys asked)."""
    while True:
        try:
            await ws.receive(timeout=seconds)
        except TimeoutError:
            return


def test_the_token_is_needed_and_the_browser_sees_the_library(tmp_path: Path):
    library = tmp_path / "lib"
    assert run_cli("import", "--samples", library=library).returncode == 0
    port = free_port()
    process, url = start(library, "--port", str(port))
    try:
        base = f"http://127.0.0.1:{port}"
        assert url.startswith(f"{base}/?token=")
        token = url.split("token=", 1)[1]
        assert len(token) >= 32

        async def browse() -> tuple[str, str]:
            async with aiohttp.ClientSession() as stranger:
                for path in ("/", "/?token=wrong", "/ws", "/static/js/textual.js"):
                    async with stranger.get(base + path) as response:
                        assert response.status == 403, path
            jar = aiohttp.CookieJar(unsafe=True)  # a browser keeps cookies of 127.0.0.1
            async with aiohttp.ClientSession(cookie_jar=jar) as browser:
                async with browser.get(url) as response:
                    assert response.status == 200
                    assert "HttpOnly" in response.headers["Set-Cookie"]
                    page = await response.text()
                assert f"ws://127.0.0.1:{port}/ws" in page
                tunnel = {"Host": "127.0.0.1:9999"}  # as reached through ssh -L 9999:...
                async with browser.get(url, headers=tunnel) as response:
                    assert "ws://127.0.0.1:9999/ws" in await response.text()
                async with browser.get(f"{base}/static/js/textual.js") as response:
                    assert response.status == 200  # the cookie is enough now
                with pytest.raises(aiohttp.WSServerHandshakeError):
                    await browser.ws_connect(f"{base}/ws", origin="http://evil.example")
                ws = await browser.ws_connect(f"{base}/ws?width=100&height=30")
                listing = await _screen_text(ws, "Kızılay")
                await ws.close()
            return listing

        listing = asyncio.run(browse())
        assert "7 of 7 articles" in listing and "Kızılay'ın yardım tırları" in listing
    finally:
        err = stop(process)
    assert token not in err  # printed once, on stdout; never logged


def test_public_warns_and_still_needs_the_token(tmp_path: Path):
    port = free_port("127.0.0.2")
    process, url = start(tmp_path / "lib", "--host", "127.0.0.2", "--port", str(port), "--public")
    try:

        async def knock() -> tuple[int, int]:
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as session:
                async with session.get(f"http://127.0.0.2:{port}/") as without:
                    pass
                async with session.get(url) as with_token:
                    pass
            return without.status, with_token.status

        assert asyncio.run(knock()) == (403, 200)
    finally:
        err = stop(process)
    assert "anyone who can reach port" in err


CHROMIUM = Path("/usr/bin/chromium")  # Debian's package: apt install chromium


def test_a_real_browser_searches_and_opens_an_article(tmp_path: Path):
    """End to end in headless Chromium: the page with the token, `/`, a query and Enter typed
    as soon as the terminal is on the page; the article opened (and so, after 3 seconds on
    screen, marked read in the library). Skipped, saying why, without Chromium or Playwright."""
    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium (Debian: apt install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    library = tmp_path / "lib"
    assert run_cli("import", "--samples", library=library).returncode == 0
    port = free_port()
    process, url = start(library, "--port", str(port))
    try:
        with sync_api.sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.goto(url)
            page.wait_for_selector(".xterm-helper-textarea", timeout=30_000)
            page.focus(".xterm-helper-textarea")
            page.keyboard.type("/kizilay", delay=30)
            page.keyboard.press("Enter")
            opened = None
            for _ in range(60):  # read after 3 s on screen: the article was opened
                rows = json.loads(run_cli("list", "--json", library=library).stdout)
                opened = next((r for r in rows if r["read"]), None)
                if opened is not None:
                    break
                page.wait_for_timeout(500)
            browser.close()
        assert opened is not None and "Kızılay" in opened["title"]
    finally:
        stop(process)
