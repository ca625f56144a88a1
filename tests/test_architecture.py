"""The shape of the code: no import cycles between our packages, commands are not imported by
plugins, and no module finds another through ``sys.path`` edits (issue 23).

Each rule is a pure function over what it reads, so each test also shows, on a tiny synthetic
case, that the same function fails when the rule is broken.
"""

from __future__ import annotations

import ast
import functools
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from conftest import PROJECT_ROOT

PLUGINS = PROJECT_ROOT / "plugins"
COMMANDS = PROJECT_ROOT / "commands"


def top_level_units() -> dict[str, list[Path]]:
    """Each package and module of plugins/, and the commands package, with its Python files."""
    units = {
        path.stem if path.is_file() else path.name: (
            [path] if path.is_file() else sorted(path.rglob("*.py"))
        )
        for path in sorted(PLUGINS.iterdir())
        if (path.is_file() and path.suffix == ".py") or (path / "__init__.py").is_file()
    }
    units["commands"] = sorted(COMMANDS.rglob("*.py"))
    return units


def imported_names(source: str) -> set[str]:
    """The top-level names a module imports absolutely, anywhere in it (functions included)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def import_graph(units: dict[str, Iterable[str]]) -> dict[str, set[str]]:
    """Which unit imports which other unit, from each unit's sources."""
    return {
        name: {
            imported
            for source in sources
            for imported in imported_names(source)
            if imported in units and imported != name
        }
        for name, sources in units.items()
    }


@functools.cache
def project_graph() -> dict[str, set[str]]:
    """The import graph of plugins/ and commands/ as they are on disk."""
    sources = {
        name: [path.read_text(encoding="utf-8") for path in paths]
        for name, paths in top_level_units().items()
    }
    return import_graph(sources)


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle of ``graph`` as a path that comes back to its start (one per group of units
    that import each other, found by depth-first search)."""
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if target in path:
                cycle = [*path[path.index(target) :], target]
                if not any(set(cycle) == set(found) for found in cycles):
                    cycles.append(cycle)
            elif target not in done:
                visit(target, [*path, target])
        done.add(node)

    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    return cycles


def test_the_import_cycle_finder_finds_a_cycle() -> None:
    """The same functions the project test uses, on a tiny synthetic project with a cycle."""
    graph = import_graph(
        {
            "reader": ["import checker\n"],
            "checker": ["def late():\n    from reader.parse import text\n"],  # in a function
            "pages": ["from checker import run\n", "from . import local\n"],  # relative: skipped
        }
    )
    assert graph == {"reader": {"checker"}, "checker": {"reader"}, "pages": {"checker"}}
    assert import_cycles(graph) == [["checker", "reader", "checker"]]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles_between_packages() -> None:
    graph = project_graph()
    assert {"content_check", "clinical_review", "commands", "site_errors"} <= set(graph)
    assert "content_check" in graph["commands"]  # the graph sees real imports
    cycles = import_cycles(graph)
    assert not cycles, "Import cycles between packages:\n" + "\n".join(
        " -> ".join(cycle) for cycle in cycles
    )


def test_plugins_never_import_the_commands() -> None:
    """Tools are not plugins: commands/ and tasks.py use the plugins' libraries, never the
    other way round."""
    graph = project_graph()
    offenders = sorted(name for name, imported in graph.items() if "commands" in imported)
    offenders += sorted(
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in PLUGINS.rglob("*.py")
        if "tasks" in imported_names(path.read_text(encoding="utf-8"))
    )
    assert not offenders, offenders


# --- No sys.path edits ---------------------------------------------------------------------------

SYS_PATH_EDIT = re.compile(
    r"\bsys\.path\s*(?:\.\s*(?:insert|append|extend|remove|pop|clear)\b|\[[^\]]*\]\s*=|\+?=(?!=))"
    r"|\bsite\.addsitedir\b"
)


def sys_path_edits(files: dict[str, str]) -> list[str]:
    """``file:line: text`` of each edit of the import path in ``files`` (name -> source)."""
    return [
        f"{name}:{number}: {line.strip()}"
        for name, source in files.items()
        for number, line in enumerate(source.splitlines(), 1)
        if SYS_PATH_EDIT.search(line)
    ]


def project_python_files() -> list[Path]:
    """The project's own Python files outside tests/: git's list (new files included)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.py"],
        cwd=PROJECT_ROOT, capture_output=True, check=False,
    )  # fmt: skip
    if listed.returncode != 0:  # not a git checkout: every file but the tools' own
        skipped = {".venv", "node_modules", ".git", "tests"}
        return [
            path
            for path in PROJECT_ROOT.rglob("*.py")
            if not skipped & set(path.relative_to(PROJECT_ROOT).parts)
        ]
    names = [name for name in listed.stdout.decode().split("\0") if name]
    return [PROJECT_ROOT / name for name in names if not name.startswith("tests/")]


def test_the_sys_path_finder_finds_edits() -> None:
    found = sys_path_edits(
        {
            "a.py": "import sys\nsys.path.insert(0, 'plugins')\nprint(sys.path)\n",
            "b.py": "code = 'import sys; sys.path.append(\".\")'\nsys.path[:0] = ['x']\n",
            "c.py": "if 'x' in sys.path:\n    pass\nsys.path += ['y']\nsys.path == []\n",
        }
    )
    assert found == [
        "a.py:2: sys.path.insert(0, 'plugins')",
        "b.py:1: code = 'import sys; sys.path.append(\".\")'",
        "b.py:2: sys.path[:0] = ['x']",
        "c.py:3: sys.path += ['y']",
    ]


def test_no_sys_path_edits_outside_the_tests() -> None:
    """Plugins are found through PLUGIN_PATHS, and our code through the venv's site-kit.pth
    (./quickstart): no module edits the import path (the tests may, for their fixtures)."""
    files = project_python_files()
    assert PROJECT_ROOT / "tasks.py" in files and PROJECT_ROOT / "publishconf.py" in files
    edits = sys_path_edits(
        {path.relative_to(PROJECT_ROOT).as_posix(): path.read_text("utf-8") for path in files}
    )
    assert not edits, "\n".join(edits)
