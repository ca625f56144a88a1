"""A writer's save in `invoke serve`: how long until the page is written and the browser told.

For each N, makes a copy of the project whose content is the real pages plus N synthetic
articles (``build_scale.write_content``), starts the real ``invoke serve`` on a free port,
loads that article's page and connects to the live-reload socket as a browser showing it
does (serve tells each browser when its own page is written), then saves the article several times
(a new sentence each time) and measures, from the save:

- **page**: until the article's page in ``output/`` holds the new sentence;
- **reload**: until serve tells the browser to reload (what a writer waits for);
- **check**: the writer's check that serve runs after each rebuild, as it prints its own time.

Then as many saves that change the title, which also rewrite the lists showing it. Prints
every figure, the median of the body saves and of the title saves, the load average.

    .venv/bin/python benchmarks/serve_refresh.py            # the shipped site (8) and 1,000
    .venv/bin/python benchmarks/serve_refresh.py --sizes 1000 --edits 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from build_scale import write_content  # the one article generator (benchmarks/ is this folder)

PROJECT_ROOT = Path(__file__).resolve().parents[1]

COPIED = ("commands", "plugins", "theme", "reviews", "pelicanconf.py", "publishconf.py", "tasks.py")
EDITED = "content/articles/ketamine-for-chronic-pain.md"
EDITED_PAGE = "output/articles/ketamine-for-chronic-pain/index.html"
EDITED_ADDRESS = "articles/ketamine-for-chronic-pain/"  # the page the writer's browser shows


def load() -> str:
    """The load average now (1, 5 and 15 minutes)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def free_port() -> int:
    """A port nobody listens on (127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_project(folder: Path, articles: int) -> Path:
    """A copy of the project; its content is the real one plus ``articles`` synthetic ones."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=ignore)
        else:
            shutil.copy2(source, folder / name)
    if (PROJECT_ROOT / "node_modules").exists():
        (folder / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")
    if articles:
        write_content(folder, articles)
    else:
        shutil.copytree(PROJECT_ROOT / "content", folder / "content")
    return folder


class Serve:
    """The real `invoke serve` in ``project``, its output read line by line in a thread."""

    def __init__(self, project: Path, port: int) -> None:
        self.port = port
        self.lines: list[tuple[float, str]] = []
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "invoke", "serve", "--port", str(port)],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line))

    def wait_for(self, pattern: str, after: float, seconds: float) -> tuple[float, str]:
        """The first line after ``after`` matching ``pattern`` (a regex), and when it came."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for when, line in list(self.lines):
                if when >= after and re.search(pattern, line):
                    return when, line
            time.sleep(0.02)
        tail = "".join(line for _, line in self.lines[-30:])
        raise TimeoutError(f"serve never printed {pattern!r}; last lines:\n{tail}")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


class Browser:
    """A browser showing one page: it loads the page, then opens livereload's socket as
    livereload.js does (hello, info naming the page), then hears reload messages."""

    def __init__(self, port: int, page: str) -> None:
        self.address = f"http://127.0.0.1:{port}/{page}"
        with urllib.request.urlopen(self.address, timeout=60) as answer:
            answer.read()
        self.reloads: list[float] = []
        self.loop = asyncio.new_event_loop()
        self.connected = threading.Event()
        threading.Thread(target=self.loop.run_until_complete, args=(self._listen(port),),
                         daemon=True).start()  # fmt: skip
        if not self.connected.wait(30):
            raise TimeoutError("could not connect to livereload's socket")

    async def _listen(self, port: int) -> None:
        from tornado.websocket import websocket_connect

        socket = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
        await socket.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))  # fmt: skip
        await socket.write_message(json.dumps({"command": "info", "url": self.address}))
        self.connected.set()
        while (message := await socket.read_message()) is not None:
            if json.loads(message).get("command") == "reload":
                self.reloads.append(time.monotonic())

    def reload_after(self, moment: float, seconds: float) -> float:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            later = [when for when in self.reloads if when >= moment]
            if later:
                return later[0]
            time.sleep(0.005)
        raise TimeoutError("livereload never told the browser to reload")


def wait_for_text(path: Path, text: str, seconds: float) -> float:
    """When ``path`` first holds ``text``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if text in path.read_text(encoding="utf-8"):
                return time.monotonic()
        except FileNotFoundError:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"{path} never held {text!r}")


def save(project: Path, original: str, change: str) -> float:
    """Save the edited article with ``change`` made; return when it was saved."""
    path = project / EDITED
    if change.startswith("Title: "):
        text = original.replace("Title: ", change, 1)
    else:
        text = original + f"\n{change}\n"
    path.write_text(text, encoding="utf-8")
    return time.monotonic()


def one_save(serve: Serve, browser: Browser, project: Path, change: str, marker: str) -> dict:
    """Save once; seconds until the page holds ``marker``, until the reload, and the check's."""
    original = (project / EDITED).read_text(encoding="utf-8").split("\nEdit number ")[0]
    original = re.sub(r"^Title: Edited\S* ", "Title: ", original, count=1, flags=re.MULTILINE)
    saved = save(project, original, change)
    page = wait_for_text(project / EDITED_PAGE, marker, 300) - saved
    reload = browser.reload_after(saved, 300) - saved
    _, rebuilt = serve.wait_for(r"Rebuilt in", saved, 300)
    _, checked = serve.wait_for(r"files checked in [\d.]+ s", saved, 600)
    check = float(re.search(r"checked in ([\d.]+) s", checked).group(1))
    written = re.search(r"\((\d+) pages? written\)", rebuilt)
    return {"page": page, "reload": reload, "check": check,
            "written": int(written.group(1)) if written else -1}  # fmt: skip


def measure(articles: int, edits: int, work: Path) -> None:
    """Start serve on a site of ``articles`` articles; time ``edits`` body and title saves."""
    project = make_project(work / f"site-{articles}", articles)
    port = free_port()
    started = time.monotonic()
    serve = Serve(project, port)
    try:
        serve.wait_for(r"Serving the site at", started, 1200)
        first = time.monotonic() - started
        # The first writer's check runs in the background (a minute at 1,000 articles with its
        # cache empty), and the server answers slowly meanwhile: connect after it.
        serve.wait_for(r"files checked in", started, 1200)
        browser = Browser(port, EDITED_ADDRESS)
        print(f"\nN = {articles:,} articles: serve started in {first:.1f} s; load {load()}")
        saves: dict[str, list[dict]] = {"body": [], "title": []}
        for name, change in (
            # One word: typography joins a sentence's last two words with a no-break space.
            ("body", lambda marker: f"Edit number {marker} here."),
            ("title", lambda marker: f"Title: {marker} "),
        ):
            for number in range(edits):
                marker = f"{'edit' if name == 'body' else 'Edited'}{number}x{time.time():.0f}"
                save = one_save(serve, browser, project, change(marker), marker)
                saves[name].append(save)
                print(f"  {name} save {number + 1}: page {save['page']:.2f} s, reload "
                      f"{save['reload']:.2f} s, {save['written']} page(s) written, "
                      f"check {save['check']:.1f} s")  # fmt: skip
        for name, kept in saves.items():
            page = statistics.median(save["page"] for save in kept)
            reload = statistics.median(save["reload"] for save in kept)
            check = statistics.median(save["check"] for save in kept)
            print(f"  median of {edits} {name} saves: page written {page:.2f} s, browser told "
                  f"{reload:.2f} s, writer's check {check:.1f} s; load {load()}")  # fmt: skip
    finally:
        serve.stop()


def main() -> None:
    """Parse the options, measure each size, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0,1000", help="synthetic articles (0: shipped site)")
    parser.add_argument("--edits", type=int, default=3, help="body and title saves (median)")
    args = parser.parse_args()
    print(f"serve_refresh: {os.cpu_count()} CPU(s), load {load()}")
    with tempfile.TemporaryDirectory(prefix="serve-refresh-") as scratch:
        for size in (int(size) for size in args.sizes.split(",")):
            measure(size, args.edits, Path(scratch))


if __name__ == "__main__":
    main()
