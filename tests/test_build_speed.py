"""plugins/build_speed: each article's URL is worked out once, and is the one Pelican would
have worked out; a writer's own ``URL:`` stays theirs; written pages are not kept in memory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pelican import signals

ARTICLE = """Title: {title}
Date: 2025-0{month}-01
Category: Ketamine
Summary: A short summary.
{extra}
Some text.
"""


def build_keeping_articles(
    build_small_site: Callable[..., Any], files: dict[str, str]
) -> tuple[Any, list[Any]]:
    """Build a small site; return it and the article objects Pelican wrote."""
    written: list[Any] = []

    def keep_articles(generator: Any, **_: Any) -> None:
        written.extend(generator.articles)

    signals.article_writer_finalized.connect(keep_articles)
    try:
        built = build_small_site(files)
    finally:
        signals.article_writer_finalized.disconnect(keep_articles)
    return built, written


def test_urls_are_fixed_as_pelican_computes_them_and_links_use_them(
    build_small_site: Callable[..., Any],
) -> None:
    files = {
        "articles/first.md": ARTICLE.format(title="First guide", month=1, extra=""),
        "articles/second.md": ARTICLE.format(title="Second guide", month=2, extra=""),
        "articles/own.md": ARTICLE.format(
            title="Own address", month=3, extra="URL: guides/own/\nSave_as: guides/own/index.html"
        ),
    }
    built, written = build_keeping_articles(build_small_site, files)

    by_slug = {article.slug: article for article in written}
    assert sorted(by_slug) == ["first", "own", "second"]
    for slug in ("first", "second"):
        article = by_slug[slug]
        assert article.override_url == f"articles/{slug}/"  # ARTICLE_URL, as Pelican makes it
    assert by_slug["own"].override_url == "guides/own/"
    assert by_slug["own"].save_as == "guides/own/index.html"

    archive_links = {a["href"] for a in built.soup("archives/index.html").select("main a[href]")}
    for url in ("articles/first/", "articles/second/", "guides/own/"):
        assert any(href.rstrip("/").endswith(url.rstrip("/")) for href in archive_links), (
            url,
            archive_links,
        )
    assert (built.output / "guides/own/index.html").is_file()


def test_rendered_html_is_not_kept_once_its_page_is_written(
    build_small_site: Callable[..., Any],
) -> None:
    import inspect

    from pelican.contents import Content

    files = {
        f"articles/guide-{number}.md": ARTICLE.format(
            title=f"Guide {number}", month=number, extra="Tags: ketamine\n"
        )
        for number in range(1, 4)
    }
    built, written = build_keeping_articles(build_small_site, files)

    assert len(written) == 3
    cache = inspect.getattr_static(Content, "get_content").cache
    assert not [key for key in cache if key[0] in written], "rendered HTML kept after writing"
    for article in written:  # asking again still gives the page's HTML
        page = (built.output / article.save_as).read_text(encoding="utf-8")
        assert article.content.strip() and article.content.strip()[:200] in page


def test_the_newest_date_filter_gives_what_jinjas_map_and_max_give() -> None:
    """The footer's year: the filter and ``map(attribute="date")|max`` agree, empty or not."""
    import datetime as dt
    import random
    from types import SimpleNamespace

    from build_speed import newest_date
    from jinja2 import Environment

    env = Environment(autoescape=True)
    env.filters["newest_date"] = newest_date
    rng = random.Random(4)
    guides = [SimpleNamespace(date=dt.datetime(rng.randrange(2019, 2027), 1, 1)) for _ in range(50)]
    jinjas = env.from_string(
        '{% set n = (articles or [])|map(attribute="date")|max %}{{ n.year if n else "" }}'
    )
    ours = env.from_string('{% set n = articles|newest_date %}{{ n.year if n else "" }}')
    for articles in (guides, guides[:1], [], None):
        assert ours.render(articles=articles) == jinjas.render(articles=articles)
    assert ours.render(articles=guides) == str(max(guide.date for guide in guides).year)


def test_the_newest_date_filter_remembers_a_list_and_notices_a_change_in_place() -> None:
    """Every article's page passes the same ``articles`` list: its newest date is found once,
    and a list changed in place (an item added, replaced or removed) is looked at again."""
    import datetime as dt
    from types import SimpleNamespace

    import build_speed

    class Dated:
        reads = 0

        def __init__(self, year: int) -> None:
            self._date = dt.datetime(year, 1, 1)

        @property
        def date(self) -> dt.datetime:
            Dated.reads += 1
            return self._date

    guides = [Dated(year) for year in (2020, 2023, 2021)]
    assert build_speed.newest_date(guides).year == 2023
    reads = Dated.reads
    for _ in range(5):
        assert build_speed.newest_date(guides).year == 2023
    assert Dated.reads == reads, "the same list was looked through again"
    guides[1] = Dated(2019)
    assert build_speed.newest_date(guides).year == 2021
    guides.append(Dated(2026))
    assert build_speed.newest_date(guides).year == 2026
    guides.clear()
    assert build_speed.newest_date(guides) is None
    assert build_speed.newest_date([SimpleNamespace(date=dt.datetime(2022, 5, 1))]).year == 2022
    build_speed.forget_build()
    assert not build_speed._NEWEST


def jinja_compilations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template sources Jinja compiles from now on, in order (Environment.compile watched)."""
    from jinja2 import Environment

    compiled: list[str] = []
    original = Environment.compile

    def counting(self: Environment, source: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    return compiled


def test_the_build_s_environments_compile_a_template_once_and_each_set_of_options_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two generators' environments share compiled templates; an environment with other
    options (trim_blocks) compiles its own, and an edited template is compiled again."""
    from types import SimpleNamespace

    import build_speed
    from jinja2 import Environment, FileSystemLoader

    template = tmp_path / "page.html"
    template.write_text("{% if true %}\n  <p>{{ word }}</p>\n{% endif %}\n", encoding="utf-8")
    compiled = jinja_compilations(monkeypatch)
    build_speed.forget_build()

    def rendered(**options: Any) -> str:
        generator = SimpleNamespace(env=Environment(loader=FileSystemLoader(tmp_path), **options))
        build_speed.share_compiled_templates(generator)
        return generator.env.get_template("page.html").render(word="hi")

    plain = rendered()
    assert rendered() == plain and len(compiled) == 1, "compiled again for a second generator"
    trimmed = rendered(trim_blocks=True, lstrip_blocks=True)
    assert trimmed != plain and len(compiled) == 2
    assert trimmed == Environment(
        loader=FileSystemLoader(tmp_path), trim_blocks=True, lstrip_blocks=True
    ).get_template("page.html").render(word="hi")
    template.write_text("<p>{{ word }}!</p>\n", encoding="utf-8")
    assert rendered() == "<p>hi!</p>" and len(compiled) == 4
    build_speed.forget_build()


def test_the_next_build_finds_its_templates_compiled_under_the_cache_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled templates are kept under ``CACHE_PATH`` (sealed): the next build (a new
    process, here the store forgotten) compiles none, an edited template is compiled again,
    and an entry edited by hand is not used."""
    from types import SimpleNamespace

    import build_speed
    from jinja2 import Environment, FileSystemLoader

    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>{{ word }}</p>", encoding="utf-8")
    compiled = jinja_compilations(monkeypatch)
    settings = {"CACHE_PATH": str(tmp_path / "cache")}

    def build() -> str:
        build_speed.forget_build()  # what a new process starts with
        loader = FileSystemLoader(tmp_path / "templates")
        generator = SimpleNamespace(env=Environment(loader=loader), settings=settings)
        build_speed.share_compiled_templates(generator)
        return generator.env.get_template("page.html").render(word="hi")

    assert build() == "<p>hi</p>" and len(compiled) == 1
    assert build() == "<p>hi</p>" and len(compiled) == 1, "compiled again in the next build"
    template.write_text("<p>{{ word }}!</p>", encoding="utf-8")
    assert build() == "<p>hi!</p>" and len(compiled) == 2
    for entry in (tmp_path / "cache" / "templates").rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes().replace(b"hi", b"ho").replace(b"!", b"?"))
    assert build() == "<p>hi!</p>" and len(compiled) == 3
    build_speed.forget_build()


def test_a_link_to_a_contents_path_is_resolved_once_a_build_as_pelican_resolves_it(
    build_small_site: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``{filename}`` links to a content's own path are resolved once per build, with
    Pelican's answer; relative and missing links are Pelican's each time (a missing one is
    reported as Pelican reports it)."""
    import build_speed
    from pelican.contents import Content

    links = (
        "See [about]({filename}/pages/about.md#who), [b]({filename}/articles/b.md), "
        "[b again]({filename}b.md) and [gone]({filename}/pages/gone.md).\n"
    )
    files = {
        "pages/about.md": "Title: About\nSlug: about\nSummary: S.\n\nText.\n",
        "pages/medical-disclaimer.md": "Title: Disclaimer\nSlug: medical-disclaimer\n\nText.\n",
        **{
            f"articles/{name}.md": f"Title: {name.upper()}\nDate: 2025-01-0{day}\n"
            f"Category: Ketamine\nSummary: A summary.\n\n{links}"
            for day, name in enumerate("abc", start=1)
        },
    }
    pelicans = Content._link_replacer
    pelicans = getattr(pelicans, "__wrapped__", pelicans)
    asked: list[str] = []

    def counting(self: Content, siteurl: str, match: Any) -> str:
        asked.append(match.group("value"))
        return pelicans(self, siteurl, match)

    built: dict[str, Any] = {}
    for name in ("pelican's", "once"):
        monkeypatch.setattr(Content, "_link_replacer", counting)
        if name == "pelican's":
            monkeypatch.setattr(build_speed, "remember_resolved_links", lambda: None)
        else:
            monkeypatch.undo()
            monkeypatch.setattr(Content, "_link_replacer", counting)
        asked.clear()
        site = build_small_site(files)
        pages = sorted(site.output.rglob("*.html"))
        written = {page.relative_to(site.output): page.read_bytes() for page in pages}
        built[name] = (written, sorted(site.warnings), list(asked))
    assert built["once"][:2] == built["pelican's"][:2]
    assert "/about/#who" in built["once"][0][Path("articles/a/index.html")].decode()
    assert any("gone.md" in warning for warning in built["once"][1])
    assert built["pelican's"][2].count("/pages/about.md#who") == 3
    assert built["once"][2].count("/pages/about.md#who") == 1
    assert built["once"][2].count("b.md") == 3 and built["once"][2].count("/pages/gone.md") == 3


def test_the_striptags_filter_gives_what_jinjas_gives() -> None:
    """The kept ``striptags`` answers are Jinja's own, for text, markup and repeated calls."""
    from build_speed import striptags
    from jinja2 import Environment
    from markupsafe import Markup

    jinjas = Environment(autoescape=True).filters["striptags"]
    samples = [
        "Ketamine &amp; <em>pain</em>\t relief",
        Markup("Main &raquo;\t<em>About</em> <!-- note --> x"),
        "<p>Two</p>\n\n<p>lines &lt;b&gt;</p>",
        "",
        "no tags at all",
        42,
    ]
    for value in samples * 2:
        assert striptags(value) == jinjas(value)
        assert type(striptags(value)) is type(jinjas(value))


def test_a_footer_rendered_once_per_language_and_list_is_each_pages_own(
    build_small_site: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``same_on_every_page`` gives every page the footer ``{% include %}`` would render for it,
    byte for byte: English and Spanish pages, and tag pages whose newest guide is older than
    the site's (the footer's year is that of the list the page shows)."""
    import shutil

    import build_speed
    from jinja2 import pass_context
    from markupsafe import Markup

    files = {
        "articles/old.md": ARTICLE.format(title="Old guide", month=1, extra="Tags: old").replace(
            "2025-01-01", "2019-01-01"
        ),
        "articles/new.md": ARTICLE.format(title="New guide", month=2, extra="Tags: new"),
        "articles/new-es.md": ARTICLE.format(
            title="Guía nueva", month=2, extra="Tags: nueva\nLang: es\nTranslation: true\nSlug: new"
        ),
    }
    build_small_site(files)
    once = tmp_path / "rendered-once"
    shutil.copytree(tmp_path / "output", once)

    @pass_context
    def every_time(context: Any, name: str) -> Any:  # what {% include %} renders, each page
        return Markup(context.environment.get_template(name).render(context.get_all()))

    monkeypatch.setattr(build_speed, "same_on_every_page", every_time)
    shutil.rmtree(tmp_path / "output")
    built = build_small_site(files)
    pages = sorted(path.relative_to(once) for path in once.rglob("*.html"))
    assert len(pages) > 10 and pages == sorted(
        path.relative_to(built.output) for path in built.output.rglob("*.html")
    )
    for page in pages:
        assert (once / page).read_bytes() == (built.output / page).read_bytes(), page
    years = {
        page.as_posix(): built.soup(page.as_posix()).select_one(".site-footer__copyright").text
        for page in pages
    }
    assert "© 2019" in years["tags/old/index.html"] and "© 2025" in years["index.html"]
    assert "© 2025" in years["es/index.html"]
