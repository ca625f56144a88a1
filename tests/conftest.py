"""Shared fixtures: the real site built once, small sites built on demand, Chromium.

- ``site``: the real ``content/`` built once per session with publishconf.py (warnings fatal)
  into a temporary folder, served on 127.0.0.1 at the address it was built for.
- ``build_small_site``: builds a handful of Markdown files with our settings (or overrides) in
  this process, and returns the output folder and every warning Pelican logged.
- ``page`` (pytest-playwright): a Chromium tab, launched from Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

# Keep the test modules' and plugins' compiled bytecode (in __pycache__ folders, which git
# ignores) even when PYTHONDONTWRITEBYTECODE is set, as on our CI image: otherwise each test
# process compiles every module and rewrites every test module's asserts again, about 2 s of
# CPU per process on every run of the quick loop.
sys.dont_write_bytecode = False

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# Tests import the plugins' pure functions directly, as Pelican does with PLUGIN_PATHS.
sys.path.insert(0, str(PROJECT_ROOT / "plugins"))

# How Chromium starts, how a built folder is served and
# how its pages are listed: one definition each, shared with the writer's check.
from content_check.html_checks import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    page_paths,
    serve_folder,
)

# The tests that press Ctrl-C (SIGINT to a publish, a check, a build) stand for a writer at a
# terminal. A shell starts a command run in the background (`invoke test &`, nohup, some CI
# runners) with SIGINT ignored, and every process started from it inherits that: those tests
# would then time out, the build never hearing its Ctrl-C. A handled signal is reset to the
# default when a program starts, so handling it here gives the tests' processes a terminal's.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# The tests run each task as a writer who has activated the virtual environment types it
# (`invoke serve`), however the suite itself was started (`./quickstart test` says so here).
os.environ.pop("KIT_LAUNCHER", None)


def require_tool(present: bool, what: str, install: str) -> None:
    """Skip a test whose tool is missing on a developer's machine; in CI, fail it.

    CI installs every tool (./quickstart test), so there a missing one is a broken set-up,
    never a reason to pass: the message names the tool and the command that installs it.
    """
    if present:
        return
    message = f"{what} is not installed here: {install}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def needs(what: str, present: bool, install: str) -> pytest.MarkDecorator:
    """A mark for a test that needs ``what``: skipped without it locally, failed in CI."""
    return pytest.mark.needs_tool(what, present, install)


BROWSER_FIXTURES = {"page", "browser", "context", "tab", "browser_context"}


# The files that take longest, longest first (measured per file, issue 26: --durations=0).
# `invoke test` hands each pytest-xdist worker whole files in collection order
# (--no-loadscope-reorder; xdist's own order is most tests first, which left the long files
# with few tests, the sign-off and publish ones, to run alone at the end). Starting these first
# lets the short files fill the workers' last minutes. A file not named here runs after them;
# a stale list costs time, never a result.
LONGEST_FILES_FIRST = (
    "test_audit.py",
    "test_publish.py",
    "test_accessibility.py",
    "test_handouts.py",
    "test_reading.py",
    "test_traps.py",
    "test_publish_safety.py",
    "test_review_workflow.py",
    "test_tasks.py",
    "test_security_headers.py",
    "test_signoff.py",
    "test_header_hosts.py",
    "test_signoff_changes.py",
    "test_check_file.py",
    "test_search.py",
    "test_check.py",
    "test_consult_cta.py",
    "test_signal_order.py",
    "test_content_safety.py",
    "test_spanish.py",
    "test_live_rebuild.py",
    "test_cache_integrity.py",
)


def longest_first(item: pytest.Item) -> int:
    """Where the item's file comes in LONGEST_FILES_FIRST (files not named come after)."""
    names = LONGEST_FILES_FIRST
    return names.index(item.path.name) if item.path.name in names else len(names)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that starts Chromium is marked `browser` (so `invoke test --quick` skips it).

    Under pytest-xdist the long files come first (a stable sort: each file keeps its order);
    a run in one process keeps pytest's order.
    """
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
    if hasattr(config, "workerinput"):
        items.sort(key=longest_first)


@pytest.fixture(autouse=True)
def _tools_a_test_needs(request: pytest.FixtureRequest) -> None:
    """Tests marked ``needs_tool(what, install)``, and every browser test, need their tool."""
    for mark in request.node.iter_markers("needs_tool"):
        what, present, install = mark.args
        require_tool(present, what, install)
    if request.node.get_closest_marker("browser"):
        require_tool(
            Path(CHROMIUM).exists(),
            "Chromium",
            "apt-get install -y chromium (or ./quickstart test)",
        )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class BuiltSite:
    """A built site on disk and the address it is served at."""

    path: Path
    url: str
    _soups: dict[str, BeautifulSoup] = field(default_factory=dict, repr=False)

    def page_paths(self) -> list[str]:
        """Every page as a URL path ("/", "/articles/x/", "/404.html")."""
        return page_paths(self.path)

    def file_for(self, url_path: str) -> Path:
        """The file behind a URL path such as "/articles/x/"."""
        relative = url_path.lstrip("/")
        if not relative or relative.endswith("/"):
            relative += "index.html"
        return self.path / relative

    def soup(self, url_path: str) -> BeautifulSoup:
        """The parsed HTML of a page (parsed once, then cached)."""
        if url_path not in self._soups:
            html = self.file_for(url_path).read_text(encoding="utf-8")
            self._soups[url_path] = BeautifulSoup(html, "html.parser")
        return self._soups[url_path]

    def article_paths(self) -> list[str]:
        """URL paths of the published articles."""
        return [path for path in self.page_paths() if path.startswith("/articles/")]


def run_production_build(output: Path, siteurl: str, *extra_settings: str) -> None:
    """Build the real site as publishing does (publishconf.py, warnings fatal), in a subprocess."""
    env = {**os.environ, "SITEURL": siteurl}
    command = [
        sys.executable, "-m", "pelican", "content", "-s", "publishconf.py", "-o", str(output),
        "--fatal", "warnings",
        # The clinic's example details are allowed in tests; publishing refuses them.
        "-e", "REFUSE_EXAMPLE_CLINIC_DETAILS=false",
        # Pelican alone writes no handouts (invoke publish does): no links to PDFs not written.
        "HANDOUTS=false", *extra_settings,
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"production build failed:\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The real site, built once with publishconf.py and served where it was built for."""
    port = free_port()
    output = tmp_path_factory.mktemp("site") / "output"
    url = f"http://127.0.0.1:{port}"
    run_production_build(output, url)
    with serve_folder(output, port):
        yield BuiltSite(path=output, url=url)


class WarningCollector(logging.Handler):
    """Collects every warning or error Pelican logs during a build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class SmallSite:
    """The result of ``build_small_site``."""

    output: Path
    warnings: list[str]
    settings: dict

    def soup(self, relative: str) -> BeautifulSoup:
        """Parse one output file, e.g. "articles/a/index.html"."""
        return BeautifulSoup((self.output / relative).read_text(encoding="utf-8"), "html.parser")


def copy_sources(names: tuple[str, ...], destination: Path) -> None:
    """Copy these files and folders of the project into ``destination`` (no bytecode)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in names:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)


def small_site_settings(root: Path, overrides: dict | None = None) -> dict:
    """Our development settings pointed at ``root``/content and ``root``/output."""
    from pelican.settings import read_settings

    base = {
        "PATH": str(root / "content"),
        "OUTPUT_PATH": str(root / "output"),
        "CACHE_PATH": str(root / "cache"),
        "PLUGIN_PATHS": [str(PROJECT_ROOT / "plugins")],
        "THEME": str(PROJECT_ROOT / "theme"),
        "STATIC_PATHS": [],
        "EXTRA_PATH_METADATA": {},
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
    }
    base.update(overrides or {})
    return read_settings(str(PROJECT_ROOT / "pelicanconf.py"), override=base)


def languages_with(**fields: dict) -> dict:
    """pelicanconf.py's ``LANGUAGES`` with some fields of some languages changed, e.g.
    ``languages_with(es={"clinic_rules": {...}})`` (a copy: the module's dict is untouched)."""
    import copy

    import pelicanconf

    languages = copy.deepcopy(pelicanconf.LANGUAGES)
    for code, changes in fields.items():
        languages.setdefault(code, {}).update(copy.deepcopy(changes))
    return languages


@pytest.fixture
def build_small_site(tmp_path: Path) -> Callable[..., SmallSite]:
    """Build a small site from ``{"articles/a.md": "..."}`` with our settings plus overrides.

    Files go under tmp_path/content; include "pages/medical-disclaimer.md" and
    "pages/book-a-consultation.md" when the plugin's links must resolve. Raises what Pelican
    raises, so bad-input tests can assert on the message.
    """
    from pelican import Pelican
    from pelican_compat import reset_log_limits

    def build(files: dict[str, str], overrides: dict | None = None) -> SmallSite:
        for name, text in files.items():
            path = tmp_path / "content" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (tmp_path / "content").mkdir(exist_ok=True)
        settings = small_site_settings(tmp_path, overrides)
        # Pelican hides warnings it already logged in this process; each small site is new.
        reset_log_limits()
        collector = WarningCollector()
        logging.getLogger().addHandler(collector)
        try:
            Pelican(settings).run()
        finally:
            logging.getLogger().removeHandler(collector)
        return SmallSite(output=tmp_path / "output", warnings=collector.messages, settings=settings)

    return build


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium (never a downloaded browser) with the network kept quiet."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder for screenshots and reports the tests write (test-artifacts/, git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class ServeOutput:
    """What a running `invoke serve` prints, read in the background, and a wait for some words."""

    def __init__(self, server: subprocess.Popen) -> None:
        self.printed: list[str] = []
        assert server.stdout is not None
        threading.Thread(target=lambda: self.printed.extend(server.stdout), daemon=True).start()

    def wait_for(self, words: str, seconds: float, after: int = -1) -> int:
        """Wait until a line printed after line ``after`` holds ``words``; return that line's
        number. Fail with everything printed after ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            for number in range(after + 1, len(self.printed)):
                if words in self.printed[number]:
                    return number
            if time.monotonic() > deadline:
                pytest.fail(f"`invoke serve` never printed {words!r}:\n{self.text}")
            time.sleep(0.05)

    @property
    def text(self) -> str:
        return "".join(self.printed)
