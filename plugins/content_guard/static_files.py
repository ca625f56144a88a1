"""Which files may be copied into the site: an allow-list, not a deny-list (issue 24).

Pelican copies every file under ``STATIC_PATHS`` (content/images/, content/extra/) and the
theme's ``THEME_STATIC_PATHS`` into the output as it is. A stray ``patients.csv``, ``.env`` or
``.git/config`` dropped there would go live, and an ``.html`` page or ``.js`` file would run on
the site's own origin. So:

- a hidden file or anything in a hidden folder (a name starting with ".") never ships;
- content may hold images of known types (their bytes must be that type), fonts, and in
  ``extra/`` the few files it is documented to hold (favicon, robots.txt, _headers...);
- no HTML or JavaScript in content: pages are Markdown, scripts belong to the theme;
- an SVG in content is read and refused if it could run or fetch anything: a script, an event
  handler, ``foreignObject``, a reference to anything but its own ``#fragment``, a
  ``javascript:`` value, or a ``<style>`` with ``url(`` or ``@import``. Our figures (an
  internal ``<style>`` for dark mode, drawn text, ``role="img"``) pass;
- the theme's static files may be stylesheets, scripts, images and fonts (Pelican's own
  themes ship TTF and EOT too; binary ones must have their type's bytes) and a licence text
  by its name (LICENSE.txt, ..._LICENSE.txt, COPYING.txt, OFL.txt): a font's or a script's
  licence asks to travel with it, and a .txt is served as plain text, it cannot run. Any
  other .txt (notes) is refused, and no link under the theme's static folders may resolve
  outside the theme (a link to /proc/self/environ published the build's environment).

Each refusal is a ``Refusal`` (a code, the file, why, the fix): the build stops at
``initialized`` naming the file, and the writer's check reports the same findings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from html_structure import svg_root

# Images by extension, and how each one's bytes begin (a renamed patients.csv is no PNG).
IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "avif": (),  # an ISO box: checked below
    "ico": (b"\x00\x00\x01\x00",),
}
FONT_SIGNATURES: dict[str, tuple[bytes, ...]] = {"woff2": (b"wOF2",), "woff": (b"wOFF",)}
# Older font formats a theme may ship for old browsers (Pelican's notmyidea has TTF and EOT).
THEME_FONT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    **FONT_SIGNATURES,
    "ttf": (b"\x00\x01\x00\x00", b"true"),
    "otf": (b"OTTO",),
    "eot": (),  # its magic number "LP" sits at byte 34: checked below
}
# What content/extra/ is documented to hold (docs/writers.md), copied to the site's root.
EXTRA_FILES = frozenset({
    "favicon.svg", "favicon.ico", "favicon.png", "apple-touch-icon.png", "robots.txt",
    "humans.txt", "security.txt", "_headers", "_redirects", "site.webmanifest",
})  # fmt: skip
SCRIPT_EXTENSIONS = frozenset({
    "html", "htm", "xhtml", "shtml", "xht", "svgz", "js", "mjs", "cjs", "php", "wasm",
})  # fmt: skip
THEME_EXTENSIONS = frozenset({"css", "js", "svg", *THEME_FONT_SIGNATURES, *IMAGE_SIGNATURES})
# A licence by its file name: LICENSE.txt, Yanone_Kaffeesatz_LICENSE.txt, OFL.txt, COPYING.txt.
LICENCE_TEXT = re.compile(r"^(?:[\w.-]+[_-])?(?:licen[cs]e|copying|ofl)\.txt$", re.IGNORECASE)
SVG_REFERENCE = re.compile(r"url\s*\(|@import", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
UNSAFE_SVG_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object"})


def _extension(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def walk_files(folder: Path) -> Iterator[Path]:
    """Every file and link under ``folder``, hidden ones included, links never entered."""
    for root, dirs, files in os.walk(folder):
        for name in sorted(files + [d for d in dirs if Path(root, d).is_symlink()]):
            yield Path(root, name)
        dirs.sort()


def hidden_part(path: Path, folder: Path) -> str | None:
    """The first name under ``folder`` that starts with "." (a hidden file or folder)."""
    return next((part for part in path.relative_to(folder).parts if part.startswith(".")), None)


def _has_signature(path: Path, extension: str) -> bool:
    head = path.read_bytes()[:36]
    if extension == "avif":
        return head[4:8] == b"ftyp"
    if extension == "eot":
        return head[34:36] == b"LP"
    if extension == "webp" and head[8:12] != b"WEBP":
        return False
    signatures = IMAGE_SIGNATURES.get(extension) or THEME_FONT_SIGNATURES.get(extension, ())
    return any(head.startswith(signature) for signature in signatures)


def svg_problem(data: bytes) -> str | None:
    """Why this SVG could run or fetch something when opened on its own, or None."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return "it declares a DOCTYPE or entities"
    try:
        root = svg_root(data)
    except ValueError as error:
        return f"it is not well-formed XML ({error})"
    for element in root.iter():
        name = str(element.tag).rsplit("}", 1)[-1].lower()
        if name in UNSAFE_SVG_ELEMENTS:
            return f"it has a <{name}> element"
        if name == "style" and SVG_REFERENCE.search(element.text or ""):
            return "its <style> loads something (url( or @import)"
        for attribute, value in element.attrib.items():
            problem = _svg_attribute_problem(name, attribute.rsplit("}", 1)[-1].lower(), value)
            if problem:
                return problem
    return None


def _svg_attribute_problem(element: str, attribute: str, value: str) -> str | None:
    if attribute.startswith("on"):
        return f"<{element}> has an event handler ({attribute}=)"
    if attribute == "href" and not value.strip().startswith("#"):
        return f"<{element}> refers to {value!r}, outside the file"
    if JAVASCRIPT_URL.match(value) or "javascript:" in value.lower():
        return f"<{element}> has a script address in {attribute}="
    if attribute == "style" and SVG_REFERENCE.search(value):
        return f"<{element}> has a style that loads something (url( or @import)"
    return None


def content_file_problem(path: Path, folder: Path) -> tuple[str, str, str] | None:
    """(code, why, fix) when the static file ``path`` under the content folder ``folder`` (one
    of ``STATIC_PATHS``) must not be copied into the site, or None."""
    extension = _extension(path)
    in_extra = folder.name == "extra"
    hidden = hidden_part(path, folder)
    if hidden:
        return ("file-hidden", f"{hidden} is hidden (its name starts with \".\"); hidden files "
                "and folders are never published: they are where private files live (.env, "
                ".git, credentials).", "Move it out of content/.")  # fmt: skip
    if extension in SCRIPT_EXTENSIONS:
        return ("file-script", f"A .{extension} file would run on the site's own address; "
                "content holds no HTML or JavaScript.", "Write the page in Markdown in "
                "content/pages/ (or ask a developer to add a script to the theme), and move "
                "this file out of content/.")  # fmt: skip
    if extension == "svg":
        problem = svg_problem(path.read_bytes())
        if problem:
            return ("svg-unsafe", f"This SVG could run or fetch something: {problem}.",
                    "Save it again without scripts, event handlers, links or external "
                    "references (our figures use only shapes, text and an internal <style>), "
                    "or use a PNG.")  # fmt: skip
        return None
    if extension in IMAGE_SIGNATURES or extension in FONT_SIGNATURES:
        if _has_signature(path, extension):
            return None
        return ("file-type", f"This file is named .{extension} but its bytes are not a "
                f"{extension.upper()} file.", "Export the picture again, or move the file out "
                "of content/.")  # fmt: skip
    if in_extra and path.name in EXTRA_FILES:
        return None
    allowed = "images (PNG, JPEG, GIF, WebP, AVIF, ICO, SVG) and fonts (WOFF2, WOFF)"
    if in_extra:
        allowed += f", or one of {', '.join(sorted(EXTRA_FILES))}"
    return ("file-type", f"Only {allowed} are published from {folder.name}/; this file would "
            "go live as it is.", "Move it out of content/ (private files, notes and data never "
            "belong there); link to documents that are meant to be public from an article "
            "instead.")  # fmt: skip


def theme_file_problem(path: Path, theme: Path) -> tuple[str, str, str] | None:
    """(code, why, fix) when a file under the theme's static folders must not be copied."""
    hidden = hidden_part(path, theme)
    if hidden:
        return ("file-hidden", f"{hidden} is hidden; hidden files are never published.",
                "Move it out of the theme.")  # fmt: skip
    if path.is_symlink() and not path.resolve().is_relative_to(theme.resolve()):
        return ("file-outside", f"This is a link to {os.readlink(path)} ({path.resolve()}), "
                "outside the theme; the build would publish whatever it points at.",
                "Delete the link; copy the file into the theme if it belongs there.")  # fmt: skip
    extension = _extension(path)
    if LICENCE_TEXT.match(path.name):
        return None
    if extension not in THEME_EXTENSIONS:
        return ("file-type", f"The theme publishes only {', '.join(sorted(THEME_EXTENSIONS))} "
                "files and licence texts (LICENSE.txt); this one would go live as it is.",
                "Move it out of the theme's static folder.")  # fmt: skip
    binary = extension in IMAGE_SIGNATURES or extension in THEME_FONT_SIGNATURES
    if binary and path.is_file() and not _has_signature(path, extension):
        return ("file-type", f"This file is named .{extension} but its bytes are not a "
                f"{extension.upper()} file.", "Move it out of the theme's static "
                "folder.")  # fmt: skip
    return None
