"""plugins/reading: Markdown and typography read once per content hash, on every core; the same
bytes as Pelican's own reader, and a dead worker fails the build at once, naming the file."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import PROJECT_ROOT
from reading import workers

SYNTHETIC_ARTICLES = 24  # more than workers.MIN_FILES, with the real content beside them


def load_build_scale() -> ModuleType:
    """benchmarks/build_scale.py, whose article generator makes realistic articles."""
    path = PROJECT_ROOT / "benchmarks" / "build_scale.py"
    spec = importlib.util.spec_from_file_location("build_scale", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def build(
    content: Path, output: Path, *settings: str, cache: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """A production build of ``content`` (search index off: it is not what is compared)."""
    command = [
        sys.executable, "-m", "pelican", str(content), "-s", "publishconf.py", "-o", str(output),
        "--fatal", "warnings", "--verbose",
        "-e", "REFUSE_EXAMPLE_CLINIC_DETAILS=false", "SEARCH_INDEX=false",
        f'CACHE_PATH="{cache or output.parent / "cache"}"', *settings,
    ]  # fmt: skip
    env = {**os.environ, "SITEURL": "https://clinic.example", "COLUMNS": "400"}
    return subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_same_files(
    first: Path, second: Path, normalise: Callable[[bytes], bytes] = lambda data: data
) -> None:
    one, two = files_of(first), files_of(second)
    assert sorted(one) == sorted(two)
    different = [name for name in one if normalise(one[name]) != normalise(two[name])]
    assert not different, different[:10]


def without_joined_words(data: bytes) -> bytes:
    """A page with widont's non-breaking spaces as plain spaces (compared on their own below:
    we join the last two words of paragraphs and list items as typogrify does, but not of
    headings and titles, where a phone's browser then broke inside a word)."""
    for joined in (b"&amp;nbsp;", b"&nbsp;", "\u00a0".encode()):  # feeds escape their HTML
        data = data.replace(joined, b" ")
    return data


def paragraphs(page: str) -> list[str]:
    """The paragraphs and list items of a page's text, where widont must match typogrify's."""
    return re.findall(r"<(p|li|dd|dt)\b[^>]*>(.*?)</\1>", page, re.S)


@pytest.mark.slow
def test_parallel_serial_and_cached_builds_are_identical(tmp_path: Path) -> None:
    assert SYNTHETIC_ARTICLES >= workers.MIN_FILES
    content = load_build_scale().write_content(tmp_path, SYNTHETIC_ARTICLES)
    parallel = build(content, tmp_path / "parallel" / "output", "PARALLEL_READING=true")
    serial = build(content, tmp_path / "serial" / "output", "PARALLEL_READING=false")
    for result in (parallel, serial):
        assert result.returncode == 0, result.stdout + result.stderr
    # Every language's sources count: the translations sit in subfolders (articles/es/).
    articles = len(list((content / "articles").rglob("*.md")))
    assert articles > SYNTHETIC_ARTICLES
    files = articles + len(list((content / "pages").rglob("*.md")))
    # the pages too, by the same workers (read ahead with the articles): one pool, one line
    assert parallel.stdout.count("worker processes") == 1
    assert f"reading: {files} file(s) converted in worker processes" in parallel.stdout
    assert "worker processes" not in serial.stdout
    assert f"reading: 0 file(s) from the cache, {files} converted" in serial.stdout
    assert_same_files(tmp_path / "parallel" / "output", tmp_path / "serial" / "output")

    # Built again with the parallel build's cache: nothing is converted, the bytes are the same.
    again = build(content, tmp_path / "again" / "output", cache=tmp_path / "parallel" / "cache")
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"reading: {files} file(s) from the cache, 0 converted" in again.stdout
    assert_same_files(tmp_path / "parallel" / "output", tmp_path / "again" / "output")


@pytest.mark.slow
def test_typography_is_pelicans_own_typogrify(tmp_path: Path) -> None:
    """Our reader typesets exactly as Pelican does with TYPOGRIFY on (and the plugin off)."""
    content = load_build_scale().write_content(tmp_path, 4)
    ours = build(content, tmp_path / "ours" / "output")
    pelicans = build(content, tmp_path / "pelican" / "output", "TYPOGRAPHY=false", "TYPOGRIFY=true")
    for result in (ours, pelicans):
        assert result.returncode == 0, result.stdout + result.stderr
    ours_output, pelicans_output = tmp_path / "ours" / "output", tmp_path / "pelican" / "output"
    assert_same_files(ours_output, pelicans_output, normalise=without_joined_words)
    page = (ours_output / "articles/is-ketamine-safe/index.html").read_text()
    assert "&#8220;" in page or "\u201c" in page  # curly quotes: typography ran
    for article in (ours_output / "articles").glob("*/index.html"):
        theirs = (pelicans_output / article.relative_to(ours_output)).read_text()
        ours = article.read_text()
        body, their_body = (page[page.index('class="prose"') : page.index('class="review-dates')]
                            for page in (ours, theirs))  # fmt: skip
        assert paragraphs(body) == paragraphs(their_body)
        assert "&nbsp;" in body  # widont ran on the paragraphs
        headings = re.findall(r"<(h[1-6])\b[^>]*>(.*?)</\1>", ours, re.S)
        assert headings
        assert not [text for _, text in headings if "&nbsp;" in text or "\u00a0" in text]


# Every inline pattern and smarty's, where it matches, where it must not, and texts it skips.
INLINE_SOURCE = (
    "Plain words here. \"Quoted\" and *it*'s, the '80s -- and --- then... "
    '**"bold"** [a "link"](https://example.org) `code "kept"` __under__ snake_case\n\n'
    "- one item\n- it's *two*\n\n> 'single' \"double\" plain\n\n"
    "Only -- a dash\n\nOnly --- a long one\n\nOnly an ellipsis...\n\nOnly a 'quote\n\n"
    'Only a "quote\n\nA line  \nbroken, an \\*escape\\*, ``two `ticks``, \\\\`not code`, '
    "<https://example.org/a>, <me@example.org>, &copy; &#169; &amp; &#x2014; <b>raw</b>\n\n"
    '![an image](/a.png "title") [a reference][ref] [ref] ![img ref][ref] a note.[^1]\n\n'
    "[ref]: https://example.org/ref\n\n[^1]: The note, *with* a [link](https://example.org).\n"
)


# Every block processor with an expression where_needed knows: where it matches and not.
BLOCK_SOURCE = (
    "# A heading #\n\nSetext one\n==========\n\nSetext two\n---\n\n* * *\n\n___\n\n"
    "> quoted\n> > nested\n\nTerm\n:   Its definition: with a colon\n\n"
    '!!! note "A title"\n    Inside the box.\n\n'
    "Not a header # here, 3 > 2 - 1 and a:b [see][other]\n\n"
    "[other]: https://example.org/other\n\n[^2]: A second note.[^2]\n"
)


def plain_python_markdown(md: Any) -> None:
    """``md`` with Python-Markdown's own inline pass and a plain smarty pass (every text shown
    to every pattern), and its block processors' own expressions, in place of
    ``where_needed``'s."""
    from markdown.treeprocessors import InlineProcessor
    from pelican_compat import SearchedOnlyWhereNeeded
    from reading.where_needed import BLOCK_EXPRESSIONS, INLINE_PRIORITY, InlinePassOnlyWhereNeeded

    searched_where_needed = 0
    for processor in md.parser.blockprocessors:
        for name in BLOCK_EXPRESSIONS:
            if isinstance(getattr(processor, name, None), SearchedOnlyWhereNeeded):
                delattr(processor, name)  # the class's own expression again
                searched_where_needed += 1
    assert searched_where_needed >= 8

    md.treeprocessors.register(InlineProcessor(md), "inline", INLINE_PRIORITY)
    smarty = md.treeprocessors["smarty"]
    for pattern in [*md.inlinePatterns, *smarty.source_patterns]:  # each searched everywhere
        assert isinstance(pattern.getCompiledRegExp(), re.Pattern)
    assert isinstance(smarty, InlinePassOnlyWhereNeeded)
    plain_smarty = InlineProcessor(md)
    plain_smarty.inlinePatterns = tuple(smarty.source_patterns)
    md.treeprocessors.register(plain_smarty, "smarty", 1.8)


def test_inline_passes_shown_only_the_texts_they_can_change_convert_as_python_markdowns() -> None:
    """Texts without what an inline pattern needs skip the inline pass (without a quote, dash
    or ellipsis, smarty's pass), blocks without what a block processor needs are not searched;
    the HTML is Python-Markdown's own, and the skipped texts are plain text again for the steps
    after each pass (smarty, widont)."""
    from markdown import Markdown
    from markdown.treeprocessors import Treeprocessor
    from markdown.util import AtomicString
    from reading.typography import TypographyExtension
    from reading.where_needed import OnlyWhereNeededExtension

    kinds: list[type] = []

    class RecordTypes(Treeprocessor):
        def run(self, root: Any) -> None:
            kinds.extend(type(el.text) for el in root.iter() if el.tag in ("p", "li") and el.text)

    def convert(plain: bool) -> str:
        extensions = ["footnotes", "admonition", "def_list", OnlyWhereNeededExtension()]
        extensions.append(TypographyExtension())
        md = Markdown(extensions=extensions)
        if plain:
            plain_python_markdown(md)
        md.treeprocessors.register(RecordTypes(md), "types_after_inline", 19.5)
        md.treeprocessors.register(RecordTypes(md), "types_after_smarty", 1.7)
        return md.convert(INLINE_SOURCE + "\n" + BLOCK_SOURCE)

    ours = convert(plain=False)
    made_by_each_pattern = (
        "&#8220;Quoted&#8221;", "&#8212;", "&#8230;", "<code>", "<br", "<em>", "<img",
        'href="https://example.org/ref"', "&copy;", 'href="&#109;&#97;', 'class="footnote-ref"',
        "<h1>A heading</h1>", "<h1>Setext one</h1>", "<h2>Setext two</h2>", "<hr", "<blockquote>",
        "<dd>", 'class="admonition note"', "https://example.org/other", 'id="fn:2"',
        "Not a header # here, 3 &gt; 2 - 1 and a:b",
    )  # fmt: skip
    for made in made_by_each_pattern:
        assert made in ours, made
    assert ours == convert(plain=True)
    assert kinds and AtomicString not in kinds


def test_each_inline_pattern_needs_what_inline_passes_says() -> None:
    """No text without one of a pattern's ``NEEDS`` matches it (random texts of Markdown's
    punctuation, the shipped pages without them), and the site's Markdown uses only patterns
    the table knows, so the inline passes skip texts and searches on every page."""
    import random

    from conftest import small_site_settings
    from markdown.extensions.smarty import SmartyExtension
    from pelican_compat import SearchedOnlyWhereNeeded
    from reading import reading
    from reading.where_needed import BLOCK_EXPRESSIONS, BLOCK_NEEDS, NEEDS, needs_of

    characters = "ab1 _*`\\[]^!()<>&#;:@/.-='\"\t\n\x02\x03xyz"
    chance = random.Random(26)
    texts = ["".join(chance.choices(characters, k=chance.randint(1, 12))) for _ in range(60_000)]
    pages = [path.read_text("utf-8") for path in (PROJECT_ROOT / "content").rglob("*.md")]
    smarty = smarty_patterns(SmartyExtension())
    assert len(smarty) == 18 and set(smarty) <= set(NEEDS)
    for regex, needs in {**NEEDS, **BLOCK_NEEDS}.items():
        compiled = re.compile(regex, re.DOTALL | re.MULTILINE)
        without = [text for text in texts if not any(needed in text for needed in needs)]
        for page in pages:  # the shipped pages without the first character of each need
            without.append(page.translate({ord(needed[0]): None for needed in needs}))
        assert len(without) > 1_000, regex
        assert not [text for text in without if compiled.search(text)], regex

    settings = reading.site_reading_settings(small_site_settings(PROJECT_ROOT))
    for body in (True, False):
        md = reading.site_markdown(settings, body)
        md.convert('Some *text* -- "quoted".')
        passes = [md.treeprocessors[name] for name in ("inline", "smarty")]
        for inline_patterns in [md.inlinePatterns, *(each.inlinePatterns for each in passes)]:
            assert needs_of(inline_patterns) is not None, [
                pattern.getCompiledRegExp().pattern for pattern in inline_patterns
            ]
            for pattern in inline_patterns:  # searched only where needed
                assert isinstance(pattern.getCompiledRegExp(), SearchedOnlyWhereNeeded)
        expressions = [getattr(each, name, None) for each in md.parser.blockprocessors
                       for name in BLOCK_EXPRESSIONS]  # fmt: skip
        searched = [each for each in expressions if isinstance(each, SearchedOnlyWhereNeeded)]
        assert {each.pattern for each in searched} == set(BLOCK_NEEDS)


def test_a_pattern_searched_only_where_needed_finds_what_its_expression_finds() -> None:
    from pelican_compat import SearchedOnlyWhereNeeded

    compiled = re.compile(r"(?<!\\!)\[")
    searched = SearchedOnlyWhereNeeded(compiled, ("[",))
    for text in ("a [b] ![c] [d", "no brackets", "", "[", "![x", "[["):
        for start in (0, 1, 3):
            found = [match.span() for match in searched.finditer(text, start)]
            assert found == [match.span() for match in compiled.finditer(text, start)]
            for way in ("search", "match"):
                ours, its = (getattr(each, way)(text, start) for each in (searched, compiled))
                assert (ours and ours.span()) == (its and its.span())
    assert searched.pattern == compiled.pattern and searched.flags == compiled.flags


def smarty_patterns(extension: Any) -> list[str]:
    """The regular expressions of smarty's own inline pass."""
    from markdown import Markdown

    md = Markdown(extensions=[extension])
    smarty = md.treeprocessors["smarty"]
    return [pattern.getCompiledRegExp().pattern for pattern in smarty.inlinePatterns]


def test_the_site_converts_every_page_as_with_python_markdowns_inline_passes(
    tmp_path: Path,
) -> None:
    """The shipped content and synthetic articles: the same HTML and record as with every text
    shown to every pattern."""
    from article_markup.record import document_record
    from conftest import small_site_settings
    from reading import reading

    synthetic = load_build_scale().write_content(tmp_path, 3)
    settings = reading.site_reading_settings(small_site_settings(PROJECT_ROOT))
    ours, plain = reading.site_markdown(settings, True), reading.site_markdown(settings, True)
    plain_python_markdown(plain)
    sources = [*sorted((PROJECT_ROOT / "content").rglob("*.md")), *synthetic.rglob("synthetic*")]
    assert len(sources) > 30
    for source in sources:
        text = source.read_text(encoding="utf-8")
        made = [(md.reset().convert(text), document_record(md)) for md in (ours, plain)]
        assert made[0] == made[1], source


def test_one_markdown_converts_documents_in_a_row_as_fresh_ones_do(tmp_path: Path) -> None:
    """A thread keeps its Markdown objects for the settings they were made from, reset for each
    document: every file converts exactly as with new objects, in either order, and a file
    that stops half-way leaves nothing behind."""
    from conftest import small_site_settings
    from reading import reading

    content = load_build_scale().write_content(tmp_path, 3)
    paths = [str(path) for path in sorted(content.rglob("*.md"))]
    settings = reading.site_reading_settings(small_site_settings(PROJECT_ROOT))
    settings["PATH"] = str(content)

    def fresh(path: str) -> str:
        reading._kept.__dict__.clear()
        return reading.convert(path, settings).to_json()

    expected = {path: fresh(path) for path in paths}
    assert len(set(expected.values())) == len(paths) > 30
    for order in (paths, paths[::-1]):
        first = reading.kept_markdown(settings, body=True)
        for path in order:
            assert reading.convert(path, settings).to_json() == expected[path], path
        assert reading.kept_markdown(settings, body=True) is first  # kept, not made again
    assert reading.kept_markdown({**settings, "DEFAULT_LANG": "es"}, body=True) is not first
    with pytest.raises(OSError):
        reading.convert(str(content / "missing.md"), settings)
    assert not reading._kept.__dict__  # made again for the next file
    assert reading.convert(paths[0], settings).to_json() == expected[paths[0]]


def test_typogrify_and_typography_both_on_is_refused(tmp_path: Path) -> None:
    result = build(PROJECT_ROOT / "content", tmp_path / "output", "TYPOGRIFY=true")
    assert result.returncode != 0
    assert "Set TYPOGRIFY = False" in result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("original", "broken"),
    [
        (b"Synthetic guide", b"Synth\xe9tic guide"),  # not UTF-8
        # Markup outside the allow-list: a worker holds its conversion to the list too.
        (b"\n\n## ", b'\n{: onclick="alert(1)" }\n\n## '),
    ],
)
def test_a_broken_file_fails_the_same_way(tmp_path: Path, original: bytes, broken: bytes) -> None:
    content = load_build_scale().write_content(tmp_path, SYNTHETIC_ARTICLES)
    path = content / "articles" / "synthetic-7.md"
    path.write_bytes(path.read_bytes().replace(original, broken, 1))
    messages = []
    for parallel in ("true", "false"):
        result = build(content, tmp_path / parallel / "output", f"PARALLEL_READING={parallel}")
        assert result.returncode != 0
        log = result.stdout + result.stderr
        lines = [line for line in log.splitlines() if "synthetic-7.md" in line]
        assert lines, log[-2000:]
        messages.append([line.split("]", 1)[-1].strip() for line in lines])
    assert messages[0] == messages[1]


# `invoke build`'s own function, in a process of its own: how many worker processes are left
# once it has returned from a failed build.
FAILED_BUILD = """
import multiprocessing, sys
from pathlib import Path
from commands.build import build_site
from commands.project import load_settings

content, output, cache = sys.argv[1:]
overrides = {"PATH": content, "CACHE_PATH": cache, "SEARCH_INDEX": False,
             "REFUSE_EXAMPLE_CLINIC_DETAILS": False, "PARALLEL_READING": True}
built = build_site(load_settings(True, overrides), Path(output), mark_output=False)
print("built:", built, "workers left:", len(multiprocessing.active_children()))
"""


@pytest.mark.slow
def test_a_failed_build_leaves_no_worker_converting_the_queued_files(tmp_path: Path) -> None:
    """A build that fails while files are queued for the workers ends them before it returns;
    before, Python's exit waited for every queued file (and Ctrl-C raced the pool's close)."""
    content = load_build_scale().write_content(tmp_path, SYNTHETIC_ARTICLES)
    for path in (content / "articles").glob("synthetic-*.md"):  # whichever Pelican reads first
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\n\n## ", '\n{: onclick="alert(1)" }\n\n## ', 1))
    result = subprocess.run(
        [sys.executable, "-c", FAILED_BUILD, str(content), str(tmp_path / "output"),
         str(tmp_path / "cache")],
        cwd=PROJECT_ROOT, env={**os.environ, "SITEURL": "https://clinic.example", "COLUMNS": "400"},
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert "outside the allow-list" in result.stdout, result.stdout + result.stderr
    assert "built: False workers left: 0" in result.stdout, result.stdout + result.stderr


SLEEPER_EXTENSION = """
import time
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

class Sleeper(Preprocessor):
    def run(self, lines):
        time.sleep(0.5)  # every file: the workers are each in one when the pool is closed
        return lines

class SleeperExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Sleeper(md), "sleeper", 100)

def makeExtension(**kwargs):
    return SleeperExtension(**kwargs)
"""

# The reading session's close, with Ctrl-C pressed twice while it waits for the workers.
CTRL_C_TWICE_WHILE_CLOSING = """
import multiprocessing, os, signal, sys, threading, time
from pathlib import Path
from commands.project import load_settings
from reading import workers

content, cache = sys.argv[1:]
settings = load_settings(False, {"PATH": content, "CACHE_PATH": cache, "PARALLEL_READING": True,
                                "REFUSE_EXAMPLE_CLINIC_DETAILS": False})
settings["MARKDOWN"]["extension_configs"]["sleeper_extension"] = {}
session = workers.session(settings)
session.read_ahead(sorted(str(path) for path in Path(content, "articles").glob("*.md")))
time.sleep(0.5)  # each worker is in a file

def press_ctrl_c_twice():
    for _ in range(2):
        time.sleep(0.3)
        os.kill(os.getpid(), signal.SIGINT)

threading.Thread(target=press_ctrl_c_twice).start()
started = time.monotonic()
try:
    session.close()
    print("closed without a KeyboardInterrupt")
except KeyboardInterrupt:
    print("stopped after", round(time.monotonic() - started, 1), "s; pool:", session.pool,
          "workers left:", len(multiprocessing.active_children()))
"""


@pytest.mark.slow
def test_ctrl_c_while_the_workers_are_stopped_waits_for_them_then_stops(tmp_path: Path) -> None:
    """A Ctrl-C (a second one, after the first stopped the build) during the wait for the
    workers' current files: the wait goes on to its end, then the build stops. Before, it
    broke off the wait and left the pool's thread running into Python's exit (a traceback
    now and then under the "Stopped" line)."""
    content = load_build_scale().write_content(tmp_path, SYNTHETIC_ARTICLES)
    (tmp_path / "sleeper_extension.py").write_text(SLEEPER_EXTENSION)
    python_path = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-c", CTRL_C_TWICE_WHILE_CLOSING, str(content), str(tmp_path / "cache")],
        cwd=PROJECT_ROOT, env={**os.environ, "PYTHONPATH": python_path},
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert "pool: None workers left: 0" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr


KILLER_EXTENSION = """
import os, signal
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

class Killer(Preprocessor):
    def run(self, lines):
        if any("KILL THIS WORKER" in line for line in lines):
            os.kill(os.getpid(), signal.SIGKILL)
        return lines

class KillerExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Killer(md), "killer", 100)

def makeExtension(**kwargs):
    return KillerExtension(**kwargs)
"""


@pytest.mark.slow
def test_a_killed_worker_fails_the_build_at_once_naming_the_file(tmp_path: Path) -> None:
    content = load_build_scale().write_content(tmp_path, SYNTHETIC_ARTICLES)
    victim = content / "articles" / "synthetic-5.md"
    victim.write_text(victim.read_text() + "\nKILL THIS WORKER\n")
    (tmp_path / "killer_extension.py").write_text(KILLER_EXTENSION)
    markdown = (
        "MARKDOWN={"
        '"extension_configs": {"killer_extension": {}, "markdown.extensions.meta": {}},'
        '"output_format": "html5"}'
    )
    started = time.monotonic()
    env_path = f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    os.environ["PYTHONPATH"] = env_path
    try:
        result = build(content, tmp_path / "output", "PARALLEL_READING=true", markdown)
    finally:
        os.environ["PYTHONPATH"] = env_path.split(os.pathsep, 1)[1]
    seconds = time.monotonic() - started
    log = result.stdout + result.stderr
    assert result.returncode != 0, log[-2000:]
    assert "a worker process stopped (killed or crashed) while converting" in log, log[-3000:]
    stopped = next(line for line in log.splitlines() if "worker process stopped" in line)
    assert "synthetic-5.md" in log[log.index(stopped) :][:2000], log[-3000:]
    assert seconds < 60, f"the build took {seconds:.0f} s to fail"


def test_the_reader_leaves_pelicans_markdown_setting_as_pelican_leaves_it() -> None:
    """The site's Markdown settings (content folder, glossaries, clinic rules) are the reading
    session's own copy: Pelican's shared ``MARKDOWN`` is changed only as Pelican's own reader
    changes it."""
    import copy

    from pelican.readers import MarkdownReader
    from pelican.settings import read_settings
    from reading import SiteMarkdownReader

    settings = read_settings(str(PROJECT_ROOT / "pelicanconf.py"))
    pelicans = copy.deepcopy(settings)
    MarkdownReader(pelicans)
    SiteMarkdownReader(settings)
    assert settings["MARKDOWN"] == pelicans["MARKDOWN"]
    assert "content_path" not in settings["MARKDOWN"]["extension_configs"]["article_markup"]
    # The session's copy has them: reading works from it.
    assert workers.session(settings).settings["MARKDOWN"]["extension_configs"]["article_markup"][
        "content_path"
    ] == str(settings["PATH"])
    workers.stop_reading()


def test_the_record_survives_the_reading_cache_the_workers_and_pelicans_cache() -> None:
    """The record goes through the reading cache as JSON, and is pickled by the reading
    workers' results and Pelican's content cache: each gives back the same record."""
    import json
    import pickle

    from article_markup import ArticleMarkupExtension
    from article_markup.record import ArticleRecord, RecordExtension, document_record
    from markdown import Markdown

    extensions = ["meta", "footnotes", "toc", ArticleMarkupExtension(), RecordExtension()]
    md = Markdown(extensions=extensions)
    md.convert(
        "Lang: es\n\n## Qué es\n\nLa ketamina es un anestésico.[^a]\n\n"
        "[^a]: Smith J. Un estudio. 2020. doi:10.1000/x\n"
    )
    record = document_record(md)
    assert record is not None and record.language == "es"
    assert record.references[0].url == "https://doi.org/10.1000/x"
    assert record.text.startswith("Qué es La ketamina es un anestésico.")
    assert ArticleRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record
    assert pickle.loads(pickle.dumps(record)) == record


def test_only_a_conversion_within_the_allow_list_is_cached_and_a_cached_one_is_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose markup the allow-list refuses stops the build and leaves no cache entry;
    a file that passed is served from the cache without a second check (its key covers the
    list's code and libraries)."""
    from pelican.settings import read_settings
    from reading import reading

    content = tmp_path / "content"
    content.mkdir()
    good, bad = content / "good.md", content / "bad.md"
    good.write_text("Title: Good\n\nPlain *text*.\n", encoding="utf-8")
    bad.write_text('Title: Bad\n\nText.\n{: onclick="alert(1)" }\n', encoding="utf-8")
    settings = read_settings(
        str(PROJECT_ROOT / "pelicanconf.py"),
        override={"PATH": str(content), "CACHE_PATH": str(tmp_path / "cache")},
    )
    with pytest.raises(reading.MarkupNotAllowed, match=r"bad\.md"):
        workers.take(str(bad), settings)
    current = workers.session(settings)
    assert current.cache is not None
    assert current.cache.get(current.key(str(bad))) is None, "a refused conversion was cached"
    first = workers.take(str(good), settings)
    assert current.cache.get(current.key(str(good))) is not None
    workers.stop_reading()

    checked: list[str] = []
    monkeypatch.setattr(workers, "refuse_markup_not_allowed", lambda _, path: checked.append(path))
    assert workers.take(str(good), settings).content == first.content
    assert checked == [], "a cached conversion was checked again"
    workers.take(str(bad), settings)  # not cached: converted, and checked, again
    assert checked == [str(bad)]
    workers.stop_reading()


def test_the_record_decodes_its_texts_joined_as_piece_by_piece(tmp_path: Path) -> None:
    """``PageText.joined`` decodes the pieces once, joined by spaces: on every shipped and
    synthetic page, the same text as each piece decoded (placeholders, references, ``&``)."""
    from article_markup.record import (
        PageText,
        _is_back_link,
        _is_references,
        reference_items,
        text_pieces,
    )
    from conftest import small_site_settings
    from markdown.treeprocessors import Treeprocessor
    from reading import reading

    compared: list[int] = []

    class CompareDecodings(Treeprocessor):
        def run(self, root: Any) -> None:
            page_text = PageText(self.md)
            texts = [text_pieces(root, _is_references)]
            texts += [text_pieces(item, _is_back_link) for item in reference_items(root)]
            for pieces in texts:
                one_by_one = " ".join(page_text.decode(piece) for piece in pieces)
                assert page_text.joined(pieces) == " ".join(one_by_one.split())
                compared.append(sum(1 for piece in pieces if "\x02" in piece or "&" in piece))

    synthetic = load_build_scale().write_content(tmp_path, 3)
    settings = reading.site_reading_settings(small_site_settings(PROJECT_ROOT))
    md = reading.site_markdown(settings, True)
    md.treeprocessors.register(CompareDecodings(md), "compare_decodings", -2)
    sources = [*sorted((PROJECT_ROOT / "content").rglob("*.md")), *synthetic.rglob("synthetic*")]
    for source in sources:
        md.reset().convert(source.read_text(encoding="utf-8"))
    assert len(compared) > len(sources) and sum(compared) > 500


QUOTED_ARTICLE = """Title: Quotes
Date: 2025-01-01
Category: Ketamine
Summary: A short summary.

She said "yes" and left.
"""


def test_a_development_build_reads_a_file_afresh_when_what_converts_it_changed(
    build_small_site: Callable[..., Any],
) -> None:
    """Pelican's development content cache knows only each file's date: after a change to the
    code, settings or glossary a conversion depends on (here the TYPOGRAPHY setting), an
    unchanged file's page must show the change, and the next build uses the cache again."""
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}

    def paragraph(built: Any) -> str:
        return built.soup("articles/quotes/index.html").select_one("main p:-soup-contains('yes')")

    first = build_small_site({"articles/quotes.md": QUOTED_ARTICLE}, cached)
    assert "\u201cyes\u201d" in paragraph(first).get_text()
    plain = {**cached, "TYPOGRAPHY": False}
    second = build_small_site({}, plain)
    assert '"yes"' in paragraph(second).get_text()
    assert second.settings["LOAD_CONTENT_CACHE"] is False  # read afresh
    third = build_small_site({}, plain)
    assert third.settings["LOAD_CONTENT_CACHE"] is True  # nothing changed: the cache serves
    assert '"yes"' in paragraph(third).get_text()
