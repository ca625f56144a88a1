"""Progress of the long steps (build, HTML check, audits, transfer) that a publisher waits for.

One small API for ``invoke check --full`` and ``invoke publish``::

    with Progress() as progress:
        with progress.step("Accessibility audit", total=len(pages), unit="pages") as step:
            for page in pages:
                ...
                step.advance()

Progress goes to stderr, so ``--format json`` on stdout stays clean. On a terminal each step
is a Rich bar with done/total, the time taken and the time left. Anywhere else (a CI log, a
pipe) each step prints a plain line when it starts, then at least every 10 % or every 10 s,
whichever comes first, and when it ends. ``progress.where()`` names the step that was running
when Ctrl-C stopped the run, for the one line the caller prints about what was left as it was.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

PLAIN_EVERY_SECONDS = 10.0
PLAIN_LINES = 10  # a line at least every tenth of a step
# What Pelican's article and page generators write a page for, each in its own list.
WRITTEN_CONTENT = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "pages",
    "hidden_pages",
    "hidden_translations",
    "draft_pages",
    "draft_translations",
)


def _duration(seconds: float) -> str:
    """``42 s`` or ``3 min 05 s``."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"


class Step:
    """One step being done: how many of how many, since when."""

    def __init__(self, progress: Progress, label: str, total: int | None, unit: str) -> None:
        self.progress = progress
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self.started = time.monotonic()
        self.last_line = self.started
        self.last_tenth = 0
        self.task_id: Any = None

    def advance(self, amount: int = 1) -> None:
        """Count ``amount`` more units done."""
        with self.progress.lock:
            self.done += amount
            self.progress.show(self)

    def set_total(self, total: int | None) -> None:
        """Say how many units there are, once that is known."""
        with self.progress.lock:
            self.total = total
            self.progress.show(self)

    def describe(self) -> str:
        """``Accessibility audit (40 of 120 pages)``."""
        if self.total is None:
            return f"{self.label} ({self.done:,} {self.unit} so far)".replace(" )", ")")
        return f"{self.label} ({self.done:,} of {self.total:,} {self.unit})".replace(" )", ")")

    def line(self) -> str:
        """The plain progress line: count, share, time taken and, when known, time left."""
        elapsed = time.monotonic() - self.started
        if not self.total:
            done = f"{self.done:,} {self.unit} so far, " if self.unit else ""
            return f"{self.label}: {done}{_duration(elapsed)}"
        share = 100 * self.done // self.total
        text = f"{self.label}: {self.done:,}/{self.total:,} {self.unit} ({share} %)"
        text += f", {_duration(elapsed)}"
        if 0 < self.done < self.total:
            text += f", about {_duration(elapsed / self.done * (self.total - self.done))} left"
        return text.replace("  ", " ")


class Progress:
    """Where a run has got to: a bar per step on a terminal, plain lines elsewhere."""

    def __init__(
        self,
        stream: TextIO | None = None,
        interactive: bool | None = None,
        every_seconds: float = PLAIN_EVERY_SECONDS,
    ) -> None:
        from rich.console import Console

        self.stream = stream or sys.stderr
        # ``interactive`` given: treat the stream as a terminal (True) or not (False).
        self.console = Console(file=stream, stderr=stream is None, force_terminal=interactive)
        self.interactive = self.console.is_terminal if interactive is None else interactive
        self.every_seconds = every_seconds
        self.lock = threading.RLock()
        self.active: list[Step] = []
        self.stopped_in: str = ""
        self._bar: Any = None
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()

    def __enter__(self) -> Progress:
        if self.interactive:
            self._bar = _rich_bar(self.console)
            self._bar.start()
        else:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._bar is not None:
            self._bar.stop()
        if self._ticker is not None:
            self._ticker.join()

    @contextlib.contextmanager
    def step(self, label: str, total: int | None = None, unit: str = "") -> Iterator[Step]:
        """A step of ``total`` units (None: not known yet); shown until the block ends."""
        step = Step(self, label, total, unit)
        with self.lock:
            self.active.append(step)
            if self._bar is not None:
                step.task_id = self._bar.add_task(label, total=total, unit=unit)
            else:
                self._print(f"{label}: started" if total is None else f"{label}: {total:,} {unit}")
        try:
            yield step
        except BaseException:
            self.stopped_in = self.stopped_in or step.describe()
            raise
        finally:
            self._finish(step)

    def note(self, text: str) -> None:
        """One line of information between steps (above the bars on a terminal)."""
        with self.lock:
            if self._bar is not None:
                self._bar.console.print(text, highlight=False, markup=False)
            else:
                self._print(text)

    def where(self) -> str:
        """The step that was running when the run stopped (or is running now)."""
        if self.stopped_in:
            return f"during {self.stopped_in}"
        with self.lock:
            return f"during {self.active[-1].describe()}" if self.active else "between steps"

    def stopped_message(self, left_as_it_was: str) -> str:
        """The one line to print after Ctrl-C: where the run stopped, what was left as it was."""
        return f"Stopped by Ctrl-C {self.where()}: {left_as_it_was}"

    def show(self, step: Step) -> None:
        """Update the bar, or print a line when 10 % more is done (called with the lock)."""
        if self._bar is not None:
            self._bar.update(step.task_id, completed=step.done, total=step.total)
            return
        tenth = step.done * PLAIN_LINES // step.total if step.total else 0
        due = time.monotonic() - step.last_line >= self.every_seconds
        if tenth > step.last_tenth or due:
            step.last_tenth = max(tenth, step.last_tenth)
            self._print(step.line())
            step.last_line = time.monotonic()

    def _finish(self, step: Step) -> None:
        with self.lock:
            self.active.remove(step)
            if self._bar is not None:
                done = step.total if step.total is not None and not self.stopped_in else step.done
                self._bar.update(step.task_id, completed=done, total=step.total or done)
            elif not self.stopped_in:
                took = _duration(time.monotonic() - step.started)
                count = f", {step.done:,} {step.unit}" if step.unit else ""
                self._print(f"{step.label}: done{count} in {took}")

    def _tick(self) -> None:
        """Plain mode: a line for any step that has shown nothing for 10 s."""
        while not self._stop.wait(0.5):
            with self.lock:
                for step in self.active:
                    self.show(step)

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


def _rich_bar(console: Any) -> Any:
    """Rich's progress display: label, bar, done/total, unit, time taken, time left."""
    from rich import progress as rich_progress

    return rich_progress.Progress(
        rich_progress.TextColumn("{task.description}"),
        rich_progress.BarColumn(),
        rich_progress.MofNCompleteColumn(),
        rich_progress.TextColumn("{task.fields[unit]}"),
        rich_progress.TimeElapsedColumn(),
        rich_progress.TextColumn("elapsed,"),
        rich_progress.TimeRemainingColumn(),
        rich_progress.TextColumn("left"),
        console=console,
    )


@contextlib.contextmanager
def pelican_build_step(progress: Progress, label: str = "Build") -> Iterator[Step]:
    """Show a Pelican build run inside the block as a step: articles and pages written.

    The total is known once every generator has read its content; each article or page
    written counts one. Uses Pelican's public signals, connected for the block only.
    """
    from pelican import signals

    with progress.step(label, None, "articles and pages") as step:

        def count_contents(generators: list[Any]) -> None:
            step.set_total(sum(_contents_to_write(generator) for generator in generators))

        def count_written(path: str, context: dict | None = None) -> None:
            if context and ("article" in context or "page" in context):
                step.advance()

        signals.all_generators_finalized.connect(count_contents)
        signals.content_written.connect(count_written)
        try:
            yield step
        finally:
            signals.all_generators_finalized.disconnect(count_contents)
            signals.content_written.disconnect(count_written)


def _contents_to_write(generator: Any) -> int:
    """Articles, pages and their translations (drafts and hidden ones too) a generator holds."""
    return sum(len(getattr(generator, name, None) or ()) for name in WRITTEN_CONTENT)


def counting_copy(step: Step) -> Callable[[str, str], Any]:
    """A ``copy_function`` for :func:`shutil.copytree` that counts each file copied."""

    def copy(source: str, destination: str) -> Any:
        result = shutil.copy2(source, destination)
        step.advance()
        return result

    return copy


def count_files(folder: Path) -> int:
    """How many files a folder holds (the total of a transfer step)."""
    return sum(1 for path in Path(folder).rglob("*") if path.is_file())
