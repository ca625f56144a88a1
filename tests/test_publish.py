"""`invoke publish` of a reviewed project copy with the clinic's details: to a folder, with
rsync, to a gh-pages branch, run as a publisher would run it.

One copy for the module (``publishable``): the first publish pays for the full production check
and the later ones reuse its kept audit passes. In its own file so that pytest-xdist runs these
minutes of publishing beside test_tasks.py's other commands, not after them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_tasks import (
    PUBLISH_MARKER,
    copy_project,
    git,
    invoke,
    live_site,
    publish_to_folder,
    snapshot,
)

HANDOUT_LINK = r'class="handout__link" href="https://www\.clinic\.test/([^"]+)"'


@pytest.fixture(scope="module")
def publishable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy whose clinic details are supplied and whose articles are reviewed.

    One copy for the module: the first publish runs the full production check (Nu, axe in
    light and dark on every page); the later ones build the same site, so they reuse its kept
    audit passes (.cache/pelican/audit in this copy) and audit nothing again. Nothing is stubbed.
    """
    return copy_project(tmp_path_factory.mktemp("pub") / "project", True, True)


@pytest.mark.slow  # a full production build and audit
def test_publish_to_a_folder(publishable: Path, tmp_path: Path) -> None:
    target = live_site(tmp_path)
    (target / "old-page.html").write_text("stale")
    result = publish_to_folder(publishable, target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (target / "index.html").exists()
    assert (target / "articles").is_dir()
    assert not (target / "old-page.html").exists(), "the old site was not replaced"
    assert "https://www.clinic.test/" in (target / "index.html").read_text(encoding="utf-8")
    # Each article links to its handout (publish turns HANDOUTS on), which is published with it.
    pages = sorted((target / "articles").glob("*/index.html"))
    handouts = [re.findall(HANDOUT_LINK, page.read_text(encoding="utf-8")) for page in pages]
    assert pages and handouts == [[f"articles/{page.parent.name}/{page.parent.name}.pdf"]
                                  for page in pages]  # fmt: skip
    for [handout] in handouts:
        assert (target / handout).read_bytes().startswith(b"%PDF-")
    # The next publish may replace this folder; `clean`'s build marker never goes live.
    assert "invoke publish" in (target / PUBLISH_MARKER).read_text(encoding="utf-8")
    assert not (target / ".invoke-build").exists()
    leftovers = [path.name for path in tmp_path.iterdir() if path.name != "www"]
    assert leftovers == [], "the publish left folders next to the destination"


@pytest.mark.slow  # three production builds and audits
def test_publish_shows_progress_and_audits_again_only_what_changed_or_all(
    publishable: Path, tmp_path: Path
) -> None:
    """A publish shows the build and each audit on stderr; the next one reuses the passes kept
    by content hash (no page audited again, no search run again), and ``--all`` audits every
    page and searches again."""
    target = live_site(tmp_path)
    first = publish_to_folder(publishable, target)
    assert first.returncode == 0, first.stdout + first.stderr
    for step in ("Build", "Links in the built site", "Accessibility (axe-core)"):
        assert f"{step}: done" in first.stderr, first.stderr
    again = publish_to_folder(publishable, target)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Accessibility (axe-core): done, 0 page audits" in again.stderr, again.stderr
    assert "HTML check (Nu): 0 pages" in again.stderr, again.stderr
    assert "Search check: 1 unchanged search passed before" in again.stderr, again.stderr
    every = invoke(
        publishable, "publish", "--target", "folder", "--dest", str(target), "--all",
        siteurl="https://www.clinic.test",
    )  # fmt: skip
    assert every.returncode == 0, every.stdout + every.stderr
    assert "HTML check (Nu): 0 unchanged pages passed before" in every.stderr, every.stderr
    assert "Accessibility (axe-core): done, 0 page audits" not in every.stderr, every.stderr
    assert "Search check: done, 1 search" in every.stderr, every.stderr


@pytest.mark.slow  # a full production build and audit
def test_publish_with_rsync_to_a_local_path(publishable: Path, tmp_path: Path) -> None:
    target = tmp_path / "rsync-target"
    target.mkdir()
    (target / "stale.html").write_text("stale")
    (target / PUBLISH_MARKER).write_text("published earlier\n")  # so --delete may run here
    dry = invoke(
        publishable, "publish", "--target", "rsync", "--dest", f"{target}/", "--dry-run",
        siteurl="https://www.clinic.test",
    )  # fmt: skip
    assert dry.returncode == 0, dry.stdout + dry.stderr
    before = {"stale.html": b"stale", PUBLISH_MARKER: b"published earlier\n"}
    assert snapshot(target) == before, "a dry run changed the target"
    result = invoke(
        publishable, "publish", "--target", "rsync", "--dest", f"{target}/",
        siteurl="https://www.clinic.test",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert (target / "index.html").exists()
    assert not (target / "stale.html").exists(), "--delete-after did not remove old files"
    assert "invoke publish" in (target / PUBLISH_MARKER).read_text(encoding="utf-8")
    assert not (target / ".invoke-build").exists()


@pytest.mark.slow  # a full production build and audit
def test_publish_to_a_gh_pages_branch_makes_one_commit_each_time(publishable: Path) -> None:
    for expected_commits in (1, 2):
        result = invoke(
            publishable, "publish", "--target", "gh-pages", siteurl="https://www.clinic.test"
        )
        assert result.returncode == 0, result.stdout + result.stderr
        log = git(publishable, "log", "--oneline", "gh-pages").splitlines()
        assert len(log) == expected_commits
        # The trailer is what lets the next publish add to this branch.
        assert "Published-by: invoke publish" in git(publishable, "log", "-1", "gh-pages")
    files = git(publishable, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "index.html" in files and ".nojekyll" in files
    assert git(publishable, "branch", "--show-current").strip() == "main"


def test_publish_without_siteurl_says_how_to_set_it(publishable: Path, tmp_path: Path) -> None:
    result = invoke(publishable, "publish", "--target", "folder", "--dest", str(tmp_path / "w"))
    assert result.returncode != 0
    assert "SITEURL" in result.stdout + result.stderr
    assert not (tmp_path / "w").exists()
