"""`invoke check FILE` (issue 26): the files named alone, with exactly the whole check's findings.

The named files are read and checked; what their checks need of the other files (the link
index, duplicate slugs and titles, translations) comes from content_check.site_facts' table,
which reads a file again only when it changed. Each test runs in a copy of the project's
content, so the caches it writes are its own.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from content_check import site_facts
from content_check.findings import Finding
from content_check.runner import run_fast_check, run_named_check

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 6)
AN_HOUR = 3600


def copy_site(root: Path) -> Path:
    """The settings, content and approved texts in ``root``, the theme linked; files dated an
    hour ago (so the table trusts them on their date and size)."""
    root.mkdir(parents=True)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    for name in ("content", "reviews"):
        shutil.copytree(PROJECT_ROOT / name, root / name)
    (root / "theme").symlink_to(PROJECT_ROOT / "theme")
    age(root / "content")
    return root


def age(folder: Path) -> None:
    then = time.time() - AN_HOUR
    for path in folder.rglob("*"):
        os.utime(path, (then, then))


def whole(root: Path, production: bool = False) -> list[Finding]:
    return run_fast_check(root, production=production, today=TODAY)[0]


def named(root: Path, *names: str, production: bool = False) -> list[Finding]:
    outcome = run_named_check(root, frozenset(names), production=production, today=TODAY)
    assert outcome is not None, names
    findings, checked = outcome
    assert checked == len(names)
    return findings


def of(findings: list[Finding], *names: str) -> list[Finding]:
    return [f for f in findings if f.file in names]


def markdown_files(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in (root / "content").rglob("*.md"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_site(tmp_path_factory.mktemp("check-file") / "project")


@pytest.mark.parametrize("production", [False, True])
def test_each_shipped_file_gets_the_whole_checks_findings(site: Path, production: bool) -> None:
    everything = whole(site, production)
    files = markdown_files(site)
    assert len(files) > 20 and any("/es/" in name for name in files)
    for name in files:  # the first from an empty table, the others from the table
        assert named(site, name, production=production) == of(everything, name), name
    pair = files[:2]
    assert named(site, *pair, production=production) == of(everything, *pair)


def test_a_broken_link_a_duplicate_slug_and_a_lost_translation(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "project")
    whole(root)  # the table written by the whole check
    articles = root / "content" / "articles"
    original = (articles / "is-ketamine-safe.md").read_text(encoding="utf-8")
    copy = original.replace(
        "\n\n", "\n\nSee [nothing]({filename}nope.md) and [that](#no-such-heading).\n\n", 1
    )  # the same slug and title as the original (read after it), and two broken links
    (articles / "safe-copy.md").write_text(copy, encoding="utf-8")
    lost = original.replace("Slug: is-ketamine-safe", "Slug: nothing-translates-this", 1)
    (articles / "es" / "lost.md").write_text(lost.replace("Lang: en", "Lang: es"), "utf-8")
    names = ("content/articles/safe-copy.md", "content/articles/es/lost.md")
    found = named(root, *names)
    codes = {(f.file, f.code) for f in found}
    assert {(names[0], "link-broken"), (names[0], "link-fragment"),
            (names[0], "meta-duplicate")} <= codes, found  # fmt: skip
    assert (names[1], "translation-missing") in codes, found
    assert found == of(whole(root), *names)


def test_a_change_to_another_file_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table reads a changed file again: a heading renamed, a slug taken, a file deleted."""
    root = copy_site(tmp_path / "project")
    articles = root / "content" / "articles"
    linking = "content/articles/is-ketamine-safe.md"
    with (root / linking).open("a", encoding="utf-8") as file:
        file.write("\nSee [surgery]({filename}ketamine-and-surgery.md#before-surgery).\n")
    surgery = articles / "ketamine-and-surgery.md"
    surgery.write_text(surgery.read_text("utf-8") + "\n## Before surgery\n\nText.\n", "utf-8")
    age(root / "content")
    assert not {f.code for f in named(root, linking)} & {"link-fragment", "link-broken"}
    reads = []
    monkeypatch.setattr(site_facts, "read_source", lambda *args: reads.append(args))
    named(root, linking)
    assert reads == []  # the others, unchanged, come from the table
    monkeypatch.undo()
    surgery.write_text(surgery.read_text("utf-8").replace("## Before surgery", "## Later"), "utf-8")
    assert "link-fragment" in {f.code for f in named(root, linking)}
    surgery.unlink()
    assert "link-broken" in {f.code for f in named(root, linking)}
    assert named(root, linking) == of(whole(root), linking)


def test_a_file_only_the_whole_check_knows_is_not_checked_alone(site: Path) -> None:
    """A setting or a static file: its findings (the guard's, the clinic rules') come from
    checks of the whole site, so `invoke check FILE` runs the whole check for it."""
    for name in ("pelicanconf.py", "content/images/share.png"):
        assert (site / name).is_file()
        assert run_named_check(site, frozenset({name}), today=TODAY) is None


def test_check_file_says_the_whole_check_covers_the_other_files(site: Path) -> None:
    name = "content/articles/is-ketamine-safe.md"
    result = subprocess.run(
        [sys.executable, "-m", "commands.check", name, "--today", TODAY.isoformat()],
        cwd=site, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr  # warnings only
    files = [line for line in result.stdout.splitlines() if line.startswith("content/")]
    assert files == [name], result.stdout
    assert "`invoke check` (no FILE) checks the whole site" in result.stdout
