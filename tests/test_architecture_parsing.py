"""Each thing in one named place: HTML is parsed in html_structure, Pelican's internals are
used (and copied) only in pelican_compat.

- An HTML parser is made only in ``plugins/html_structure.py`` among the page-building plugins;
  what a plugin needs from an article's body is in its record (``article_markup.record``). The
  writer's check (``plugins/content_check``: its audits read the built pages) and the handouts
  (they print the built pages) parse on their own: they are not page-building code.
- No function outside ``plugins/pelican_compat.py`` is a copy of one of Pelican's private
  functions or methods (compared by the shape of their code, Pelican's installed source).
"""

from __future__ import annotations

import ast
import difflib
import inspect
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pelican
import pelican.readers
from conftest import PROJECT_ROOT

# Modules that parse HTML (importing one is how a parser gets made).
HTML_PARSER_MODULES = (
    "html.parser",
    "lxml",
    "bs4",
    "html5lib",
    "html5_parser",
    "nh3",
    "selectolax",
)
# Where parsing is allowed, and why.
PARSING_ALLOWED = {
    "plugins/html_structure.py": "the one named place for page-building code",
    "plugins/content_check/audit.py": "the writer's check: its audits read the built pages",
    "plugins/content_check/browser_audit.py": "the check's browser audit reads the built pages",
    "plugins/content_check/html_checks.py": "the check's HTML audits read the built pages",
}
# Our code, where a copy of Pelican's private code must not hide.
OUR_CODE = ("plugins", "commands")
COMPATIBILITY_MODULE = "plugins/pelican_compat.py"
# A function counts as a copy when this share of a private function's code shape (its runs of
# three AST nodes, with attribute and variable names) is in it. A verbatim copy scores 1.0,
# reading.py's adapted copy of MarkdownReader._parse_metadata scored 0.54 before it moved;
# the closest unrelated function of ours scores about 0.3.
COPY_SHARE = 0.4
SHORTEST_COMPARED = 30  # AST nodes: shorter functions look alike by chance


def html_parser_imports(source: str) -> list[str]:
    """Each import of an HTML parser in Python ``source``, as "line N: module"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for module in modules:
            if any(module == name or module.startswith(name + ".") for name in HTML_PARSER_MODULES):
                found.append(f"line {node.lineno}: {module}")
                break
    return found


def parsing_allowed(path: Path) -> bool:
    relative = path.relative_to(PROJECT_ROOT).as_posix()
    return any(relative == place or relative.startswith(place + "/") for place in PARSING_ALLOWED)


def test_html_is_parsed_in_one_named_place() -> None:
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}: {found}"
        for path in sorted((PROJECT_ROOT / "plugins").rglob("*.py"))
        if not parsing_allowed(path)
        for found in html_parser_imports(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, (
        "An HTML parser is made outside plugins/html_structure.py: take the fact from the "
        "article's record, or add a function to html_structure.\n" + "\n".join(offenders)
    )


def test_the_parser_scan_finds_each_way_of_making_a_parser() -> None:
    source = textwrap.dedent("""
        import html
        import xml.etree.ElementTree as ET
        from html import escape
        from html.parser import HTMLParser
        from html import parser
        import lxml.html
        from lxml import etree
        from bs4 import BeautifulSoup
        import nh3
    """)
    assert [line.split(":")[0] for line in html_parser_imports(source)] == [
        "line 5", "line 6", "line 7", "line 8", "line 9", "line 10",
    ]  # fmt: skip
    assert parsing_allowed(PROJECT_ROOT / "plugins/html_structure.py")
    assert parsing_allowed(PROJECT_ROOT / "plugins/content_check/html_checks.py")
    assert not parsing_allowed(PROJECT_ROOT / "plugins/seo/jsonld.py")
    assert not parsing_allowed(PROJECT_ROOT / "plugins/handouts_extra.py")


# --- Copies of Pelican's private functions ------------------------------------------------------


def _body(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
    """The function's statements, its docstring left out."""
    body = function.body
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return body[1:] if isinstance(first.value.value, str) else body
    return body


def code_shape(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The function's code as a sequence of AST nodes: each node's kind, with the name of an
    attribute or variable (the function's own name, docstring and literals left out)."""
    shape = []
    for statement in _body(function):
        for node in ast.walk(statement):
            kind = type(node).__name__
            if isinstance(node, ast.Attribute):
                kind += "." + node.attr
            elif isinstance(node, ast.Name):
                kind += ":" + node.id
            shape.append(kind)
    return shape


def _runs(shape: list[str]) -> set[tuple[str, ...]]:
    return {tuple(shape[index : index + 3]) for index in range(len(shape) - 2)}


def functions_in(source: str) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def pelican_private_functions() -> dict[str, set[tuple[str, ...]]]:
    """Each private function or method of the installed Pelican (``_name``, not ``__x__``),
    as its runs of code shape."""
    private = {}
    for path in sorted(Path(pelican.__file__).parent.glob("*.py")):
        for function in functions_in(path.read_text(encoding="utf-8")):
            name = function.name
            if not name.startswith("_") or name.startswith("__"):
                continue
            shape = code_shape(function)
            if len(shape) >= SHORTEST_COMPARED:
                private[f"pelican.{path.stem}.{name} (line {function.lineno})"] = _runs(shape)
    return private


def copies_of_private_functions(
    source: str, where: str, private: dict[str, set[tuple[str, ...]]]
) -> list[str]:
    """Each function in ``source`` that is a copy of one of ``private``, with its share."""
    found = []
    for function in functions_in(source):
        shape = code_shape(function)
        if len(shape) < SHORTEST_COMPARED:
            continue
        ours = _runs(shape)
        for name, theirs in private.items():
            share = len(theirs & ours) / len(theirs)
            if share >= COPY_SHARE:
                found.append(
                    f"{where}:{function.lineno} {function.name} copies {name} ({share:.2f})"
                )
    return found


def test_no_copy_of_a_private_pelican_function_outside_the_compatibility_module() -> None:
    private = pelican_private_functions()
    assert len(private) > 20  # Pelican's source was read
    copies = [
        copy
        for folder in OUR_CODE
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py"))
        if path.relative_to(PROJECT_ROOT).as_posix() != COMPATIBILITY_MODULE
        for copy in copies_of_private_functions(
            path.read_text(encoding="utf-8"), str(path.relative_to(PROJECT_ROOT)), private
        )
    ]
    assert not copies, (
        "A copy of a private Pelican function: move it into plugins/pelican_compat.py, named "
        "with the reason and the Pelican version it follows.\n" + "\n".join(copies)
    )


def test_the_copy_scan_finds_a_copy_even_renamed_and_edited() -> None:
    private = pelican_private_functions()
    original = textwrap.dedent(inspect.getsource(pelican.readers.MarkdownReader._parse_metadata))
    verbatim = original.replace("def _parse_metadata(", "def metadata_from(")
    assert copies_of_private_functions(verbatim, "synthetic.py", private)
    # Edited: the docstring and a comment gone, a line added, the formatted fields taken from
    # elsewhere (how reading.py's copy differed).
    edited = (
        verbatim.replace('"""Return the dict containing document metadata"""', "")
        .replace(
            "formatted = self._md.convert(formatted_values)", "formatted = done[formatted_values]"
        )
        .replace("output = {}", "output = {}\n    done = {}")
    )
    found = copies_of_private_functions(edited, "synthetic.py", private)
    assert any("MarkdownReader" in item or "_parse_metadata" in item for item in found), found
    # An unrelated function of the same size is not a copy.
    ours = inspect.getsource(difflib.SequenceMatcher.get_opcodes)
    assert not copies_of_private_functions(textwrap.dedent(ours), "ours.py", private)
