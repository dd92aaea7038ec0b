"""Helpers for tests (and bench/serve_bench.py) that run `sitegen serve` for real.

The server runs as `python -m sitegen serve --port 0` in a process group of
its own, with TMPDIR pointed at a folder the caller can inspect; its terminal
output goes to a log file. Nothing here sleeps a fixed time: every wait
polls until something happens or a deadline passes.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def wait_until(check: Callable[[], T], timeout: float = 30.0, what: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(url: str, raw_path: str, method: str = "GET") -> Response:
    """One request with `raw_path` sent exactly as given (no normalising, no redirects)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, raw_path)
        response = connection.getresponse()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


class EventStream:
    """A Server-Sent Events client on plain http.client, one event at a time."""

    def __init__(self, url: str, timeout: float = 30.0):
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.connection.request("GET", "/__sitegen/events")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next(self) -> tuple[str, dict]:
        name, data = "message", []
        while True:
            line = self.response.readline()  # raises TimeoutError if the server stays silent
            if not line:
                raise EOFError("the server closed the event stream")
            line = line.decode("utf-8").rstrip("\r\n")
            if not line:
                if data:
                    return name, json.loads("\n".join(data))
                name = "message"
            elif not line.startswith(":"):
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "event":
                    name = value
                elif field == "data":
                    data.append(value)

    def wait_for(self, name: str) -> dict:
        """The data of the next event called `name`, skipping others."""
        while True:
            got, data = self.next()
            if got == name:
                return data

    def close(self) -> None:
        self.connection.close()


@dataclass
class Served:
    process: subprocess.Popen
    url: str
    log_path: Path
    tmp_dir: Path  # the server's TMPDIR

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def get(self, raw_path: str) -> Response:
        return fetch(self.url, raw_path)

    def stop(self) -> int:
        """Ctrl-C, as a terminal sends it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError("sitegen serve did not stop within 60 s of Ctrl-C") from None

    def temporary_folder_gone(self, timeout: float = 120.0) -> bool:
        """Whether the server left TMPDIR empty. On the way out it renames its folder (`*.removing`),
        and a detached child removes that once the server has ended (preview/leaving.py): the name
        must be free at once, the files gone within `timeout` s."""
        if any(not path.name.endswith(".removing") for path in self.tmp_dir.iterdir()):
            return False
        deadline = time.monotonic() + timeout
        while any(self.tmp_dir.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        return not any(self.tmp_dir.iterdir())

    def group_alive(self) -> bool:
        """Whether any process of the server's process group (its render workers) still runs."""
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True


def start_serve(content: Path, work: Path, *options: str, wait_for_build: bool = True,
                timeout: float = 30.0, ctrl_c_ignored: bool = False) -> Served:
    """`ctrl_c_ignored`: started as `nohup sitegen serve &` in a script starts it, SIGINT ignored."""
    tmp_dir = work / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    log_path = work / "serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--content", str(content), "--port", "0", *options],
            stdout=log, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True,
            env={**os.environ, "TMPDIR": str(tmp_dir), "PYTHONUNBUFFERED": "1"},
            preexec_fn=partial(signal.signal, signal.SIGINT, signal.SIG_IGN) if ctrl_c_ignored else None,
        )

    def url() -> str | None:
        if process.poll() is not None:
            raise AssertionError(f"sitegen serve exited with {process.returncode}:\n{log_path.read_text()}")
        found = re.search(r" at (http://\S+) ", log_path.read_text(encoding="utf-8"))
        return found and found.group(1)

    served = Served(process, wait_until(url, what="the serving line"), log_path, tmp_dir)
    if wait_for_build:
        wait_until(lambda: served.get("/").status != 503, timeout, what="the first build")
    return served
