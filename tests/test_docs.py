"""The guides cannot drift from the code: every command they show exists with the options they
give it, the read-only ones run, and every link between the guides lands on a file and heading.

A guide's commands are the lines of its fenced code blocks that start with `invoke`,
`./quickstart` or `.venv/bin/python benchmarks/...`.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from invoke import Collection

GUIDES = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
FENCE_RE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
LINK_RE = re.compile(r"\]\(([^)\s]+)\)")
# Placeholders a guide writes for the reader to fill in ([--site DIR]): not options to check.
OPTIONAL_RE = re.compile(r"\[[^]]*\]")
ENV_RE = re.compile(r"^(?:[A-Z_]+=\S*\s+)+")


def commands(guide: Path) -> list[list[str]]:
    """Each command line in a guide's code blocks, split as a shell would (comments dropped)."""
    found = []
    for block in FENCE_RE.findall(guide.read_text(encoding="utf-8")):
        for raw in block.splitlines():
            # Placeholders out, and environment settings before the command (SITEURL=... invoke).
            line = ENV_RE.sub("", OPTIONAL_RE.sub("", raw).strip())
            if line.startswith(("invoke ", "./quickstart ", ".venv/bin/python benchmarks/")):
                found.append(shlex.split(line, comments=True))
    return found


def all_commands() -> list[tuple[str, list[str]]]:
    return [
        (guide.relative_to(PROJECT_ROOT).as_posix(), words)
        for guide in GUIDES
        for words in commands(guide)
    ]


def task_options() -> dict[str, set[str]]:
    """Each invoke task of tasks.py and the long options it takes."""
    sys.path.insert(0, str(PROJECT_ROOT))
    try:
        import tasks
    finally:
        sys.path.pop(0)
    collection = Collection.from_module(tasks)
    options = {}
    for name in collection.task_names:
        task = collection[name]
        options[name] = {f"--{arg.name.replace('_', '-')}" for arg in task.get_arguments()}
    return options


def test_the_guides_show_commands() -> None:
    found = all_commands()
    assert len(found) >= 20, found
    assert {guide for guide, _ in found} >= {
        "README.md", "docs/writers.md", "docs/reviewers.md", "docs/publishers.md",
        "docs/developers.md", "docs/performance.md",
    }  # fmt: skip


def test_every_invoke_command_in_the_guides_is_a_task_with_those_options() -> None:
    tasks = task_options()
    problems = []
    for guide, words in all_commands():
        if words[0] not in {"./quickstart", "invoke"}:
            continue
        name, given = words[1], words[2:]
        if words[:2] == ["./quickstart", "tools"]:  # quickstart's own: installs, runs no task
            continue
        if name not in tasks:
            problems.append(f"{guide}: `{' '.join(words)}`: there is no task {name!r}")
            continue
        unknown = [w for w in given if w.startswith("--") and w.split("=")[0] not in tasks[name]]
        if unknown:
            problems.append(f"{guide}: `{' '.join(words)}`: {name} takes no {unknown}")
    assert not problems, "\n".join(problems)


def test_invoke_list_shows_each_tasks_first_sentence_whole() -> None:
    """`invoke --list` shows a docstring's first line: one that ran on into the next line was
    cut mid-phrase ("serve it on 127.0.0.1, with the")."""
    from invoke.util import helpline

    sys.path.insert(0, str(PROJECT_ROOT))
    try:
        import tasks
    finally:
        sys.path.pop(0)
    collection = Collection.from_module(tasks)
    firsts = {name: (helpline(collection[name].body) or "") for name in collection.task_names}
    cut = [name for name, first in firsts.items() if not first.rstrip().endswith((".", ")"))]
    assert not cut, f"first docstring line is not a whole sentence: {cut}"


def test_every_benchmark_in_the_guides_exists_with_those_options() -> None:
    problems = []
    helps: dict[str, str] = {}
    for guide, words in all_commands():
        if not words[0].startswith(".venv/bin/python"):
            continue
        script = PROJECT_ROOT / words[1]
        if not script.is_file():
            problems.append(f"{guide}: `{' '.join(words)}`: {words[1]} does not exist")
            continue
        if words[1] not in helps:
            helps[words[1]] = subprocess.run(
                [sys.executable, str(script), "--help"],
                cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False,
            ).stdout  # fmt: skip
        options = [w for w in words[2:] if w.startswith("--")]
        missing = [o for o in options if o not in helps[words[1]]]
        if missing:
            problems.append(f"{guide}: `{' '.join(words)}`: {words[1]} has no {missing}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("args", [["--list"], ["reviews"], ["check"]])
def test_the_read_only_commands_the_guides_show_run(args: list[str]) -> None:
    shown = {tuple(words[1:2]) for _, words in all_commands() if words[0] == "invoke"}
    assert args == ["--list"] or (args[0],) in shown, f"no guide shows `invoke {args[0]}`"
    result = subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    # `invoke check` exits 1 only for errors; the real content has none.
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stdout.strip()


def heading_ids(guide: Path) -> set[str]:
    """The anchors GitHub gives a guide's headings (lower case, no punctuation, - for space)."""
    ids = set()
    text = FENCE_RE.sub("", guide.read_text(encoding="utf-8"))
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        ids.add(slug)
    return ids


def test_every_link_between_the_guides_lands() -> None:
    problems = []
    for guide in GUIDES:
        text = FENCE_RE.sub("", guide.read_text(encoding="utf-8"))
        for target in LINK_RE.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("{"):
                continue  # web addresses; Pelican's {filename} links in examples
            path, _, fragment = target.partition("#")
            file = (guide.parent / path).resolve() if path else guide
            if not file.exists():
                problems.append(f"{guide.name}: ({target}): {path} does not exist")
            elif fragment and file.suffix == ".md" and fragment not in heading_ids(file):
                problems.append(f"{guide.name}: ({target}): no heading #{fragment}")
    assert not problems, "\n".join(problems)


def test_the_readme_is_short_and_each_guide_says_who_it_is_for() -> None:
    assert (PROJECT_ROOT / "README.md").stat().st_size <= 10_000
    for guide in GUIDES[1:]:
        opening = guide.read_text(encoding="utf-8").split("\n\n", 2)[1]
        assert re.search(r"\b(for|For)\b", opening), f"{guide.name} opens without its reader"
