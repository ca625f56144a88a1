"""What `invoke build` and `invoke publish` check about folders, branches and sources (issue 24).

- The output folder: never a symbolic link, never outside the project (a production build
  empties it first: `output/` linked to another folder deleted that folder's files).
- A gh-pages destination written as a ref (``refs/heads/main``) means the branch ``main``,
  never a branch called ``refs/heads/main``.
- Sources not tracked by git (an untracked image, a stray file in the theme) are listed and
  refused by `invoke publish` unless the publisher says so (``--allow-untracked`` or
  ``PUBLISH_UNTRACKED = True``).
- An error with a thousand parts (``shutil.Error`` from a full disk) is said in one line.
- The build's child process stops, with everything it started, when `invoke publish` dies.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

BRANCH_PREFIX = "refs/heads/"


def unsafe_output_folder(folder: Path, project: Path) -> str | None:
    """Why building into ``folder`` (emptied first by a production build) could delete
    files that are not the build's, or None."""
    folder = Path(os.path.abspath(folder))
    project = project.resolve()
    if not folder.is_relative_to(project):
        return f"it lies outside the project folder {project}"
    for path in [folder, *folder.parents]:
        if path == project:
            break
        if path.is_symlink():
            return f"{path} is a symbolic link (to {os.readlink(path)}); a build empties its output"
    if not folder.resolve().is_relative_to(project):
        return f"it resolves to {folder.resolve()}, outside the project folder {project}"
    return None


def branch_name(dest: str) -> tuple[str, str | None]:
    """(the branch, why it is refused or None) for a gh-pages ``--dest``: ``refs/heads/x`` is
    the branch ``x``; any other ref (a tag, a remote's branch) is no branch to publish to."""
    if dest.startswith(BRANCH_PREFIX):
        return dest.removeprefix(BRANCH_PREFIX), None
    if dest.startswith("refs/"):
        return dest, f"{dest} is not a branch: give a branch name, such as gh-pages"
    return dest, None


def untracked_sources(project: Path, folders: Iterable[Path]) -> list[Path] | None:
    """Files under ``folders`` (the content, the theme) that git does not track: ignored ones
    included, since an ignored ``.env`` is the most private of all. None outside git."""
    relative = [str(Path(f).resolve().relative_to(project.resolve())) for f in folders]
    listed = subprocess.run(
        ["git", "ls-files", "--others", "-z", "--", *relative],
        cwd=project, capture_output=True, check=False,
    )  # fmt: skip
    if listed.returncode != 0:
        return None
    names = [name for name in listed.stdout.decode().split("\0") if name]
    return [project / name for name in names if "__pycache__" not in Path(name).parts]


DRAFT_STATUS = re.compile(r"^status:\s*(draft|hidden)\s*$", re.IGNORECASE | re.MULTILINE)


def is_draft(source: Path) -> bool:
    """True for a Markdown source whose metadata says ``Status: draft`` (never published)."""
    try:
        header = source.read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[0]
    except OSError:
        return False
    return bool(DRAFT_STATUS.search(header))


def untracked_published_sources(
    project: Path, content: Path, theme: Path, static_paths: Iterable[str]
) -> list[Path] | None:
    """Untracked files that would reach the published site: articles and pages that are not
    drafts, files under ``STATIC_PATHS``, and anything in the theme. None outside git."""
    found = untracked_sources(project, [content, theme])
    if found is None:
        return None
    statics = [(content / name).resolve() for name in static_paths]

    def reaches_the_site(path: Path) -> bool:
        resolved = path.resolve()
        if resolved.is_relative_to(theme.resolve()):
            return True
        if any(resolved.is_relative_to(folder) for folder in statics):
            return True
        return path.suffix in (".md", ".markdown") and not is_draft(path)

    return [path for path in found if reaches_the_site(path)]


def output_problems(site: Path) -> list[str]:
    """What in a built site must not be transferred: a link (whatever it points at, the host
    would follow it or copy its target), anything that is not a plain file or folder, and a
    hidden file or folder. The last line of defence after content_guard's source checks."""
    site = Path(site)
    problems = []
    for root, dirs, files in os.walk(site):
        for name in sorted(dirs + files):
            path = Path(root, name)
            relative = path.relative_to(site).as_posix()
            if path.is_symlink():
                problems.append(f"{relative} is a link to {os.readlink(path)}")
            elif not (path.is_file() or path.is_dir()):
                problems.append(f"{relative} is not a plain file")
            elif name.startswith("."):
                problems.append(f"{relative} is hidden (its name starts with '.')")
    return problems


def one_line(error: BaseException) -> str:
    """An error in one line: a full disk is "the disk is full", and ``shutil.Error`` (one entry
    per file that failed, 25 KB on a full disk) is its first entry and a count."""
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list):
        failures = error.args[0]
        if not failures:
            return "the copy failed"
        first = failures[0]
        why = first[2] if isinstance(first, tuple) and len(first) == 3 else first
        disk_full = "No space left on device" in str(why)
        lead = "the disk is full" if disk_full else f"{why}"
        more = f" ({len(failures)} files could not be copied)" if len(failures) > 1 else ""
        return f"{lead}{more}"
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        where = f" ({error.filename})" if error.filename else ""
        return f"the disk is full{where}"
    return " ".join(str(error).split())[:300]


def stop_when_orphaned(scratch: Path | None = None, interval: float = 0.5) -> None:
    """In the build's child process (its own process group): when the parent dies (SIGKILL
    leaves no chance to clean up), stop this whole group (Pelican's workers, Chromium, the
    HTML checker) and delete the scratch folder the parent made.

    A thread that polls, not the kernel's parent-death signal: that signal would stop this
    process alone and leave its workers running.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        if scratch is not None:  # deleted once this group has stopped writing into it
            remover = "import shutil, sys, time; time.sleep(1); shutil.rmtree(sys.argv[1], True)"
            subprocess.Popen([sys.executable, "-c", remover, str(scratch)], start_new_session=True)
        os.killpg(os.getpgid(0), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True, name="stop-when-orphaned").start()
