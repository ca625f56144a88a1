"""`invoke serve` tells each browser to reload when the page it shows is written, never before
(commands/browsers.py): the saved article's page at once, the lists showing it when written."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands.browsers import BrowserPages
from commands.live_rebuild import Rebuilt

ARTICLE = "articles/ketamine/index.html"
HOME = "index.html"


class FakeBrowser:
    """A live-reload socket: the reload messages it was sent."""

    def __init__(self) -> None:
        self.told: list[str] = []

    def write_message(self, message: dict) -> None:
        self.told.append(message["path"])


@pytest.fixture
def site(tmp_path: Path) -> tuple[BrowserPages, set]:
    for page in (ARTICLE, HOME, "about/index.html"):
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("<html></html>", encoding="utf-8")
    connected: set = set()
    return BrowserPages(tmp_path, connected), connected


def open_page(site: tuple[BrowserPages, set], address: str) -> FakeBrowser:
    """A browser loads ``address`` and connects, as livereload.js does."""
    pages, connected = site
    browser = FakeBrowser()
    pages.page_sent(address)
    connected.add(browser)
    pages.connected(browser, f"http://127.0.0.1:8000{address}")
    return browser


def selective(written: list[str]) -> Rebuilt:
    return Rebuilt(built=True, saved=[], everything=False, written=written)


def test_each_browser_is_told_when_its_own_page_is_written(site) -> None:
    pages, _ = site
    on_article = open_page(site, "/articles/ketamine/")
    on_home = open_page(site, "/")
    on_about = open_page(site, "/about/")
    assert not on_article.told  # loaded after the last write: nothing to tell
    pages.file_written(str(pages.output / ARTICLE))
    assert on_article.told == [ARTICLE]
    assert not on_home.told  # the home page still shows the old title: not yet
    pages.file_written(str(pages.output / HOME))
    pages.build_ended(selective([ARTICLE, HOME]))
    assert on_home.told == [HOME]
    assert on_article.told == [ARTICLE]  # once
    assert not on_about.told  # a page the save did not touch


def test_a_full_rebuild_tells_every_browser_when_it_ends(site) -> None:
    pages, _ = site
    on_article = open_page(site, "/articles/ketamine/")
    on_about = open_page(site, "/about/")
    pages.build_ended(Rebuilt(built=True, saved=[], everything=True, written=[ARTICLE]))
    assert on_article.told == [ARTICLE]
    assert on_about.told == ["about/index.html"]


def test_a_browser_reloading_while_its_page_was_written_is_told_when_it_reconnects(
    site,
) -> None:
    pages, connected = site
    browser = FakeBrowser()
    pages.page_sent("/")  # it loaded the page, then the page was written before it connected
    pages.file_written(str(pages.output / HOME))
    connected.add(browser)
    pages.connected(browser, "http://127.0.0.1:8000/")
    assert browser.told == [HOME]
    again = open_page(site, "/")  # loaded after the write: nothing to tell
    assert not again.told


def test_a_browser_outside_the_sites_files_is_told_when_the_rebuild_ends(site) -> None:
    pages, _ = site
    missing = open_page(site, "/no-such-page/")
    pages.file_written(str(pages.output / ARTICLE))
    assert not missing.told
    pages.build_ended(selective([ARTICLE]))
    assert missing.told == ["*"]


def test_a_rebuild_nobody_heard_is_told_to_the_next_browser(site) -> None:
    """A save while the only browser was reloading (its socket closed) still shows."""
    pages, _ = site
    pages.build_ended(selective([ARTICLE]))  # no browser connected, none told
    missing = open_page(site, "/no-such-page/")
    assert missing.told == ["*"]
    later = open_page(site, "/no-such-page/")
    assert not later.told  # once


def test_a_browser_told_while_writing_is_not_told_again_after_it_reconnects(site) -> None:
    pages, connected = site
    on_article = open_page(site, "/articles/ketamine/")
    pages.file_written(str(pages.output / ARTICLE))
    assert on_article.told == [ARTICLE]
    connected.discard(on_article)  # it reloads: its socket closes before the build ends
    pages.build_ended(selective([ARTICLE]))
    reloaded = open_page(site, "/articles/ketamine/")
    assert not reloaded.told
    missing = open_page(site, "/no-such-page/")
    assert not missing.told
