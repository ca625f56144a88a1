"""What a task may delete or replace: only what a build made (`invoke clean`), and only a folder,
remote folder or branch that holds nothing but an earlier publish (`invoke publish`).

A task checks before it builds, and says what it refused and why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from invoke import Exit

from commands.project import BUILD_MARKER, PROJECT_ROOT
from commands.publish_guard import branch_name, untracked_published_sources

# The marker file that lets `publish` replace a folder. It holds nothing private: a fixed
# sentence, the same on every machine and every run.
PUBLISH_MARKER = ".invoke-publish"
PUBLISH_MARKER_TEXT = (
    "This folder holds a site published by `invoke publish`. The next publish replaces "
    "everything in it, so keep nothing else here.\n"
)
# Each publish commit carries this trailer; a branch may be replaced only if all of its commits
# do. Commits made before the trailer existed carry only the subject below (same task).
PUBLISH_TRAILER = "Published-by: invoke publish"
PUBLISHED_COMMIT_PATTERNS = (
    f"^{PUBLISH_TRAILER}$",
    r"^Publish site \([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC\)$",
)
# Any of these at the top of a branch's tree means it holds the project, not a built site.
PROJECT_SOURCES_ON_A_BRANCH = ("pelicanconf.py", "publishconf.py", "tasks.py", "content")


def run_git(repository: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a read-only git command in ``repository``; its output as text, never raising."""
    return subprocess.run(
        ["git", *args], cwd=repository, capture_output=True, text=True, check=False
    )


def tracked_files() -> list[Path]:
    """Files git tracks in this project (empty when this is not a git checkout)."""
    result = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=False
    )
    if result.returncode != 0:
        return []
    return [PROJECT_ROOT / name for name in result.stdout.decode().split("\0") if name]


def source_folders(settings: dict) -> dict[Path, str]:
    """The folders that hold the site's sources, from the settings Pelican reads, with a label."""
    folders = {Path(settings["PATH"]).resolve(): "the site's content"}
    folders[Path(settings["THEME"]).resolve()] = "the theme"
    for plugins in settings["PLUGIN_PATHS"]:
        folders[(PROJECT_ROOT / plugins).resolve()] = "the plugins"
    return folders


def endangers_the_project(folder: Path) -> str | None:
    """Why replacing or deleting ``folder`` would take the project, the home folder or / with it."""
    folder = folder.resolve()
    home = Path.home().resolve()
    if folder == Path(folder.anchor):
        return "it is the root folder of this machine"
    if folder == PROJECT_ROOT:
        return "it is the project folder"
    if folder in PROJECT_ROOT.parents:
        return f"it holds the project folder ({PROJECT_ROOT})"
    if folder == home:
        return "it is your home folder"
    if folder in home.parents:
        return f"it holds your home folder ({home})"
    return None


def protected_inside_project(folder: Path, settings: dict) -> str | None:
    """Why ``folder``, inside the project, is not ours to delete: sources, hidden or tracked."""
    folder = folder.resolve()
    for source, label in source_folders(settings).items():
        name = source.relative_to(PROJECT_ROOT) if PROJECT_ROOT in source.parents else source
        if folder == source or source in folder.parents:
            return f"it is in {name}/, {label}"
        if folder in source.parents:
            return f"it holds {name}/, {label}"
    hidden = [part for part in folder.relative_to(PROJECT_ROOT).parts if part.startswith(".")]
    if hidden:
        return f"it is a hidden folder ({hidden[0]}), kept by git and other tools, not by a build"
    tracked = [path for path in tracked_files() if folder in path.parents]
    if tracked:
        return f"it holds files tracked by git, such as {tracked[0].relative_to(PROJECT_ROOT)}"
    return None


def unsafe_to_delete(folder: Path, settings: dict) -> str | None:
    """Say why ``clean`` must not delete ``folder``, or None when a build made it."""
    folder = folder.resolve()
    reason = endangers_the_project(folder)
    if reason:
        return reason
    if PROJECT_ROOT not in folder.parents:
        return f"it lies outside the project folder {PROJECT_ROOT}"
    reason = protected_inside_project(folder, settings)
    if reason:
        return reason
    if folder.exists() and not (folder / BUILD_MARKER).is_file():
        return (
            f"it holds no build marker ({BUILD_MARKER}), so no build of ours made it. Run "
            "`invoke build` once to mark output/, or delete it yourself if nothing in it is yours"
        )
    return None


def unmarked_folder_reason(destination: Path) -> str | None:
    """Why publishing would delete files in ``destination`` that may not be the site's, or None.

    A folder the publish makes (it does not exist yet), an empty one, or one holding the marker
    of an earlier publish is fine; anything else may hold a person's files.
    """
    if not destination.exists():
        return None
    if not destination.is_dir():
        return "it is a file, not a folder"
    if (destination / PUBLISH_MARKER).is_file() or not any(destination.iterdir()):
        return None
    return (
        f"it holds files but no {PUBLISH_MARKER} marker of an earlier publish, and publishing "
        "replaces everything in it. If it holds only this site, confirm that once with "
        f"`touch {destination / PUBLISH_MARKER}`"
    )


def unsafe_local_destination(destination: Path, settings: dict) -> str | None:
    """Why publishing into the folder ``destination`` on this machine could delete something."""
    reason = endangers_the_project(destination)
    if reason is None and PROJECT_ROOT in destination.parents:
        reason = protected_inside_project(destination, settings)
    return reason or unmarked_folder_reason(destination)


def is_remote(destination: str) -> bool:
    """True for an rsync destination on another machine (``host:path``, ``rsync://``).

    rsync's own rule: a colon before the first slash names a host.
    """
    return destination.startswith("rsync://") or ":" in destination.split("/", 1)[0]


def remote_folder_entries(destination: str) -> list[str] | None:
    """The names in a remote folder, or None when it does not exist yet.

    Asked with ``rsync --list-only``: the same program, login and SSH settings as the transfer
    itself, so it needs nothing more on the server and sees exactly the folder rsync will write.
    """
    print(f"Looking into {destination} before building (rsync --list-only)...", flush=True)
    listing = subprocess.run(
        ["rsync", "--list-only", destination.rstrip("/") + "/"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if listing.returncode == 23 and "No such file or directory" in listing.stderr:
        return None
    if listing.returncode != 0:
        raise Exit(
            f"Could not look into {destination} with rsync ({listing.stderr.strip()}), "
            "so nothing was built or published.",
            code=1,
        )
    # Each line: permissions, size, date, time, name (names may hold spaces).
    names = [line.split(maxsplit=4)[-1] for line in listing.stdout.splitlines() if line.strip()]
    return [name for name in names if name != "."]


def unsafe_remote_destination(destination: str) -> str | None:
    """Why rsync with ``--delete`` into a remote folder could delete files not ours, or None."""
    host, _, path = destination.partition(":")
    if path.startswith("/") and not path.strip("/"):
        return "it is the root folder of that machine"
    if path.rstrip("/") in ("", ".", "~"):
        return "it is the home folder of that account"
    entries = remote_folder_entries(destination)
    if not entries or PUBLISH_MARKER in entries:
        return None
    return (
        f"it holds files but no {PUBLISH_MARKER} marker of an earlier publish, and rsync "
        "--delete removes every file that is not the site's. If it holds only this site, "
        f"confirm that once with `ssh {host} touch {path.rstrip('/')}/{PUBLISH_MARKER}`"
    )


def foreign_branch_history(ref: str, repository: Path) -> str | None:
    """Why ``ref`` (an existing branch) holds work that a publish commit on top would bury."""
    name = ref.removeprefix("refs/heads/").removeprefix("refs/remotes/")
    if run_git(repository, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode:
        return None
    top = set(run_git(repository, "ls-tree", "--name-only", ref).stdout.split())
    sources = [source for source in PROJECT_SOURCES_ON_A_BRANCH if source in top]
    if sources:
        return f"{name} holds the project's sources ({', '.join(sources)})"
    greps = [f"--grep={pattern}" for pattern in PUBLISHED_COMMIT_PATTERNS]
    foreign = run_git(
        repository, "log", "--max-count=1", "--format=%h %s", "--invert-grep", "-E", *greps, ref
    ).stdout.strip()
    if foreign:
        return f"{name} has commits that `invoke publish` did not make, such as {foreign}"
    return None


def unsafe_branch(branch: str, repository: Path = PROJECT_ROOT) -> str | None:
    """Why committing the site onto ``branch`` could replace the writer's work, or None.

    Refused: a branch checked out anywhere (the current one first), a branch whose tree holds
    the project's sources, and one with any commit that `invoke publish` did not make. The
    remote's copy is checked too: ghp-import builds on ``origin/<branch>`` when there is one.
    """
    if run_git(repository, "rev-parse", "--git-dir").returncode:
        return "this project is not a git repository, so it has no branches"
    if run_git(repository, "check-ref-format", "--branch", branch).returncode:
        return "it is not a valid branch name"
    worktree = run_git(
        repository, "for-each-ref", "--format=%(worktreepath)", f"refs/heads/{branch}"
    ).stdout.strip()
    if worktree:
        return f"it is checked out in {worktree}: a branch you work on"
    for ref in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"):
        reason = foreign_branch_history(ref, repository)
        if reason:
            return reason
    return None


def refuse_unsafe_destination(target: str, dest: str, settings: dict) -> str:
    """Stop, before anything is built, a publish that could delete something that is not the site.

    Returns the destination to use: a local path made absolute now, so that the folder the
    transfer writes is the folder checked here, whichever folder a later step runs in.
    """
    if target == "gh-pages":
        destination, reason = branch_name(dest)
        reason = reason or unsafe_branch(destination)
    elif target == "rsync" and shutil.which("rsync") is None:
        destination, reason = dest, "rsync is not installed on this machine"
    elif target == "rsync" and is_remote(dest):
        destination, reason = dest, unsafe_remote_destination(dest)
    else:
        path = Path(dest).expanduser().resolve()
        destination = f"{path}/" if target == "rsync" else str(path)
        reason = unsafe_local_destination(path, settings)
    if reason:
        raise Exit(
            f"Refusing to publish to {dest}: {reason}. Nothing was built or published.", code=1
        )
    return destination


def refuse_untracked_sources(settings: dict, allow: bool) -> None:
    """Stop, before anything is built, a publish of sources git does not track (a stray
    ``patients.csv`` in content/images/, a file dropped into the theme): what is not committed
    was never reviewed. ``--allow-untracked`` or ``PUBLISH_UNTRACKED = True`` let them through.
    """
    content, theme = Path(settings["PATH"]), Path(settings["THEME"])
    found = untracked_published_sources(
        PROJECT_ROOT, content, theme, settings.get("STATIC_PATHS") or []
    )
    if not found:
        return
    names = [os.path.relpath(path, PROJECT_ROOT) for path in found]
    listing = "".join(f"\n  {name}" for name in names[:20])
    listing += f"\n  ... and {len(names) - 20} more" if len(names) > 20 else ""
    if allow or settings.get("PUBLISH_UNTRACKED") is True:
        print(f"Publishing {len(names)} file(s) git does not track (allowed):{listing}")
        return
    raise Exit(
        f"Refusing to publish: {len(names)} file(s) would go live that git does not track, so "
        f"no one reviewed them:{listing}\nCommit them (git add), move them out, or publish "
        "them anyway with --allow-untracked (or PUBLISH_UNTRACKED = True in publishconf.py). "
        "Nothing was built or published.",
        code=1,
    )
