"""plugins/content_guard: the build refuses what the writer's check cannot vouch for.

Each test builds a small real site (``build_small_site``) with our settings and checks what a
publisher would notice: the build stops with a message naming the file, and nothing from
outside content/ was written anywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, SmallSite

Builder = Callable[..., SmallSite]
SECRET = "CI_TOKEN=never-publish-this-7f3a"
# The real pages the call to action links to, and one real article.
SITE = {
    name: (PROJECT_ROOT / "content" / name).read_text(encoding="utf-8")
    for name in (
        "pages/medical-disclaimer.md",
        "pages/book-a-consultation.md",
        "articles/is-ketamine-safe.md",
    )
}
RST = """\
Ketamine cures pain
###################

:slug: ketamine-cures-pain
:date: 2026-01-10
:category: Ketamine
:summary: A guaranteed cure with no side effects.

Ketamine is a guaranteed cure, completely safe, with no side effects.
"""
HTML = """\
<html><head><title>Ketamine cures pain</title>
<meta name="slug" content="ketamine-cures-pain-html">
<meta name="date" content="2026-01-10"></head>
<body><p>A guaranteed cure.</p><script>alert(1)</script></body></html>
"""


def files_holding(folder: Path, text: str) -> list[Path]:
    """Every file under ``folder`` (links not followed) whose bytes contain ``text``."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and text.encode() in path.read_bytes():
            found.append(path)
    return found


def refusal(build: Builder, files: dict[str, str], overrides: dict | None = None) -> str:
    """Build and return the guard's message; fail when the build does not stop."""
    with pytest.raises(Exception) as stopped:
        build(files, overrides)
    assert type(stopped.value).__name__ == "ContentGuardError", stopped.value
    return str(stopped.value)


@pytest.mark.parametrize(
    ("name", "text"), [("articles/cures.rst", RST), ("pages/cures.html", HTML)]
)
def test_an_article_in_another_format_stops_the_build_and_is_named(
    build_small_site: Builder, tmp_path: Path, name: str, text: str
) -> None:
    message = refusal(build_small_site, {**SITE, name: text})
    assert f"content/{name}" in message
    assert "only checks and publishes Markdown" in message
    assert not (tmp_path / "output").exists(), "nothing may be written before the refusal"


def test_without_the_guard_pelican_still_reads_no_rst_or_html(tmp_path: Path) -> None:
    """READERS turns reST and HTML off: even with the plugin removed, they are never published.

    In a subprocess: a plugin's receivers stay connected for the life of a process.
    """
    from pelican.settings import read_settings

    for name, text in {**SITE, "articles/cures.rst": RST, "articles/cures.html": HTML}.items():
        (tmp_path / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / name).write_text(text, encoding="utf-8")
    plugins = read_settings(str(PROJECT_ROOT / "pelicanconf.py"))["PLUGINS"]
    output = tmp_path / "output"
    without_guard = json.dumps([p for p in plugins if p != "content_guard"])
    command = [
        sys.executable, "-m", "pelican", str(tmp_path / "content"), "-s", "pelicanconf.py",
        "-o", str(output), "-e", f"PLUGINS={without_guard}", "STATIC_PATHS=[]",
        "CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (output / "articles" / "is-ketamine-safe" / "index.html").exists()
    assert not (output / "articles" / "ketamine-cures-pain").exists()
    assert not (output / "articles" / "ketamine-cures-pain-html").exists()
    assert files_holding(output, "guaranteed cure") == []


def make_link(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_link_out_of_content_stops_the_build_before_anything_is_read(
    build_small_site: Builder, tmp_path: Path, what: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "environ").write_text(SECRET, encoding="utf-8")
    target = outside / "environ" if what == "file" else outside
    make_link(tmp_path / "content" / "extra" / "leak", target)
    message = refusal(build_small_site, SITE, {"STATIC_PATHS": ["extra"]})
    assert "content/extra/leak" in message and str(target) in message
    assert not (tmp_path / "output").exists()
    assert files_holding(tmp_path, SECRET) == [outside / "environ"]


def test_links_that_stay_inside_content_are_published(
    build_small_site: Builder, tmp_path: Path
) -> None:
    images = tmp_path / "content" / "images"
    images.mkdir(parents=True)
    (images / "share.txt").write_text("inside", encoding="utf-8")
    make_link(tmp_path / "content" / "extra" / "alias.txt", Path("../images/share.txt"))
    built = build_small_site(SITE, {"STATIC_PATHS": ["images", "extra"]})
    assert (built.output / "extra" / "alias.txt").read_text(encoding="utf-8") == "inside"


def test_a_static_link_that_climbs_out_stops_the_build_before_copying(
    build_small_site: Builder, tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    article = SITE["articles/is-ketamine-safe.md"].replace(
        "\n## ", "\n[Our notes]({static}../../secret.txt)\n\n## ", 1
    )
    output = tmp_path / "build" / "output"  # so a copy out of it lands in a new place
    message = refusal(
        build_small_site,
        {**SITE, "articles/is-ketamine-safe.md": article},
        {"OUTPUT_PATH": str(output)},
    )
    assert "content/articles/is-ketamine-safe.md" in message
    assert str(tmp_path / "secret.txt") in message
    assert files_holding(tmp_path, SECRET) == [tmp_path / "secret.txt"]
    assert not output.exists()


def test_the_guard_and_the_check_refuse_the_same_files(tmp_path: Path) -> None:
    """One walk, one rule: the check's findings name exactly the files the build refuses."""
    from content_check.runner import load_pelican_settings, run_fast_check
    from content_guard import unvouched_content

    content = tmp_path / "content"
    for name, text in {**SITE, "articles/cures.rst": RST, "pages/cures.html": HTML}.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    make_link(content / "images" / "leak.txt", tmp_path / "elsewhere.txt")
    settings = {**load_pelican_settings(PROJECT_ROOT, False), "PATH": str(content)}
    refused = {os.path.relpath(r.path, tmp_path) for r in unvouched_content(settings, content)}
    findings, _ = run_fast_check(tmp_path, settings=settings)
    reported = {f.file for f in findings if f.code in ("file-format", "file-outside")}
    assert (
        refused
        == reported
        == {
            "content/articles/cures.rst",
            "content/pages/cures.html",
            "content/images/leak.txt",
        }
    )
