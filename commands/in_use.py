"""One task at a time per output folder.

`invoke serve` writes output/ on every save for as long as it runs; `invoke build` writes the
same folder (a production build empties it first and fills it with pages that link to the
real site), and `invoke clean` deletes it. Run beside serve, either would change the
writer's preview under it, or mix the two builds' files; two publishes into one folder would
swap their sites in and out under each other. So each of these tasks holds its
folder while it runs (an advisory lock, ``flock``, on a file under ``.cache/locks``: the
system lets it go when the process ends, however it ends), and a second task that wants the
folder stops at once with one line naming the first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from invoke import Exit

from commands.project import PROJECT_ROOT

LOCKS = PROJECT_ROOT / ".cache" / "locks"
SERVED_AT = " at "  # "`invoke serve` (process 12) at http://127.0.0.1:8000/"


def _lock_file(folder: Path, locks: Path) -> Path:
    name = hashlib.sha256(str(Path(folder).resolve()).encode("utf-8")).hexdigest()[:16]
    return locks / f"{name}.lock"


def served_at(folder: Path, locks: Path = LOCKS) -> str | None:
    """The address a task holding ``folder`` serves it at (``holding``'s ``where``), or None
    when nothing holds it or its holder serves nothing."""
    _, served, address = (_held_by(folder, locks) or "").rpartition(SERVED_AT)
    return address if served and address else None


def _held_by(folder: Path, locks: Path) -> str | None:
    """What holds ``folder`` now (the line ``holding`` wrote), or None when nothing does."""
    try:
        import fcntl

        lock = open(_lock_file(folder, locks), encoding="utf-8")  # noqa: SIM115
    except (ImportError, OSError):
        return None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return lock.read().strip() or None
        fcntl.flock(lock, fcntl.LOCK_UN)
        return None


@contextlib.contextmanager
def holding(folder: Path, task: str, locks: Path = LOCKS, where: str = "") -> Iterator[None]:
    """Hold ``folder`` for ``invoke task`` while the block runs; stop (``Exit``, one line,
    nothing done) when another task holds it. ``where``: the address a server task serves
    the folder at, for other tasks to name. Where the system has no ``flock`` (Windows),
    nothing is held."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    locks.mkdir(parents=True, exist_ok=True)
    with open(_lock_file(folder, locks), "a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another task"
            raise Exit(
                f"{folder} is in use by {holder}. Stop it first (Ctrl-C where it runs), then "
                f"run invoke {task} again. Nothing was changed.",
                code=1,
            ) from None
        lock.truncate(0)
        lock.write(
            f"`invoke {task}` (process {os.getpid()})" + (SERVED_AT + where if where else "")
        )
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
