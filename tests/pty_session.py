"""Run the real ``reader`` command in a pseudo-terminal and read its screen (pyte)."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parent.parent


class PtySession:
    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)):
        self.cols, self.rows = size
        self.master, slave = os.openpty()
        self._winsize(self.cols, self.rows, fd=slave)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reader", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        os.close(slave)
        self.screen = pyte.Screen(self.cols, self.rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()

    def _winsize(self, cols: int, rows: int, fd: int | None = None) -> None:
        fcntl.ioctl(
            fd if fd is not None else self.master,
            termios.TIOCSWINSZ,
            struct.pack("HHHH", rows, cols, 0, 0),
        )

    def read(self, seconds: float = 0.3) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.raw.extend(data)
            self.stream.feed(data)

    def wait_for(self, text: str, timeout: float = 15) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read(0.2)
            if text in self.text():
                return True
        return False

    def wait_gone(self, text: str, timeout: float = 15) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read(0.2)
            if text not in self.text():
                return True
        return False

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def resize(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.screen.resize(rows, cols)
        self._winsize(cols, rows)
        self.proc.send_signal(signal.SIGWINCH)

    def close(self, timeout: float = 10) -> int | None:
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = None
        self.read(0.2)
        os.close(self.master)
        return code
