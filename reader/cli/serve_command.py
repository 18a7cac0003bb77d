"""``reader serve``: the app in a browser, through textual-serve (docs/sharing.md).

Each browser tab runs the app as a process of the serving user, on that user's library and
annotator name. Safe by default: it listens on 127.0.0.1 (or ::1) only; any other address needs
``--public``. Every request needs the start-up token: ``?token=...`` in the URL printed once on
stdout, or the cookie set when that URL is opened (HttpOnly, SameSite=Strict); the websocket
also needs an Origin of this server when the browser sends one. Anything else gets 403.
"""

from __future__ import annotations

import argparse
import secrets
import shlex
import sys
from typing import TYPE_CHECKING, Any

from annotations.library import Library

if TYPE_CHECKING:
    from aiohttp import web

LOOPBACK = ("127.0.0.1", "::1")
COOKIE = "haber_okur_token"


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="the app in a browser (pip install 'haber-okur[serve]')",
        description="Serve the app to a browser. Listens on 127.0.0.1 only unless --public; "
        "every request needs the token printed at start-up. From a laptop: "
        "ssh -L 8000:127.0.0.1:8000 server, then open the printed URL.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (8000)")
    p.add_argument(
        "--public",
        action="store_true",
        help="allow an address other than 127.0.0.1/::1: anyone who reaches the port with "
        "the token acts as you",
    )


def app_command(library: Library, args: argparse.Namespace) -> str:
    """The command each browser tab runs: this program, on this library, as this annotator."""
    argv = [sys.executable, "-m", "reader", "--library", str(library.folder.resolve())]
    if args.annotator:
        argv += ["--annotator", args.annotator]
    if args.theme:
        argv += ["--theme", args.theme]
    return shlex.join(argv)


def cmd_serve(library: Library, args: argparse.Namespace) -> int:
    from reader.cli import EXIT_FAILED, EXIT_OK, UsageError, say

    if args.host not in LOOPBACK and not args.public:
        raise UsageError(
            f"--host {args.host} is not 127.0.0.1 or ::1: anyone who reaches it could act as "
            f"{library.annotator}; add --public if that is what you want"
        )
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port} is not a port number")
    try:
        server_class = _server_class()
    except ImportError:
        say("reader: serve needs textual-serve: pip install 'haber-okur[serve]'")
        return EXIT_FAILED
    if args.public:
        say(
            f"reader: warning: serving on {args.host}: anyone who can reach port {args.port} "
            f"and has the token acts as {library.annotator} on {library.folder}"
        )
    token = secrets.token_urlsafe(24)
    host = f"[{args.host}]" if ":" in args.host else args.host
    public_url = f"http://{host}:{args.port}"
    server = server_class(
        app_command(library, args),
        host=args.host,
        port=args.port,
        title="haber-okur",
        public_url=public_url,
    )
    server.token = token
    server.url = f"{public_url}/?token={token}"
    try:
        server.serve()
    except OSError as exc:  # the port is taken, the address is not ours
        say(f"reader: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}")
        return EXIT_FAILED
    return EXIT_OK


def _server_class() -> type[Any]:
    """textual-serve's Server with the token guard (imported only for ``serve``)."""
    import asyncio
    import logging
    import signal

    from aiohttp import web
    from textual_serve.server import Server

    class GuardedServer(Server):
        token = ""
        url = ""

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING)  # no access log: URLs hold the token

        async def _make_app(self) -> web.Application:
            app: web.Application = await super()._make_app()
            app.middlewares.append(self._guard)
            return app

        @web.middleware
        async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
            given = request.query.get("token", "")
            cookie = request.cookies.get(COOKIE, "")
            by_url = secrets.compare_digest(given.encode(), self.token.encode())
            if not (by_url or secrets.compare_digest(cookie.encode(), self.token.encode())):
                raise web.HTTPForbidden(text="403: this server needs the URL it printed\n")
            origin = request.headers.get("Origin")
            if request.path == "/ws" and origin and origin.split("://", 1)[-1] != request.host:
                raise web.HTTPForbidden(text="403: not from this server's page\n")
            response: web.StreamResponse = await handler(request)
            if by_url and not response.prepared:
                response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict")
            return response

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # the page names the address it was reached at: a tunnel's local port works too
            self.public_url = f"http://{request.host}"
            response: web.StreamResponse = await super().handle_index(request)
            return response

        async def on_startup(self, app: web.Application) -> None:
            pass  # textual-serve prints a logo and the command line here

        def serve(self, debug: bool = False) -> None:
            self.debug = debug
            self.initialize_logging()
            asyncio.run(self._serve())

        async def _serve(self) -> None:
            runner = web.AppRunner(await self._make_app(), access_log=None)
            await runner.setup()
            try:
                await web.TCPSite(runner, self.host, self.port).start()
                print(f"haber-okur: open {self.url}", flush=True)  # listening: the token, once
                print("Ctrl+C stops the server.", file=sys.stderr, flush=True)
                stop = asyncio.Event()
                loop = asyncio.get_running_loop()
                for signum in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(signum, stop.set)
                await stop.wait()
            finally:
                await runner.cleanup()

    return GuardedServer


COMMANDS = {"serve": cmd_serve}
