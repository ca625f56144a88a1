"""plugins/content_guard: the build refuses what the writer's check cannot vouch for.

Each test builds a small real site (``build_small_site``) with our settings and checks what a
publisher would notice: the build stops with a message naming the file, and nothing from
outside content/ was written anywhere.
"""

from __future__ import annotations

import json
import os
import re
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
# The figures the article shows ({static}/images/figures/...): the small site is whole.
SITE |= {
    name: (PROJECT_ROOT / "content" / name).read_text(encoding="utf-8")
    for name in re.findall(r"\{static\}/(images/figures/[\w./-]+\.svg)", "".join(SITE.values()))
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


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
SVG_SCRIPT = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
# A figure as issue 22 draws them: role="img", a <title>, an internal <style> for dark mode.
SVG_FIGURE = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img">
<title>A drip</title><style>text { font: 1px system-ui; }
@media (prefers-color-scheme: dark) { rect { fill: #eee; } }</style>
<rect width="10" height="10" fill="#123"/><use href="#r"/><text x="1" y="5">Drip</text></svg>"""


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
    (images / "share.png").write_bytes(PNG)
    make_link(tmp_path / "content" / "extra" / "alias.png", Path("../images/share.png"))
    built = build_small_site(SITE, {"STATIC_PATHS": ["images", "extra"]})
    assert (built.output / "extra" / "alias.png").read_bytes() == PNG


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
    (content / "images" / "patients.csv").write_text("name,diagnosis\n")
    (content / "extra" / ".env").parent.mkdir(parents=True)
    (content / "extra" / ".env").write_text(SECRET)
    (content / "images" / "run.svg").write_text(SVG_SCRIPT)
    settings = {**load_pelican_settings(PROJECT_ROOT, False), "PATH": str(content)}
    refused = {os.path.relpath(r.path, tmp_path) for r in unvouched_content(settings, content)}
    findings, _ = run_fast_check(tmp_path, settings=settings)
    codes = ("file-format", "file-outside", "file-type", "file-hidden", "svg-unsafe")
    reported = {f.file for f in findings if f.code in codes}
    assert (
        refused
        == reported
        == {
            "content/articles/cures.rst",
            "content/pages/cures.html",
            "content/images/leak.txt",
            "content/images/patients.csv",
            "content/extra/.env",
            "content/images/run.svg",
        }
    )


# --- Issue 24: static files ship by an allow-list -------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("images/patients.csv", b"name,diagnosis\nJane,CRPS\n", "file-type"),
        ("extra/notes.md", b"Private notes", "file-type"),
        ("extra/.env", SECRET.encode(), "file-hidden"),
        ("extra/.git-credentials", b"https://user:token@github.com", "file-hidden"),
        ("images/.git/config", b"[remote]\nurl = secret", "file-hidden"),
        ("images/patients.png", b"name,diagnosis\n", "file-type"),  # renamed, not a PNG
        ("extra/app.html", b"<script src=app.js></script>", "file-script"),
        ("extra/app.js", b"document.body.innerHTML = 'take three times your dose'", "file-script"),
        ("images/run.svg", SVG_SCRIPT.encode(), "svg-unsafe"),
        ("images/load.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
         "svg-unsafe"),
        ("images/anim.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><a><animate '
         b'attributeName="href" values="javascript:alert(1)"/></a></svg>', "svg-unsafe"),
        ("images/far.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><image '
         b'href="https://tracker.example/p.png"/></svg>', "svg-unsafe"),
        ("images/obj.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject>'
         b"<p>x</p></foreignObject></svg>", "svg-unsafe"),
        ("images/css.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import '
         b'"https://x.example/a.css";</style></svg>', "svg-unsafe"),
        ("images/torn.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', "svg-unsafe"),
    ],
)  # fmt: skip
def test_a_file_off_the_allow_list_stops_the_build_and_is_named(
    build_small_site: Builder, tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    """The tester's stray private files, pages and scripts: refused before anything is
    written, the file named; the check reports the same code."""
    from content_check.runner import load_pelican_settings, run_fast_check

    path = tmp_path / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    message = refusal(build_small_site, SITE, {"STATIC_PATHS": ["images", "extra"]})
    assert f"content/{name}" in message
    assert not (tmp_path / "output").exists()
    settings = {
        **load_pelican_settings(PROJECT_ROOT, False),
        "PATH": str(tmp_path / "content"),
        "STATIC_PATHS": ["images", "extra"],
    }
    findings, _ = run_fast_check(tmp_path, settings=settings)
    assert (f"content/{name}", code) in {(f.file, f.code) for f in findings}


def test_figures_fonts_and_the_documented_extra_files_are_published(
    build_small_site: Builder, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    files = {
        "images/figures/drip.svg": SVG_FIGURE.encode(),
        "images/share.png": PNG,
        "images/photo.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 16,
        "extra/favicon.svg": SVG_FIGURE.encode(),
        "extra/robots.txt": b"User-agent: *\n",
        "extra/font.woff2": b"wOF2" + b"\x00" * 16,
    }
    for name, data in files.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(data)
    built = build_small_site(SITE, {"STATIC_PATHS": ["images", "extra"]})
    for name, data in files.items():
        assert (built.output / name).read_bytes() == data


def copy_theme(tmp_path: Path) -> Path:
    import shutil

    theme = tmp_path / "theme"
    shutil.copytree(PROJECT_ROOT / "theme", theme)
    return theme


@pytest.mark.parametrize("target", ["secret-file", "/proc/self/environ"])
def test_a_link_in_the_theme_to_outside_stops_the_build(
    build_small_site: Builder, tmp_path: Path, target: str
) -> None:
    """The tester's case: theme/static/ held a link to the process's environment."""
    secret = tmp_path / "secret-file"
    secret.write_text(SECRET, encoding="utf-8")
    theme = copy_theme(tmp_path)
    link = theme / "static" / "css" / "env.css"
    link.symlink_to(secret if target == "secret-file" else Path(target))
    message = refusal(build_small_site, SITE, {"THEME": str(theme)})
    assert "theme/static/css/env.css" in message and "outside the theme" in message
    assert not (tmp_path / "output").exists()
    assert files_holding(tmp_path, SECRET) == [secret]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("static/.env", "file-hidden"),
        ("static/notes.txt", "file-type"),
        ("static/fonts/license-notes.txt", "file-type"),  # a licence only by its name
        ("static/fonts/LICENSE.html", "file-type"),
        ("static/fonts/sans.ttf", "file-type"),  # renamed: its bytes are no font
        ("static/fonts/sans.eot", "file-type"),
    ],
)
def test_a_stray_file_in_the_theme_stops_the_build(
    build_small_site: Builder, tmp_path: Path, name: str, code: str
) -> None:
    theme = copy_theme(tmp_path)
    (theme / name).parent.mkdir(parents=True, exist_ok=True)
    (theme / name).write_text(SECRET, encoding="utf-8")
    message = refusal(build_small_site, SITE, {"THEME": str(theme)})
    assert f"theme/{name}" in message
    assert files_holding(tmp_path, SECRET) == [theme / name]


# How each font format's bytes begin (an EOT's magic number "LP" is at byte 34).
THEME_FONTS = {
    "static/fonts/sans.ttf": b"\x00\x01\x00\x00" + b"\x00" * 32,
    "static/fonts/sans.otf": b"OTTO" + b"\x00" * 32,
    "static/fonts/sans.eot": b"\x00" * 34 + b"LP",
    "static/fonts/sans.woff2": b"wOF2" + b"\x00" * 32,
    "static/fonts/Sans_LICENSE.txt": b"SIL Open Font License 1.1: ship this with the font.",
    "static/js/LICENSE.txt": b"MIT License: keep this notice with the script.",
}


def test_a_themes_fonts_and_their_licence_texts_are_published(
    build_small_site: Builder, tmp_path: Path
) -> None:
    """Pelican's notmyidea ships TTF and EOT fonts and the font's licence text (the SIL OFL
    asks that it travel with the font): a theme's legitimate files are published."""
    theme = copy_theme(tmp_path)
    for name, data in THEME_FONTS.items():
        (theme / name).parent.mkdir(parents=True, exist_ok=True)
        (theme / name).write_bytes(data)
    built = build_small_site(SITE, {"THEME": str(theme)})
    for name, data in THEME_FONTS.items():
        published = built.output / "theme" / name.removeprefix("static/")
        assert published.read_bytes() == data, name


def test_a_link_to_a_missing_figure_is_named_and_nothing_is_copied(
    build_small_site: Builder, tmp_path: Path
) -> None:
    """A {static} link to a file that is not there: the guard has nothing to vouch for (it
    used to stop with a bare FileNotFoundError); the check names the link."""
    from content_check.runner import load_pelican_settings, run_fast_check

    article = SITE["articles/is-ketamine-safe.md"].replace(
        "side-effects-timeline.svg", "not-drawn-yet.svg"
    )
    assert article != SITE["articles/is-ketamine-safe.md"]
    built = build_small_site({**SITE, "articles/is-ketamine-safe.md": article})
    assert not list(built.output.rglob("not-drawn-yet.svg"))
    settings = {**load_pelican_settings(PROJECT_ROOT, False), "PATH": str(tmp_path / "content")}
    findings, _ = run_fast_check(tmp_path, settings=settings)
    named = {(f.file, f.code) for f in findings}
    assert ("content/articles/is-ketamine-safe.md", "image-missing") in named, findings


def test_a_production_build_never_empties_a_linked_output_folder(
    build_small_site: Builder, tmp_path: Path
) -> None:
    """`pelican -s publishconf.py` with output/ a link: the folder it points at stays whole."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "thesis.docx").write_text(SECRET, encoding="utf-8")
    (tmp_path / "output").symlink_to(elsewhere)
    with pytest.raises(Exception, match="is a link to") as stopped:
        build_small_site(SITE, {"DELETE_OUTPUT_DIRECTORY": True})
    assert type(stopped.value).__name__ == "ContentGuardError"
    assert (elsewhere / "thesis.docx").read_text(encoding="utf-8") == SECRET


def test_a_static_link_to_a_private_file_inside_content_stops_the_build(
    build_small_site: Builder, tmp_path: Path
) -> None:
    """{static} copies a linked file from anywhere in content/, not only from STATIC_PATHS:
    the allow-list applies to it too."""
    private = tmp_path / "content" / "records" / "patients.csv"
    private.parent.mkdir(parents=True)
    private.write_text(SECRET, encoding="utf-8")
    article = SITE["articles/is-ketamine-safe.md"].replace(
        "\n## ", "\n[The list]({static}../records/patients.csv)\n\n## ", 1
    )
    message = refusal(build_small_site, {**SITE, "articles/is-ketamine-safe.md": article})
    assert "content/records/patients.csv" in message and "Only images" in message
    assert files_holding(tmp_path, SECRET) == [private]
