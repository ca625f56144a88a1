"""content_guard: refuses content the writer's check cannot vouch for.

The writer's check (plugins/content_check) reads Markdown, and only files inside ``PATH``
(content/). When Pelican starts (``initialized``: before it deletes the old output, reads a
file or copies one), this plugin stops the build if content/ holds

- an article or page in another format Pelican has a reader for (reST, HTML): the check cannot
  read it, so its claims, references and review dates would go live unchecked;
- a symbolic link, anywhere under content/, that resolves outside content/: the build would
  publish whatever it points at (a link to ``/proc/self/environ`` published the build's
  environment);
- a static file that is not on the allow-list (``static_files.py``: images of known types,
  fonts, the files extra/ is documented to hold; no hidden files, no HTML or JavaScript, only
  SVGs that can run and fetch nothing), and in the theme's static folders a hidden file, a
  file of another type or a link out of the theme.

A ``{static}`` or ``{attach}`` link that climbs out of content/ (``{static}../../etc/passwd``)
is known only once Pelican has read the articles: the files it would copy are checked at
``all_generators_finalized``, after reading and before anything is written or copied.

The writer's check calls the same functions, so the build and the check refuse the same files
with the same words. Files are found with Pelican's own rules (a generator's ``get_files`` with
the readers' extensions, ``IGNORE_FILES`` and ``ARTICLE_EXCLUDES``/``PAGE_EXCLUDES``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator, StaticGenerator
from pelican.readers import MarkdownReader, Readers
from site_errors import SiteError

from .static_files import content_file_problem, theme_file_problem, walk_files

# (kind, the setting with its folders, the setting with its exclusions), as Pelican reads them.
SOURCE_KINDS = (
    ("article", "ARTICLE_PATHS", "ARTICLE_EXCLUDES"),
    ("page", "PAGE_PATHS", "PAGE_EXCLUDES"),
)


class ContentGuardError(SiteError):
    """content/ holds something the writer's check cannot vouch for."""


@dataclass(frozen=True)
class Refusal:
    """One file the build refuses, and why; the writer's check reports it as a finding."""

    path: Path  # as found under content/ (a link is not followed)
    code: str  # the writer's check's finding code
    message: str
    fix: str


@dataclass(frozen=True)
class ContentFile:
    """An article or page source Pelican would read."""

    path: Path
    kind: str  # "article" or "page"
    markdown: bool


def content_root(settings: dict, root: Path | None = None) -> Path:
    """``PATH`` as an absolute folder (relative to ``root``, or to the current folder)."""
    path = Path(settings.get("PATH") or "content")
    return path if path.is_absolute() else (root or Path.cwd()) / path


def source_formats(readers: Readers) -> dict[str, bool]:
    """Every extension Pelican has a reader for (turned off in ``READERS`` or not) and whether
    the reader is Markdown's."""
    classes: dict[str, Any] = dict(readers.reader_classes)
    classes.update({ext: type(reader) for ext, reader in readers.disabled_readers.items()})
    return {
        ext: ext in MarkdownReader.file_extensions
        or (isinstance(cls, type) and issubclass(cls, MarkdownReader))
        for ext, cls in classes.items()
    }


def content_files(
    settings: dict, content_dir: Path, skip: Iterable[Path] = ()
) -> list[ContentFile]:
    """Every article and page source under ``ARTICLE_PATHS``/``PAGE_PATHS`` Pelican would
    read, in any format it has a reader for; folders in ``skip`` (links out) are not entered.

    Articles first, then pages, each folder's files in path order.
    """
    generator = Generator(
        context={},
        settings=settings,
        path=str(content_dir),
        theme=settings["THEME"],
        output_path=settings["OUTPUT_PATH"],
    )
    formats = source_formats(generator.readers)
    skip = set(skip)
    skipped = [os.path.relpath(path, content_dir) for path in skip]
    found = []
    for kind, paths_key, excludes_key in SOURCE_KINDS:
        exclude = [*settings.get(excludes_key, []), *skipped]
        for folder in settings.get(paths_key) or []:
            relatives = generator.get_files([folder], exclude=exclude, extensions=tuple(formats))
            for relative in sorted(relatives, key=Path):
                path = content_dir / relative
                if path in skip:
                    continue
                markdown = formats[path.suffix.lstrip(".")]
                found.append(ContentFile(path, kind, markdown))
    return found


def format_refusal(file: ContentFile, content_dir: Path) -> Refusal:
    """The refusal of an article or page that is not Markdown."""
    return Refusal(
        file.path,
        "file-format",
        f"This site only checks and publishes Markdown; this {file.kind} is a "
        f"{file.path.suffix} file, which the writer's check cannot read, so the build "
        "refuses it.",
        f"Rewrite it in Markdown as {file.path.stem}.md (`invoke new` starts one with every "
        f"field), or move it out of {content_dir.name}/.",
    )


def links_outside(content_dir: Path) -> list[Refusal]:
    """Every symbolic link under ``content_dir`` that resolves outside it (links are looked at,
    never entered). Links that stay inside are fine."""
    root = content_dir.resolve()
    found = []
    for folder, dirs, files in os.walk(content_dir):
        for name in sorted([*dirs, *files]):
            path = Path(folder, name)
            if not path.is_symlink():
                continue
            resolved = path.resolve()
            if not resolved.is_relative_to(root):
                found.append(_link_refusal(path, resolved, content_dir))
    return sorted(found, key=lambda refusal: refusal.path)


def _link_refusal(path: Path, resolved: Path, content_dir: Path) -> Refusal:
    target = os.readlink(path)
    where = target if target == str(resolved) else f"{target} ({resolved})"
    return Refusal(
        path,
        "file-outside",
        f"This is a link to {where}, outside {content_dir.name}/; the build would publish "
        "whatever it points at, so it refuses the link.",
        f"Delete the link. If the file belongs on the site, copy it into {content_dir.name}/.",
    )


def static_folders(settings: dict, content_dir: Path) -> list[tuple[Path, Path]]:
    """(path, its static folder) for each of ``STATIC_PATHS`` that exists (a folder or a file)."""
    found = []
    for name in settings.get("STATIC_PATHS") or []:
        path = content_dir / name
        if path.is_dir() and not path.is_symlink():
            found.append((path, path))
        elif path.exists() or path.is_symlink():
            found.append((path, path.parent))
    return found


def unsafe_static_files(
    settings: dict, content_dir: Path, skip: Iterable[Path] = ()
) -> list[Refusal]:
    """Every file under ``STATIC_PATHS`` that is not on the allow-list (``static_files.py``);
    links in ``skip`` (already refused: they point out of content/) are not read."""
    skip = set(skip)
    found = {}
    for path, folder in static_folders(settings, content_dir):
        files = walk_files(path) if path.is_dir() and not path.is_symlink() else [path]
        for file in files:
            if file in skip or any(parent in skip for parent in file.parents):
                continue
            problem = content_file_problem(file, folder)
            if problem:
                found[file] = Refusal(file, *problem)
    return sorted(found.values(), key=lambda refusal: refusal.path)


def theme_static_folders(settings: dict) -> tuple[Path, list[Path]]:
    """The theme folder and its static folders (``THEME_STATIC_PATHS``) that exist."""
    theme = Path(settings.get("THEME") or "theme")
    folders = [theme / name for name in settings.get("THEME_STATIC_PATHS") or ["static"]]
    return theme, [folder for folder in folders if folder.exists() or folder.is_symlink()]


def unsafe_theme_files(settings: dict) -> list[Refusal]:
    """Every file the theme would copy into the site that is hidden, of another type, or a
    link out of the theme (a static folder that is itself such a link included)."""
    theme, folders = theme_static_folders(settings)
    found = []
    for folder in folders:
        files = [folder] if folder.is_symlink() else walk_files(folder)
        for file in files:
            if (
                file.is_symlink()
                and file.is_dir()
                and file.resolve().is_relative_to(theme.resolve())
            ):
                continue  # a folder linked inside the theme: its files are walked where they are
            problem = theme_file_problem(file, theme)
            if problem:
                found.append(Refusal(file, *problem))
    return found


def unvouched_content(settings: dict, content_dir: Path) -> list[Refusal]:
    """Links out of content/, articles and pages that are not Markdown, static files not on
    the allow-list, then the theme's static files that must not ship."""
    outside = links_outside(content_dir)
    skipped = [r.path for r in outside]
    files = content_files(settings, content_dir, skip=skipped)
    return (
        outside
        + [format_refusal(f, content_dir) for f in files if not f.markdown]
        + unsafe_static_files(settings, content_dir, skip=skipped)
        + unsafe_theme_files(settings)
    )


def refusal_report(refusals: list[Refusal], content_dir: Path) -> str:
    """The build's message: one line per refused file, named from the project's folder."""
    lines = [
        f"content_guard: refusing to build: {len(refusals)} file(s) that the writer's check "
        "cannot vouch for:"
    ]
    for refusal in refusals:
        name = os.path.relpath(refusal.path, content_dir.parent)
        if name.startswith(".."):  # a theme kept outside the project's folder
            name = str(refusal.path)
        lines.append(f"  {name}: {refusal.message} {refusal.fix}")
    lines.append("`invoke check` lists the same files.")
    return "\n".join(lines)


def refuse_unvouched_content(pelican: Any) -> None:
    """``initialized``: stop the build before anything is read, deleted or copied."""
    output = Path(pelican.settings.get("OUTPUT_PATH") or "output")
    if pelican.settings.get("DELETE_OUTPUT_DIRECTORY") and output.is_symlink():
        raise ContentGuardError(
            f"content_guard: refusing to build: the output folder {output} is a link to "
            f"{os.readlink(output)}, and this build empties its output folder first. Remove "
            "the link (or build into a real folder): nothing was deleted."
        )
    content_dir = content_root(pelican.settings)
    refusals = unvouched_content(pelican.settings, content_dir)
    if refusals:
        raise ContentGuardError(refusal_report(refusals, content_dir))


def static_files_outside(generators: Iterable[Any], content_dir: Path) -> list[Refusal]:
    """The files Pelican would copy from outside content/ (``{static}``/``{attach}`` links
    that climb out), one refusal per content file that links to one."""
    root = content_dir.resolve()
    refusals = []
    for generator in generators:
        if not isinstance(generator, StaticGenerator):
            continue
        folders = static_folders(generator.settings, content_dir)
        for static in generator.staticfiles:
            source = Path(static.source_path)
            if not source.resolve().is_relative_to(root):
                refusals += _static_refusals(source, static, generator.context, content_dir)
                continue
            if not source.exists():
                continue  # a link to a missing file: nothing is copied; the check names it
            # A {static} link copies a file from anywhere in content/, not only STATIC_PATHS:
            # the same allow-list applies to it.
            folder = next(
                (f for path, f in folders if source == path or path in source.parents), content_dir
            )
            problem = content_file_problem(source, folder)
            if problem:
                refusals.append(Refusal(source, *problem))
    return sorted(refusals, key=lambda refusal: refusal.path)


def _static_refusals(source: Path, static: Any, context: dict, content_dir: Path) -> list[Refusal]:
    linked = os.path.normpath(static.relative_source_path)
    linking = [
        Path(content.source_path)
        for content in context.get("generated_content", {}).values()
        if linked in {os.path.normpath(p) for p in content.get_static_links()}
    ]
    return [
        Refusal(
            path,
            "link-outside",
            f"A {{static}} or {{attach}} link here points at {source}, outside "
            f"{content_dir.name}/; the build would copy that file, so it refuses the link.",
            f"Link only to files in {content_dir.name}/: copy the file there if it belongs "
            "on the site, and link to the copy.",
        )
        for path in sorted(linking) or [source]
    ]


def refuse_static_files_outside(generators: list[Any]) -> None:
    """``all_generators_finalized``: stop the build before a file from outside is copied."""
    if not generators:
        return
    content_dir = content_root(generators[0].settings)
    refusals = static_files_outside(generators, content_dir)
    if refusals:
        raise ContentGuardError(refusal_report(refusals, content_dir))


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(refuse_unvouched_content)
    signals.all_generators_finalized.connect(refuse_static_files_outside)
