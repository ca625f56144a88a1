"""`invoke serve`'s rebuilds write only what a save touches, and everything a template touches.

One copy of the project is rebuilt in one process, as serve does (commands/live_rebuild.py
through commands.build): first in full, then after a save of an article's body, a save of its
title, and a change to a template. After each, the output is copied aside for the tests, and
after the saves a plain full build of the same sources is made beside it: what serve shows
must be what a full build makes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_sources

COPIED = ("content", "theme", "plugins", "commands", "reviews", "pelicanconf.py", "tasks.py")
ARTICLE = "content/articles/ketamine-for-chronic-pain.md"
ARTICLE_PAGE = "articles/ketamine-for-chronic-pain/index.html"
NEW_TITLE = "A renamed guide to ketamine"

REBUILDS = r"""
import json, shutil, sys
from commands.build import load_and_build
from commands.live_rebuild import LiveRebuild
from commands.project import CONTENT_DIR, PROJECT_ROOT as root
from commands.serve import WATCHED

live = LiveRebuild([root / name for name in WATCHED], CONTENT_DIR)
steps = {}

def build(output):
    return load_and_build(output, fatal_warnings=False)[1]

def rebuild(step):
    done = live.run(lambda: build(root / "output"))
    steps[step] = {"built": done.built, "everything": done.everything,
                   "written": done.written, "saved": [str(p.relative_to(root)) for p in done.saved]}
    shutil.copytree(root / "output", root / "after" / step)
    if step in ("body", "title"):  # what a plain build of the same sources makes
        assert build(root / "full" / step)

rebuild("first")
article = root / sys.argv[1]
text = article.read_text(encoding="utf-8")
article.write_text(text + "\nA sentence about zebrafinches, added.\n", encoding="utf-8")
rebuild("body")
old_title = next(line for line in text.splitlines() if line.startswith("Title: "))
article.write_text(text.replace(old_title, "Title: " + sys.argv[2], 1), encoding="utf-8")
rebuild("title")
footer = root / "theme" / "templates" / "partials" / "footer.html"
footer.write_text(footer.read_text(encoding="utf-8").replace(
    "</footer>", "<p>A line the template just got.</p>\n</footer>"), encoding="utf-8")
rebuild("template")
print(json.dumps({"steps": steps, "old_title": old_title.removeprefix("Title: ")}))
"""


@pytest.fixture(scope="module")
def rebuilds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The copy of the project (outputs under after/STEP/) and what each rebuild said."""
    project = tmp_path_factory.mktemp("live") / "project"
    project.mkdir()
    copy_sources(COPIED, project)
    result = subprocess.run(
        [sys.executable, "-c", REBUILDS, ARTICLE, NEW_TITLE],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return project, json.loads(result.stdout.strip().splitlines()[-1])


def pages(output: Path) -> dict[str, str]:
    """Every HTML page of an output folder, by its path in it."""
    return {
        path.relative_to(output).as_posix(): path.read_text(encoding="utf-8")
        for path in output.rglob("*.html")
    }


def test_the_first_rebuild_writes_every_page(rebuilds: tuple[Path, dict]) -> None:
    project, report = rebuilds
    first = report["steps"]["first"]
    assert first["built"] and first["everything"]
    assert sorted(first["written"]) == sorted(pages(project / "after" / "first"))


def test_a_saved_body_rewrites_its_page_and_nothing_else(rebuilds: tuple[Path, dict]) -> None:
    project, report = rebuilds
    body = report["steps"]["body"]
    assert body["built"] and not body["everything"]
    assert body["saved"] == [ARTICLE]
    assert body["written"] == [ARTICLE_PAGE]
    after = pages(project / "after" / "body")
    assert "zebrafinches" in after[ARTICLE_PAGE]
    assert after == pages(project / "full" / "body")


def test_a_new_title_shows_on_every_page_that_lists_the_article(
    rebuilds: tuple[Path, dict],
) -> None:
    """Its page, the home page, its tags and topic, the archives, the related articles that
    link to it, the glossary and the 404 page all show the new title, as a full build would;
    pages that do not list it are left as they were."""
    project, report = rebuilds
    title = report["steps"]["title"]
    assert title["built"] and not title["everything"]
    after = pages(project / "after" / "title")
    assert NEW_TITLE in after["index.html"]  # the home page
    assert NEW_TITLE in after[ARTICLE_PAGE]
    assert NEW_TITLE in after["404.html"]  # it lists the newest guides
    full = pages(project / "full" / "title")
    differ = sorted(name for name in full if after.get(name) != full[name])
    assert not differ, f"pages not as a full build makes them: {differ}"
    assert "about/index.html" not in title["written"]
    # The page the writer looks at first, before its translation and the lists (serve tells
    # the browser as soon as it is written).
    assert title["written"][0] == ARTICLE_PAGE
    assert len(title["written"]) < len(report["steps"]["first"]["written"]) / 2


def test_a_template_change_rewrites_every_page(rebuilds: tuple[Path, dict]) -> None:
    project, report = rebuilds
    template = report["steps"]["template"]
    assert template["built"] and template["everything"]
    assert sorted(template["written"]) == sorted(report["steps"]["first"]["written"])
    after = pages(project / "after" / "template")
    missing = sorted(name for name, html in after.items() if "the template just got" not in html)
    assert not missing, f"pages without the template's change: {missing}"
