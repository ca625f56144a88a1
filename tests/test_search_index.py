"""The search index made while the pages are written (plugins/search): Pagefind's own index, a
checked bundle, and one clear failure naming Pagefind when its service fails."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import search.search
from pagefind.service import get_executable
from search import UNUSED_PAGEFIND_FILES, SearchIndexError, SearchIndexGenerator, verify_bundle
from search.live_index import LiveIndex, page_url
from search.search import searchable_pages, sort_languages, write_search_index


def write_pages(site: Path, count: int, lang: str = "en") -> list[Path]:
    pages = []
    for number in range(1, count + 1):
        page = site / lang / f"p{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f"<html lang='{lang}'><body><nav>Menu</nav><main data-pagefind-body>"
            f"<h1>Page {number}</h1><p>Bladder pain and ketamine, dose {number}.</p></main>"
            "</body></html>",
            encoding="utf-8",
        )
        pages.append(page)
    return pages


def in_folder_order(folder: Path) -> list[Path]:
    """The HTML files of ``folder`` in the order Pagefind's command walks them (the folder's
    own order, depth first)."""
    found = []
    for entry in os.scandir(folder):
        path = Path(entry.path)
        if entry.is_dir():
            found += in_folder_order(path)
        elif path.suffix == ".html":
            found.append(path)
    return found


def index_folder(site: Path) -> None:
    """Index every page of ``site`` through the service, as a build does page by page."""
    index = LiveIndex(site)
    for page in in_folder_order(site):
        index.add_page(page)
    index.write_bundle(site / "pagefind")


def fake_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    """Make ``body`` (Python) the Pagefind that the index starts; its pid goes to a file."""
    script = tmp_path / "fake-pagefind"
    pid_file = tmp_path / "pagefind.pid"
    script.write_text(
        f"#!{sys.executable}\nimport os, sys, time\n"
        f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n" + textwrap.dedent(body),
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    return pid_file


def gone(pid: int, within: float = 10.0) -> bool:
    """Whether process ``pid`` ends (or is left a zombie, which runs nothing) in time."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def test_page_urls_are_those_of_pagefinds_command(tmp_path: Path) -> None:
    assert page_url(tmp_path, tmp_path / "index.html") == "/"
    assert page_url(tmp_path, tmp_path / "es" / "a" / "index.html") == "/es/a/"
    assert page_url(tmp_path, tmp_path / "about.html") == "/about.html"
    assert page_url(tmp_path, tmp_path / "notindex.html") == "/notindex.html"


def test_pages_given_one_by_one_make_the_commands_bundle(tmp_path: Path) -> None:
    """In the order Pagefind's command reads them, the pages make the command's bundle byte for
    byte (once the entry file's languages are sorted, as the build does): the same pages,
    URLs, words and files, whether Pagefind reads a page itself (``AddDir``) or is sent its
    text (a path in glob syntax). A build gives them in the order it writes them, which changes only
    the pages' numbers inside the index."""
    bundles = {}
    for name in ("command", "service"):
        site = tmp_path / name
        write_pages(site, 12, "en")
        write_pages(site, 3, "es")
        (site / "tags.html").write_text("<html lang='en'><body>Tag list</body></html>")
        # A path in glob syntax is sent as text, not as a glob (which would read other pages).
        odd = write_pages(site / "odd[1]*", 1)[0]
        odd.write_text(odd.read_text().replace("Page 1", "Odd page"))
        if name == "command":
            subprocess.run(
                [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"], check=True
            )
        else:
            index_folder(site)
        sort_languages(site / "pagefind" / "pagefind-entry.json")
        bundles[name] = {
            path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted((site / "pagefind").rglob("*"))
            if path.is_file()
        }
    assert sorted(bundles["service"]) == sorted(bundles["command"])
    assert bundles["service"] == bundles["command"]
    assert verify_bundle(tmp_path / "service" / "pagefind", 16) == 16


def test_a_complete_bundle_passes_the_check(tmp_path: Path) -> None:
    write_pages(tmp_path, 2)
    assert searchable_pages(tmp_path) == 2
    index_folder(tmp_path)
    assert verify_bundle(tmp_path / "pagefind", 2) == 2


def test_the_pages_pagefind_indexes_are_counted_in_what_it_was_sent(tmp_path: Path) -> None:
    """The check's count of searchable pages comes from the text the index sent (the build
    does not read every page again): by Pagefind's rule, as ``searchable_pages`` counts them."""
    marked = write_pages(tmp_path / "site", 2)
    plain = tmp_path / "site" / "tags.html"
    plain.write_text("<html lang='en'><body>Tag list</body></html>", encoding="utf-8")
    index = LiveIndex(tmp_path / "site")
    for page in [*marked, plain]:
        index.add_page(page)
    index.write_bundle(tmp_path / "site" / "pagefind")
    assert index.searchable_pages([*marked, plain]) == searchable_pages(tmp_path / "site") == 2
    assert index.searchable_pages([plain]) == 1  # no page marked: every page


def test_a_written_page_goes_to_the_index_of_its_own_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two builds at once: a page goes to the index of the innermost output folder it is in,
    and a page outside every output folder to none."""
    given: dict[str, list[Path]] = {"outer": [], "inner": []}
    indexes = {
        tmp_path / "out": SimpleNamespace(add_page=given["outer"].append),
        tmp_path / "out" / "nested": SimpleNamespace(add_page=given["inner"].append),
    }
    monkeypatch.setattr(search.search, "_live_indexes", indexes)
    for written in ("out/a/index.html", "out/nested/b/index.html", "outside/c.html", "out/x.css"):
        search.search.index_written_page(str(tmp_path / written))
    assert given == {
        "outer": [tmp_path / "out" / "a" / "index.html"],
        "inner": [tmp_path / "out" / "nested" / "b" / "index.html"],
    }


def test_a_script_cut_short_fails_the_check(tmp_path: Path) -> None:
    """Once, pagefind.js shipped as an exact prefix of itself and search was unavailable."""
    write_pages(tmp_path, 2)
    index_folder(tmp_path)
    script = tmp_path / "pagefind" / "pagefind.js"
    script.write_bytes(script.read_bytes()[:40_960])
    with pytest.raises(SearchIndexError, match="cut short"):
        verify_bundle(tmp_path / "pagefind", 2)


def test_pages_missing_from_the_index_fail_the_check(tmp_path: Path) -> None:
    write_pages(tmp_path, 2)
    index_folder(tmp_path)
    with pytest.raises(SearchIndexError, match="indexed 2 page"):
        verify_bundle(tmp_path / "pagefind", 3)
    (tmp_path / "pagefind" / "pagefind-entry.json").unlink()
    with pytest.raises(SearchIndexError, match="missing or unreadable"):
        verify_bundle(tmp_path / "pagefind", 2)


def test_pages_no_signal_announced_are_indexed_at_the_end(tmp_path: Path) -> None:
    """As Pagefind's command would: a page on disk that no ``content_written`` announced (a
    plugin's own file, one kept from an earlier build) is indexed too, and a page given twice
    counts once."""
    first = write_pages(tmp_path, 3)[0]
    index = LiveIndex(tmp_path)
    index.add_page(first)
    index.add_page(first)
    write_search_index(tmp_path, index)
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["en"]["page_count"] == 3
    assert not (tmp_path / "pagefind" / UNUSED_PAGEFIND_FILES[0]).exists()


def test_a_service_that_stops_fails_the_build_with_what_it_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pagefind(tmp_path, monkeypatch, "print('out of memory', file=sys.stderr)\nsys.exit(3)")
    site = tmp_path / "site"
    index = LiveIndex(site)
    for page in write_pages(site, 2):
        index.add_page(page)
    with pytest.raises(SearchIndexError, match=r"^search: Pagefind's service stopped: exit 3: "):
        index.write_bundle(site / "pagefind")
    with pytest.raises(SearchIndexError, match="out of memory"):
        LiveIndex(site).write_bundle(site / "pagefind")


def test_a_silent_service_fails_the_build_and_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A service that reads every request and never answers (hangs)."""
    pid_file = fake_pagefind(tmp_path, monkeypatch, "sys.stdin.buffer.read()\ntime.sleep(600)")
    site = tmp_path / "site"
    index = LiveIndex(site)
    for page in write_pages(site, 2):
        index.add_page(page)
    with pytest.raises(SearchIndexError, match=r"Pagefind's service answered nothing for 1 s"):
        index.write_bundle(site / "pagefind", silence_limit=1)
    assert gone(int(pid_file.read_text()))


def answering_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: dict) -> None:
    """A Pagefind service that answers each kind of request with ``answers[kind]``."""
    fake_pagefind(
        tmp_path,
        monkeypatch,
        f"""
        import base64, json
        answers = {answers!r}
        answers["NewIndex"] = {{"type": "NewIndex", "index_id": 0}}
        pending = b""
        while chunk := sys.stdin.buffer.read1(65536):
            *requests, pending = (pending + chunk).split(b",")
            for request in map(json.loads, map(base64.b64decode, requests)):
                answer = {{"message_id": request["message_id"],
                          "payload": answers[request["payload"]["type"]]}}
                sys.stdout.buffer.write(base64.b64encode(json.dumps(answer).encode()) + b",")
                sys.stdout.flush()
        """,
    )


def index_two_pages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    index = LiveIndex(site)
    for page in write_pages(site, 2):
        index.add_page(page)
    index.write_bundle(site / "pagefind")


def test_an_error_pagefind_answers_names_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's answer to a page it cannot index stops the build with its message."""
    error = {"type": "Error", "message": "bad markup"}
    answering_pagefind(tmp_path, monkeypatch, {"AddDir": error, "GetFiles": error})
    with pytest.raises(SearchIndexError, match=r"^search: Pagefind could not index /en/p1/: bad"):
        index_two_pages(tmp_path)


def test_a_bundle_file_outside_the_bundle_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexed = {"type": "IndexedDir", "page_count": 1}
    escaping = {"path": "../escaped.js", "content": "Ly8gbm8="}
    answering_pagefind(
        tmp_path,
        monkeypatch,
        {"AddDir": indexed, "GetFiles": {"type": "GetFiles", "files": [escaping]}},
    )
    with pytest.raises(SearchIndexError, match=r"outside its bundle: \.\./escaped\.js"):
        index_two_pages(tmp_path)
    assert not (tmp_path / "site" / "escaped.js").exists()


def test_a_page_outside_the_site_is_a_bug_raised_at_once(tmp_path: Path) -> None:
    """A failure in the sending thread reaches the build (with its traceback), which does not
    wait ``SILENCE_LIMIT`` for answers that cannot come."""
    index = LiveIndex(tmp_path / "site")
    index.add_page(write_pages(tmp_path / "elsewhere", 1)[0])
    started = time.monotonic()
    with pytest.raises(ValueError, match="is not in the subpath"):
        index.write_bundle(tmp_path / "site" / "pagefind")
    assert time.monotonic() - started < 10


def test_a_development_build_starts_no_pagefind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``SEARCH_INDEX`` off (``invoke serve``, pelicanconf.py): no service, no bundle."""
    pid_file = fake_pagefind(tmp_path, monkeypatch, "time.sleep(600)")
    generator = SearchIndexGenerator({}, {"SEARCH_INDEX": False}, "", "", str(tmp_path))
    generator.generate_context()
    generator.generate_output(writer=None)
    time.sleep(0.5)
    assert not pid_file.exists() and not (tmp_path / "pagefind").exists()


INTERRUPTED_BUILD = """
import sys, time
from pathlib import Path
from search.live_index import LiveIndex
index = LiveIndex(Path(sys.argv[1]))
while not Path(sys.argv[2]).exists():
    time.sleep(0.05)
print("indexing", flush=True)
time.sleep(600)  # a build writing its pages
"""


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_build_leaves_no_pagefind_running(
    tmp_path: Path, how: signal.Signals
) -> None:
    """Ctrl-C or a kill to the build's Python process alone (not to its group, which would stop
    Pagefind too): the service ends with it, as its input closes."""
    wrapper = tmp_path / "pagefind-wrapper"
    pid_file = tmp_path / "pagefind.pid"
    # The pid is written, then renamed into place: the build waits for the file to exist,
    # and ``>`` makes it (empty) before echo writes (a failure at load 11).
    wrapper.write_text(
        f'#!/bin/sh\necho $$ > "{pid_file}.part" && mv "{pid_file}.part" "{pid_file}"\n'
        f'exec "{get_executable()}" "$@"\n'
    )
    wrapper.chmod(0o755)
    build = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_BUILD, str(tmp_path), str(pid_file)],
        env={**os.environ, "PAGEFIND_BINARY_PATH": str(wrapper)},
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert build.stdout is not None and build.stdout.readline() == "indexing\n"
        pagefind = int(pid_file.read_text())
        assert not gone(pagefind, within=0.2), "Pagefind's service should be running"
        build.send_signal(how)
        build.wait(timeout=30)
        assert gone(pagefind), "Pagefind's service outlived the build"
    finally:  # whatever failed, leave no process of this test running
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
