"""The one module that touches private internals says which Pelican it was tested with, and
no other plugin touches them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pelican
from conftest import PROJECT_ROOT
from pelican_compat import (
    TESTED_INVOKE_VERSIONS,
    TESTED_PAGEFIND_VERSIONS,
    TESTED_PELICAN_VERSIONS,
    TESTED_TEXTSTAT_VERSIONS,
    untested_invoke_version,
    untested_pagefind_version,
    untested_pelican_version,
    untested_textstat_version,
)

PRIVATE_USE = re.compile(
    r"\._(?:content|context|summary|update_content|parse_metadata|md|source_path|get_content)\b"
    r"|\bmemoized\b|_raised_messages|_group_count|\bfatal_lvl\b|DEFAULT_RELOAD_TIME"
    r"|missing_positional_args|_count_syllables"
)


def test_pelican_is_a_tested_version() -> None:
    assert untested_pelican_version() is None, (
        f"Pelican {pelican.__version__} is not among the versions plugins/pelican_compat.py "
        f"was tested with ({', '.join(TESTED_PELICAN_VERSIONS)}): check each internal it "
        "names still works, then add the version."
    )


def test_invoke_is_a_tested_version() -> None:
    """`invoke review --due` works through invoke's parser internals (pelican_compat.py)."""
    assert untested_invoke_version() is None, (
        f"invoke {untested_invoke_version()} is not among the versions plugins/pelican_compat.py "
        f"was tested with ({', '.join(TESTED_INVOKE_VERSIONS)}): check that `invoke review "
        "--due` still runs without FILE, then add the version."
    )


def test_pagefind_is_a_tested_version() -> None:
    """The search index speaks Pagefind's service protocol (pelican_compat.py)."""
    assert untested_pagefind_version() is None, (
        f"Pagefind {untested_pagefind_version()} is not among the versions "
        f"plugins/pelican_compat.py was tested with ({', '.join(TESTED_PAGEFIND_VERSIONS)}): "
        "run tests/test_search_index.py (the same bundle as Pagefind's command), then add it."
    )


def test_textstat_is_a_tested_version() -> None:
    """English syllables are looked up through textstat's internals (pelican_compat.py)."""
    assert untested_textstat_version() is None, (
        f"textstat {untested_textstat_version()} is not among the versions "
        f"plugins/pelican_compat.py was tested with ({', '.join(TESTED_TEXTSTAT_VERSIONS)}): "
        "run tests/test_pronunciations.py and the readability tests, then add it."
    )


def test_only_the_compatibility_module_touches_private_internals() -> None:
    offenders = []
    ours = [*(PROJECT_ROOT / "plugins").rglob("*.py"), *(PROJECT_ROOT / "commands").rglob("*.py")]
    for path in [*ours, PROJECT_ROOT / "tasks.py"]:
        if path.name == "pelican_compat.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PRIVATE_USE.search(line):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_no_regular_expression_edits_rendered_html() -> None:
    """Markup is made on Markdown's tree or placed by an HTML parser, never by regex over tags."""
    # A pattern on the same line that contains a tag ("<a", "</", "<!"), not a lookbehind
    # "(?<" or a named group "(?P<".
    html_regex = re.compile(
        r"re\.(?:compile|sub|subn|search|match|finditer|findall|split)\(\s*r?[\"'][^\"']*"
        r"(?<!\(\?)(?<!\?P)<[a-z/!]"
    )
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}: {line.strip()}"
        for path in (PROJECT_ROOT / "plugins").rglob("*.py")
        if "content_check" not in path.parts
        # Writer's notes are removed from the Markdown source, before any HTML exists.
        and path.name != "source_text.py"
        for line in path.read_text("utf-8").splitlines()
        if html_regex.search(line)
    ]
    assert not offenders, offenders


# --- Pelican's private names, read from its installed source ------------------------------------

# Public-looking names that are Pelican's internals all the same.
INTERNAL_NAMES = {"override_url"}
# Our own modules (plugins/ is on the import path): their private names are ours to share.
OUR_MODULES = {path.stem for path in (PROJECT_ROOT / "plugins").iterdir()} | {"commands", "tasks"}


def pelican_private_names() -> set[str]:
    """Every private name Pelican defines: functions, methods, classes, module variables and
    the attributes its code sets (``_name``, not ``__name__``), from its installed source."""
    names = set(INTERNAL_NAMES)
    for path in Path(pelican.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {
        name
        for name in names
        if name in INTERNAL_NAMES or (name.startswith("_") and not name.startswith("__"))
    }


def private_pelican_uses(source: str, private: set[str]) -> list[str]:
    """Each use of one of Pelican's ``private`` names in ``source``: read or set on an object
    other than ``self``/``cls``; and any private name imported from a library (Pelican's or
    another's, such as Python-Markdown's ``_escape_cdata``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        library = (getattr(node, "module", None) or "").split(".")[0]
        if isinstance(node, ast.ImportFrom) and not node.level and library not in OUR_MODULES:
            found += [
                f"line {node.lineno}: from {node.module} import {alias.name}"
                for alias in node.names
                if (alias.name.startswith("_") and not alias.name.startswith("__"))
                or (library == "pelican" and alias.name in private)
            ]
        elif isinstance(node, ast.Attribute) and node.attr in private:
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            if owner not in ("self", "cls"):
                found.append(f"line {node.lineno}: .{node.attr}")
    return found


def test_no_private_pelican_name_outside_the_compatibility_module() -> None:
    private = pelican_private_names()
    assert {"_parse_metadata", "_content", "_update_content", "override_url"} <= private
    sources = [
        *(PROJECT_ROOT / "plugins").rglob("*.py"),
        *(PROJECT_ROOT / "commands").rglob("*.py"),
    ]
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}: {use}"
        for path in [*sources, PROJECT_ROOT / "tasks.py"]
        if path.name != "pelican_compat.py" and path.is_file()
        for use in private_pelican_uses(path.read_text(encoding="utf-8"), private)
    ]
    assert not offenders, "\n".join(offenders)


def test_the_private_name_scan_finds_each_kind_of_use() -> None:
    private = pelican_private_names()
    source = (
        "from pelican.readers import _FieldBodyTranslator\n"
        "from pelican.log import LimitFilter\n"
        "LimitFilter._raised_messages.clear()\n"
        "content.override_url = content.url\n"
        "self._content = html\n"
        "reader._parse_metadata(meta)\n"
        "from markdown.serializers import _escape_cdata\n"
        "from __future__ import annotations\n"
        "from content_check.checks import _finding\n"
    )
    assert sorted(use.split(":")[0] for use in private_pelican_uses(source, private)) == [
        "line 1", "line 3", "line 4", "line 6", "line 7",
    ]  # fmt: skip


def test_a_date_text_is_read_by_pelicans_processor_once(monkeypatch) -> None:
    """``Date``/``Modified`` go through Pelican's own processor, once per text (and day): the
    dates are Pelican's, a partial date filled from today as Pelican fills it."""
    from pelican.readers import METADATA_PROCESSORS, MarkdownReader
    from pelican.settings import DEFAULT_CONFIG
    from pelican_compat import markdown_reader_metadata

    read: list[str] = []
    pelicans = METADATA_PROCESSORS["date"]

    def counting(text: str, settings: dict) -> object:
        read.append(text)
        return pelicans(text, settings)

    monkeypatch.setitem(METADATA_PROCESSORS, "date", counting)
    reader = MarkdownReader(dict(DEFAULT_CONFIG))
    texts = ("2025-03-04 10:20", "2025-03-04 10:20", "2025-03", "2025_03_04")
    metadata = [markdown_reader_metadata(reader, {"date": [text]}, {}, "a.md") for text in texts]
    dates = [item["date"] for item in metadata]
    assert dates == [pelicans(text, {}) for text in texts]
    assert read == ["2025-03-04 10:20", "2025-03", "2025_03_04"]


def test_static_links_are_pelicans_and_html_without_them_is_not_scanned(monkeypatch) -> None:
    """HTML that names neither ``static`` nor ``attach`` holds no ``{static}``/``{attach}``
    link, so Pelican's scan is skipped; any other HTML gets Pelican's own answer."""
    import copy

    from pelican.contents import Content, Page
    from pelican.settings import DEFAULT_CONFIG
    from pelican_compat import skip_scans_without_static_links

    monkeypatch.setattr(Content, "get_static_links", Content.get_static_links)
    pelicans = getattr(Content.get_static_links, "__wrapped__", Content.get_static_links)
    scanned: list[str] = []

    def scanning(self: Content) -> set[str]:
        scanned.append(self._content)
        return pelicans(self)

    monkeypatch.setattr(Content, "get_static_links", scanning)
    skip_scans_without_static_links()
    settings = copy.deepcopy(DEFAULT_CONFIG)
    html = {
        "none": '<p><a href="{filename}/a.md">a</a></p>',
        "linked": '<p><img src="{static}/images/a.png"><a href="{attach}b.pdf">b</a></p>',
        "words": "<p>A static charge; attach the leads.</p>",
    }
    pages = {
        name: Page(text, {"title": name}, settings=settings, source_path="content/pages/p.md")
        for name, text in html.items()
    }
    found = {name: page.get_static_links() for name, page in pages.items()}
    assert found == {name: pelicans(page) for name, page in pages.items()}
    assert len(found["linked"]) == 2 and found["words"] == found["none"] == set()
    assert scanned == [html["linked"], html["words"]]


def test_a_wrapper_installed_again_wraps_the_original_once(monkeypatch) -> None:
    """Each build installs its wrappers again (``invoke serve`` rebuilds in one process): the
    original is wrapped each time, never a wrapper, so one wrapper runs."""
    from pelican.contents import Content
    from pelican_compat import remember_resolved_links

    monkeypatch.setattr(Content, "_link_replacer", Content._link_replacer)
    pelicans = getattr(Content._link_replacer, "__wrapped__", Content._link_replacer)
    remember_resolved_links()
    first = Content._link_replacer
    remember_resolved_links()
    assert Content._link_replacer is not pelicans and first is not pelicans
    assert Content._link_replacer.__wrapped__ is pelicans
    assert first.__wrapped__ is pelicans
