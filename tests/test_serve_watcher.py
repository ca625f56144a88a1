"""`invoke serve`'s file watcher does not look while a rebuild runs, and misses nothing."""

from __future__ import annotations

import os
from pathlib import Path

from commands.live_rebuild import prompt_watcher


def test_the_watcher_waits_for_the_rebuild_and_then_finds_the_save(tmp_path: Path) -> None:
    """A look during a rebuild would stat every watched file in the server's thread; the save
    made meanwhile is found by the first look after it."""
    article = tmp_path / "article.md"
    article.write_text("Title: A guide\n", encoding="utf-8")
    rebuilds: list[str] = []
    rebuilding = [False]
    watcher = prompt_watcher(busy=lambda: rebuilding[0])
    watcher.watch(str(tmp_path), lambda: rebuilds.append("rebuild"))
    watcher.examine()  # the first look notes the times
    rebuilds.clear()

    rebuilding[0] = True
    article.write_text("Title: A renamed guide\n", encoding="utf-8")
    later = article.stat().st_mtime + 5
    os.utime(article, (later, later))
    watcher.examine()
    assert rebuilds == [], "the watcher looked while a rebuild ran"

    rebuilding[0] = False
    watcher.examine()
    assert rebuilds == ["rebuild"], "the save made during the rebuild was missed"
    watcher.examine()
    assert rebuilds == ["rebuild"], "one save, one rebuild"
