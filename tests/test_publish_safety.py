"""Nothing of the writer's is ever deleted by `publish`, `clean` or `new` (issue 13).

Every test works in throwaway folders: a copy of the project (its own git repository, as in
test_tasks.py) at ``P/proj`` next to a sibling folder ``P/sibling``. Data-loss tests hash both
trees, ``.git`` included, before and after: byte for byte, nothing may change. Refusals must come
before any build, so those tests run in seconds and assert that no build started.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from prewarmed import PREWARMED
from test_tasks import copy_project, git

sys.path.insert(0, str(PROJECT_ROOT))
from invoke import Exit

from commands import publish, publish_guard, safety  # the commands' safety checks
from commands.project import load_settings

SETTINGS = load_settings()  # pelicanconf.py: where the sources are, for the refusals

SITEURL = "https://www.clinic.test"
BUILD_STARTED = "Building the production site"
# Refusals come before the build, in a few seconds even on a busy machine. A build and its
# check take 20 s or more, so a command still running after this is stopped, most likely before
# it could transfer anything: a refusal that regressed fails here. (Every destination these
# tests name lies in a throwaway folder; "/" is only ever checked in this process.)
REFUSAL_SECONDS = 15
# A shell that stands in for ssh: rsync runs "<rsh> host command...", this runs the command
# here. So a "remote" rsync destination is tested for real, without a network or an SSH server.
FAKE_SSH = '#!/bin/sh\nshift\nexec sh -c "$*"\n'


def tree_digest(folder: Path, leave_out: str = "") -> str:
    """One hash over every path, file's bytes, mode and link target under ``folder`` (but the
    top-level folder named ``leave_out``, hashed on its own)."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        if root == str(folder) and leave_out in dirs:
            dirs.remove(leave_out)
        dirs.sort()
        for name in sorted(dirs + files):
            path = Path(root, name)
            info = path.lstat()
            digest.update(f"{path.relative_to(folder)}\0{stat.filemode(info.st_mode)}\0".encode())
            if path.is_symlink():
                digest.update(os.readlink(path).encode())
            elif stat.S_ISREG(info.st_mode):
                digest.update(path.read_bytes())
    return digest.hexdigest()


class Nest:
    """``P/proj`` (the project) beside ``P/sibling`` (a folder of the writer's), and a fake home."""

    def __init__(self, tmp_path: Path) -> None:
        self.parent = tmp_path / "P"
        self.project = copy_project(self.parent / "proj", supplied_details=True, reviewed=True)
        self.sibling = self.parent / "sibling"
        self.sibling.mkdir()
        (self.sibling / "patients-notes.txt").write_text("Not part of any site.\n")
        self.home = tmp_path / "users" / "writer"
        self.home.mkdir(parents=True)
        (self.home / "letters.txt").write_text("The publisher's own files.\n")
        self.temp = tmp_path / "tmp"
        self.temp.mkdir()
        self.digests = self.digest()

    def digest(self) -> dict[str, str]:
        """The hash of each tree that must survive (the project's, and its .git on its own)."""
        return {
            "project": tree_digest(self.project, leave_out=".git"),
            ".git": tree_digest(self.project / ".git"),
            "sibling": tree_digest(self.sibling),
            "home": tree_digest(self.home),
        }

    def run(self, *args: str, **env: str) -> tuple[subprocess.CompletedProcess, float]:
        """``invoke <args>`` in the project, with the fake home; its result and its duration.

        Killed after REFUSAL_SECONDS: every command run here must refuse, quickly. Run from a
        process that has imported invoke and Pelican already (tests/prewarmed.py).
        """
        environment = {k: v for k, v in os.environ.items() if k != "SITEURL"}
        environment |= {"SITEURL": SITEURL, "HOME": str(self.home), "TMPDIR": str(self.temp),
                        "PYTHONDONTWRITEBYTECODE": "1", **env}  # fmt: skip
        started = time.monotonic()
        try:
            result = PREWARMED.run(list(args), self.project, environment, REFUSAL_SECONDS)
        except subprocess.TimeoutExpired as running:
            pytest.fail(f"no refusal within {REFUSAL_SECONDS} s; it printed: {running.stdout!r}")
        return result, time.monotonic() - started

    def assert_refused_before_building(
        self, result: subprocess.CompletedProcess, seconds: float, *reasons: str
    ) -> None:
        """Refused, saying why, before any build; and every tree byte-for-byte as it was."""
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Refusing to publish" in result.stderr, result.stderr
        for reason in reasons:
            assert reason in result.stderr
        assert "Nothing was built or published" in result.stderr
        assert BUILD_STARTED not in result.stdout, "the build started before the refusal"
        assert seconds < REFUSAL_SECONDS
        assert list(self.temp.iterdir()) == [], "a temporary build was made"
        assert self.digest() == self.digests


@pytest.fixture
def nest(tmp_path: Path) -> Nest:
    """A fresh project copy next to a sibling folder, all in a throwaway folder."""
    return Nest(tmp_path)


def fake_ssh(tmp_path: Path) -> str:
    """The path of a stand-in for ssh (see FAKE_SSH)."""
    script = tmp_path / "fake-ssh"
    script.write_text(FAKE_SSH)
    script.chmod(0o755)
    return str(script)


def test_a_second_publish_into_one_folder_stops_at_once_and_changes_nothing(nest: Nest) -> None:
    """Two publishes into one folder would swap their sites in and out under each other: while
    one runs, the other stops before building, naming it."""
    from commands.in_use import holding

    dest = nest.parent / "www"
    with holding(dest, "publish", nest.project / ".cache" / "locks"):  # a publish running
        nest.digests = nest.digest()  # with the lock file that publish made
        result, seconds = nest.run("publish", "--target", "folder", "--dest", str(dest))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{dest} is in use by `invoke publish` (process {os.getpid()})" in result.stderr
    assert "then run invoke publish again. Nothing was changed." in result.stderr
    assert BUILD_STARTED not in result.stdout, "the build started before the refusal"
    assert seconds < REFUSAL_SECONDS
    assert list(nest.temp.iterdir()) == [], "a temporary build was made"
    assert nest.digest() == nest.digests
    assert not dest.exists()


# --- Item 1: destinations that hold the project, home or / ----------------------------------


@pytest.mark.parametrize("target", ["folder", "rsync"])
def test_publish_refuses_a_folder_that_holds_the_project(nest: Nest, target: str) -> None:
    """The issue's case: the project at P/proj, published into P (rsync: P/)."""
    dest = str(nest.parent) + ("/" if target == "rsync" else "")
    result, seconds = nest.run("publish", "--target", target, "--dest", dest)
    nest.assert_refused_before_building(result, seconds, "holds the project folder", dest)


@pytest.mark.parametrize("target", ["folder", "rsync"])
@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("project", "is the project folder"),
        ("home", "is your home folder"),
        ("home-parent", "holds your home folder"),
        ("content", "content/"),
        ("theme", "theme/"),
        ("git", "hidden folder"),
        ("sibling", "no .invoke-publish marker"),
    ],
)
def test_publish_refuses_a_folder_it_could_destroy(
    nest: Nest, target: str, where: str, reason: str
) -> None:
    dest = {
        "project": ".",
        "home": str(nest.home),
        "home-parent": str(nest.home.parent),
        "content": "content/articles",
        "theme": "theme",
        "git": ".git",
        "sibling": str(nest.sibling),
    }[where]
    result, seconds = nest.run("publish", "--target", target, "--dest", dest)
    nest.assert_refused_before_building(result, seconds, reason)


def test_a_refusal_says_how_to_confirm_a_folder_of_this_site(nest: Nest) -> None:
    result, _ = nest.run("publish", "--target", "folder", "--dest", str(nest.sibling))
    assert f"touch {nest.sibling / '.invoke-publish'}" in result.stderr


def test_the_root_folder_is_never_a_destination() -> None:
    """Checked in this process: a regression must never get to run rsync --delete on /."""
    assert "root folder" in (safety.unsafe_local_destination(Path("/"), SETTINGS) or "")
    assert "root folder" in (safety.unsafe_remote_destination("host:/") or "")
    assert "root folder" in (safety.unsafe_remote_destination("user@host://") or "")


@pytest.mark.parametrize("path", ["", "~", "~/", "."])
def test_a_remote_home_folder_is_never_a_destination(path: str) -> None:
    assert "home folder" in (safety.unsafe_remote_destination(f"user@host:{path}") or "")


def test_publish_refuses_a_remote_folder_rsync_could_empty(nest: Nest, tmp_path: Path) -> None:
    dest = f"fakehost:{nest.sibling}/"
    result, seconds = nest.run(
        "publish", "--target", "rsync", "--dest", dest, RSYNC_RSH=fake_ssh(tmp_path)
    )
    nest.assert_refused_before_building(
        result, seconds, "no .invoke-publish marker", "ssh fakehost"
    )


def test_remote_folders_rsync_may_write_to(tmp_path: Path, monkeypatch) -> None:
    """A remote folder that is new, empty or marked by an earlier publish is fine (no build)."""
    monkeypatch.setenv("RSYNC_RSH", fake_ssh(tmp_path))
    (tmp_path / "empty").mkdir()
    (tmp_path / "marked").mkdir()
    (tmp_path / "marked" / "index.html").write_text("an earlier publish")
    (tmp_path / "marked" / safety.PUBLISH_MARKER).write_text(safety.PUBLISH_MARKER_TEXT)
    for name in ("new", "empty", "marked"):
        assert safety.unsafe_remote_destination(f"fakehost:{tmp_path / name}/") is None, name


def test_local_folders_a_publish_may_replace(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "marked").mkdir()
    (tmp_path / "marked" / "index.html").write_text("an earlier publish")
    (tmp_path / "marked" / safety.PUBLISH_MARKER).write_text(safety.PUBLISH_MARKER_TEXT)
    for name in ("new", "empty", "marked"):
        assert safety.unsafe_local_destination(tmp_path / name, SETTINGS) is None, name


def test_the_publish_marker_holds_nothing_private() -> None:
    text = safety.PUBLISH_MARKER_TEXT
    assert "invoke publish" in text
    assert len(text) < 200
    for private in (str(Path.home()), os.environ.get("USER", "root"), str(PROJECT_ROOT), "http"):
        assert private not in text


# --- Item 2: branches that hold the writer's work ---------------------------------------------


def test_publish_refuses_the_current_branch(nest: Nest) -> None:
    result, seconds = nest.run("publish", "--target", "gh-pages", "--dest", "main")
    nest.assert_refused_before_building(result, seconds, "checked out")


def test_publish_refuses_a_branch_that_holds_the_sources(nest: Nest) -> None:
    git(nest.project, "branch", "drafts")
    nest.digests = nest.digest()
    result, seconds = nest.run("publish", "--target", "gh-pages", "--dest", "drafts")
    nest.assert_refused_before_building(result, seconds, "holds the project's sources")


def test_publish_refuses_a_branch_with_commits_it_did_not_make(nest: Nest) -> None:
    """A site branch a person made by hand: only index.html, but their own commit."""
    git(nest.project, "checkout", "-q", "--orphan", "site")
    git(nest.project, "rm", "-rq", "--cached", ".")
    git(nest.project, "clean", "-fdq")
    (nest.project / "index.html").write_text("<p>Hand-made page</p>")
    git(nest.project, "add", "index.html")
    git(nest.project, "commit", "-q", "-m", "My hand-made page")
    git(nest.project, "checkout", "-q", "-f", "main")
    nest.digests = nest.digest()
    result, seconds = nest.run("publish", "--target", "gh-pages", "--dest", "site")
    nest.assert_refused_before_building(result, seconds, "did not make", "My hand-made page")


def commit_on(repository: Path, branch: str, message: str) -> None:
    """One commit holding only index.html on ``branch`` (made if new), like a site commit."""
    blob = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"], cwd=repository, input="<p>site</p>",
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    tree = subprocess.run(
        ["git", "mktree"], cwd=repository, input=f"100644 blob {blob}\tindex.html\n",
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    parent = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
        cwd=repository, capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    commit = git(
        repository, "commit-tree", tree, "-m", message, *(["-p", parent] if parent else [])
    )
    git(repository, "update-ref", f"refs/heads/{branch}", commit.strip())


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """An empty git repository with one commit on main."""
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "pelicanconf.py").write_text("SITENAME = 'x'\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Sources")
    return tmp_path


def test_branches_the_publish_made_may_get_another_commit(repository: Path) -> None:
    commit_on(repository, "gh-pages", "Publish site (2025-01-02 10:11 UTC)")  # before trailers
    commit_on(
        repository, "gh-pages", f"Publish site (2026-01-02 10:11 UTC)\n\n{safety.PUBLISH_TRAILER}"
    )
    assert safety.unsafe_branch("gh-pages", repository) is None
    assert safety.unsafe_branch("a-new-branch", repository) is None


def test_one_foreign_commit_makes_a_branch_untouchable(repository: Path) -> None:
    commit_on(
        repository, "gh-pages", f"Publish site (2026-01-02 10:11 UTC)\n\n{safety.PUBLISH_TRAILER}"
    )
    commit_on(repository, "gh-pages", "Fix a typo on the live page by hand")
    assert "Fix a typo" in (safety.unsafe_branch("gh-pages", repository) or "")


def test_the_remote_copy_of_a_branch_counts_too(repository: Path) -> None:
    """ghp-import builds on origin/<branch> when there is one, so that is checked as well."""
    commit_on(repository, "theirs", "A colleague's work")
    commit = git(repository, "rev-parse", "theirs").strip()
    git(repository, "update-ref", "refs/remotes/origin/gh-pages", commit)
    git(repository, "branch", "-D", "theirs")
    assert "A colleague's work" in (safety.unsafe_branch("gh-pages", repository) or "")


def test_no_branch_outside_a_git_repository(tmp_path: Path) -> None:
    assert "not a git repository" in (safety.unsafe_branch("gh-pages", tmp_path) or "")


# --- Item 3: clean deletes only what a build made ------------------------------------------


def set_output_path(project: Path, value: str) -> None:
    """Point OUTPUT_PATH in the copy's pelicanconf.py at ``value``."""
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\nOUTPUT_PATH = {value!r}\n")


def test_clean_never_deletes_git(nest: Nest) -> None:
    set_output_path(nest.project, ".git")
    nest.digests = nest.digest()
    result, _ = nest.run("clean")
    assert result.returncode == 1
    assert "hidden folder" in result.stderr and "Nothing was deleted" in result.stderr
    assert nest.digest() == nest.digests


def test_clean_never_deletes_the_theme_without_git(nest: Nest) -> None:
    """Without git nothing is 'tracked': the theme is still a source folder."""
    subprocess.run(["rm", "-rf", str(nest.project / ".git")], check=True)
    set_output_path(nest.project, "theme")
    before = tree_digest(nest.project)
    result, _ = nest.run("clean")
    assert result.returncode == 1
    assert "theme/" in result.stderr and "Nothing was deleted" in result.stderr
    assert tree_digest(nest.project) == before


def test_clean_never_deletes_an_output_folder_no_build_marked(nest: Nest) -> None:
    """output/ made by a person (or another tool): no build marker, so not ours to delete."""
    (nest.project / "output").mkdir()
    (nest.project / "output" / "draft-notes.txt").write_text("Mine.\n")
    nest.digests = nest.digest()
    result, _ = nest.run("clean")
    assert result.returncode == 1
    assert "no build marker" in result.stderr and "Nothing was deleted" in result.stderr
    assert nest.digest() == nest.digests


# --- Item 4: a stopped publish cleans up and says what it left as it was ----------------------


def add_articles(project: Path, count: int) -> None:
    """Copies of the reviewed articles, so that the build's worker processes are busy a while."""
    articles = sorted((project / "content" / "articles").glob("*.md"))
    for number in range(count):
        source = articles[number % len(articles)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^Title: (.*)$", rf"Title: \1 {number}", text, count=1, flags=re.M)
        text = re.sub(r"^Slug: (.*)$", rf"Slug: \1-{number}", text, count=1, flags=re.M)
        (source.parent / f"{source.stem}-{number}.md").write_text(text, encoding="utf-8")


def wait_for_reading_workers(publish: subprocess.Popen, scratch: Path) -> None:
    """Wait until the build and its two reading workers run: Pelican is converting the
    articles then. The build names its scratch folder, and the workers, forked from it, do
    too. Polling, not a fixed sleep: a faster build, or a busy machine, moves that moment."""
    deadline = time.monotonic() + 120
    while len(processes_mentioning(str(scratch))) < 3:
        assert publish.poll() is None, "the publish ended before its build's workers ran"
        assert time.monotonic() < deadline, "the build's reading workers never started"
        time.sleep(0.02)
    time.sleep(0.3)  # and now converting (a signal during a fork itself may be lost, as ever)


def stop_while_building(
    publish: subprocess.Popen, how: signal.Signals, to_group: bool, scratch: Path
) -> tuple[str, str]:
    """Send ``how`` to ``publish`` while its reading workers convert; what it printed then."""
    assert publish.stdout is not None
    for line in publish.stdout:
        if BUILD_STARTED in line:
            break
    wait_for_reading_workers(publish, scratch)
    assert publish.poll() is None, "the publish ended before it could be stopped"
    if to_group:
        os.killpg(publish.pid, how)
    else:
        publish.send_signal(how)
    return publish.communicate(timeout=60)


@pytest.mark.slow  # a publish stopped while it builds, in a copy
@pytest.mark.parametrize(
    ("how", "to_group"),
    [(signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["ctrl-c-to-the-group", "sigterm-to-the-process"],
)
def test_a_stopped_publish_leaves_nothing_behind(
    nest: Nest, tmp_path: Path, how: signal.Signals, to_group: bool
) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or SIGTERM (to the
    process alone, as a CI service cancelling a job does) while the site builds."""
    add_articles(nest.project, 200)
    git(nest.project, "add", "-A")  # committed: publish refuses untracked sources
    git(nest.project, "commit", "-q", "-m", "More articles")
    target = tmp_path / "www"
    target.mkdir()
    (target / "index.html").write_text("the live site")
    (target / ".invoke-publish").write_text("published earlier\n")
    live = tree_digest(target)
    beside = sorted(path.name for path in tmp_path.iterdir())
    env = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    env |= {"SITEURL": SITEURL, "TMPDIR": str(nest.temp), "PYTHONDONTWRITEBYTECODE": "1"}
    publish = subprocess.Popen(
        [sys.executable, "-u", "-m", "invoke", "publish", "--target", "folder", "--dest",
         str(target)],
        cwd=nest.project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group, like a command typed in a terminal
    )  # fmt: skip
    try:
        stdout, stderr = stop_while_building(publish, how, to_group, nest.temp)
    finally:  # whatever failed, leave no process of this test running
        with contextlib.suppress(ProcessLookupError):
            os.killpg(publish.pid, signal.SIGKILL)
    assert publish.returncode == 130, stdout + stderr
    assert f"Stopped: nothing was published; {target} is as it was." in stderr
    assert "Traceback" not in stderr, stderr
    time.sleep(1)  # anything still running would go on writing
    assert list(nest.temp.iterdir()) == [], "the temporary build was left behind"
    after = sorted(path.name for path in tmp_path.iterdir())
    assert after == beside, "something was left next to the destination"
    assert tree_digest(target) == live


def test_a_failed_copy_leaves_no_incoming_folder(tmp_path: Path) -> None:
    """A copy that fails half-way (here a named pipe, which shutil refuses to copy; on a real
    machine a full disk) removes its partial copy and leaves the live site as it was."""
    site = tmp_path / "site"
    site.mkdir()
    for number in range(50):
        (site / f"page-{number}.html").write_text("new page " * 1000)
    os.mkfifo(site / "zz-pipe")
    target = tmp_path / "www"
    target.mkdir()
    (target / "index.html").write_text("the live site")
    live = tree_digest(target)
    with pytest.raises(Exit) as stopped:
        publish.transfer_to_folder(site, target, dry_run=False)
    assert f"nothing was published; {target} is as it was" in str(stopped.value.message)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site", "www"]
    assert tree_digest(target) == live


# --- Item 5: `invoke new` with a title that gives no usable file name ------------------------


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("!!! ???", "no letters or numbers"),
        ("\N{SLIGHTLY SMILING FACE}\N{PILL}", "no letters or numbers"),
        ("Ketamine " * 10, "the most is 80 (CHECK_MAX_SLUG)"),
        ("Dose_response notes", "lower-case words and numbers"),
    ],
)
def test_new_refuses_a_title_without_a_usable_file_name(
    nest: Nest, title: str, reason: str
) -> None:
    articles = nest.project / "content" / "articles"
    before = tree_digest(articles)
    result, _ = nest.run("new", title)
    assert result.returncode == 1, result.stdout + result.stderr
    assert reason in result.stderr
    assert "nothing was created" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(articles) == before
    assert not (articles / ".md").exists()


# --- Issue 24: the output folder, branches given as refs, folders beside the destination ----


def test_build_refuses_an_output_folder_that_is_a_link(nest: Nest, tmp_path: Path) -> None:
    """The tester's case: output/ a link to a folder outside the project; `invoke build
    --production` emptied that folder. Now refused before anything is built or deleted."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "thesis.docx").write_text("Years of work.\n")
    (nest.project / "output").symlink_to(elsewhere)
    before = tree_digest(elsewhere)
    result, seconds = nest.run("build", "--production")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Refusing to build into" in result.stderr and "symbolic link" in result.stderr
    assert "Nothing was deleted or built" in result.stderr
    assert seconds < REFUSAL_SECONDS
    assert tree_digest(elsewhere) == before


def test_an_output_folder_outside_the_project_is_refused(tmp_path: Path) -> None:
    guard = publish_guard
    project = tmp_path / "proj"
    (project / "sub").mkdir(parents=True)
    (project / "link").symlink_to(tmp_path)
    assert guard.unsafe_output_folder(project / "output", project) is None
    assert "outside the project" in guard.unsafe_output_folder(tmp_path / "out", project)
    assert "symbolic link" in guard.unsafe_output_folder(project / "link" / "out", project)


def test_a_branch_given_as_a_ref_is_that_branch(nest: Nest) -> None:
    """`--dest refs/heads/main` is the branch main (refused: checked out), never a new branch
    named refs/heads/refs/heads/main."""
    result, seconds = nest.run("publish", "--target", "gh-pages", "--dest", "refs/heads/main")
    nest.assert_refused_before_building(result, seconds, "it is checked out in")
    refs = git(nest.project, "for-each-ref", "--format=%(refname)").split()
    assert "refs/heads/refs/heads/main" not in refs


def test_a_ref_that_is_not_a_branch_is_refused(nest: Nest) -> None:
    result, seconds = nest.run("publish", "--target", "gh-pages", "--dest", "refs/tags/v1")
    nest.assert_refused_before_building(result, seconds, "is not a branch")


def test_a_folder_of_the_publishers_beside_the_destination_is_never_deleted(
    tmp_path: Path,
) -> None:
    """The tester's case: publish set the old site aside as `.retired-www`, deleting whatever
    was there first: a folder of the publisher's with that name (no marker) went."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the new site")
    target = tmp_path / "www"
    target.mkdir()
    (target / "index.html").write_text("the live site")
    (target / safety.PUBLISH_MARKER).write_text("published earlier\n")
    mine = tmp_path / ".retired-www"
    mine.mkdir()
    (mine / "backup-of-patients-list.txt").write_text("Keep me.\n")
    also_mine = tmp_path / ".retired-www-notes"  # looks like ours, but holds no marker
    also_mine.mkdir()
    (also_mine / "notes.txt").write_text("Keep me too.\n")
    killed = tmp_path / ".retired-www-k1ll3d"  # an old site a killed publish set aside
    killed.mkdir()
    (killed / safety.PUBLISH_MARKER).write_text("published earlier\n")
    kept = tree_digest(mine), tree_digest(also_mine)
    publish.transfer_to_folder(site, target, dry_run=False)
    assert (target / "index.html").read_text() == "the new site"
    assert (tree_digest(mine), tree_digest(also_mine)) == kept
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".retired-www",
        ".retired-www-notes",
        "site",
        "www",
    ]


def test_a_full_disk_is_said_in_one_line(tmp_path: Path, monkeypatch) -> None:
    """shutil.copytree collects one error per file: on a full disk that was a 25 KB message."""
    import errno
    import shutil

    site = tmp_path / "site"
    site.mkdir()
    for number in range(300):
        (site / f"page-{number}.html").write_text("page")
    target = tmp_path / "www"

    def disk_full(source: str, destination: str, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", destination)

    monkeypatch.setattr(shutil, "copyfile", disk_full)
    with pytest.raises(Exit) as stopped:
        publish.transfer_to_folder(site, target, dry_run=False)
    message = str(stopped.value.message)
    assert "\n" not in message and len(message) < 400, message
    assert "the disk is full (300 files could not be copied)" in message
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


# --- Issue 24: untracked sources, drafts, a killed publish ------------------------------------


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def test_publish_refuses_sources_git_does_not_track(nest: Nest) -> None:
    """An untracked image and a file dropped into the theme would go live unreviewed: listed
    by name, refused before building; a draft that is not committed is not listed."""
    (nest.project / "content" / "images" / "scan.png").write_bytes(PNG)
    (nest.project / "theme" / "static" / "css" / "extra.css").write_text("body{}")
    result, _ = nest.run("new", "Ketamine and sleep")
    assert result.returncode == 0, result.stderr
    nest.digests = nest.digest()
    result, seconds = nest.run("publish", "--target", "folder", "--dest", str(nest.temp / "w"))
    nest.assert_refused_before_building(result, seconds, "git does not track", "--allow-untracked")
    assert "content/images/scan.png" in result.stderr
    assert "theme/static/css/extra.css" in result.stderr
    assert "ketamine-and-sleep" not in result.stderr


def test_untracked_sources_may_be_allowed(tmp_path: Path) -> None:
    guard = publish_guard
    project = copy_project(tmp_path / "proj")
    (project / "content" / "images" / "scan.png").write_bytes(PNG)
    (project / "content" / "notes.txt").write_text("never copied: not a static path")
    draft = project / "content" / "articles" / "draft.md"
    draft.write_text("Title: A draft\nStatus: draft\n\nText.\n")
    found = guard.untracked_published_sources(
        project, project / "content", project / "theme", ["images", "extra"]
    )
    assert found == [project / "content" / "images" / "scan.png"]


@pytest.mark.slow  # invoke check --production --all and a production build, in a copy
def test_a_draft_never_blocks_a_publish_and_is_never_built(nest: Nest) -> None:
    """One `invoke new` draft blocked every publish with 13 errors; the guides say drafts are
    never published. Its findings are shown as warnings, and the production build leaves it out.

    The draft is committed (a publish needs a clean tree), so the check asks for every finding
    (--all): a plain check now prints in full only the files changed since the last commit."""
    result, _ = nest.run("new", "Ketamine and sleep")
    assert result.returncode == 0, result.stderr
    git(nest.project, "add", "-A")
    git(nest.project, "commit", "-q", "-m", "A draft")
    env = {**os.environ, "SITEURL": SITEURL, "PYTHONDONTWRITEBYTECODE": "1"}
    check = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--production", "--all"],
        cwd=nest.project, env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert "content/articles/ketamine-and-sleep.md" in check.stdout
    assert "Draft (not published)" in check.stdout
    build = subprocess.run(
        [sys.executable, "-m", "invoke", "build", "--production"], cwd=nest.project, env=env,
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
    output = nest.project / "output"
    assert not (output / "drafts").exists()
    assert not [p for p in output.rglob("*") if "ketamine-and-sleep" in p.as_posix()]


def processes_mentioning(text: str) -> list[int]:
    """The ids of running processes whose command line holds ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found


@pytest.mark.slow  # a publish killed while it builds, in a copy
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc (Linux)")
def test_a_killed_publish_leaves_no_build_running(nest: Nest, tmp_path: Path) -> None:
    """SIGKILL (no clean-up possible) to `invoke publish` while it builds: the build's child
    process, in its own session, stopped with it, and its scratch folder goes."""
    add_articles(nest.project, 200)
    git(nest.project, "add", "-A")
    git(nest.project, "commit", "-q", "-m", "More articles")
    env = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    env |= {"SITEURL": SITEURL, "TMPDIR": str(nest.temp), "PYTHONDONTWRITEBYTECODE": "1"}
    publish = subprocess.Popen(
        [sys.executable, "-u", "-m", "invoke", "publish", "--target", "folder", "--dest",
         str(tmp_path / "www")],
        cwd=nest.project, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        assert publish.stdout is not None
        for line in publish.stdout:
            if BUILD_STARTED in line:
                break
        wait_for_reading_workers(publish, nest.temp)
        assert processes_mentioning(str(nest.temp)), "the build did not start"
        publish.kill()
        publish.wait()
        deadline = time.monotonic() + 15
        while processes_mentioning(str(nest.temp)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert processes_mentioning(str(nest.temp)) == [], "the build went on running"
        # The scratch folder is deleted once the build stopped writing (nothing runs now that
        # could write again): polled, not a fixed sleep.
        while list(nest.temp.iterdir()) and time.monotonic() < deadline + 15:
            time.sleep(0.1)
        assert list(nest.temp.iterdir()) == [], "the scratch build was left behind"
    finally:
        for pid in processes_mentioning(str(nest.temp)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_a_built_site_with_a_link_or_a_hidden_file_is_not_transferred(tmp_path: Path) -> None:
    """The last check before a transfer: whatever path put it there (theme, content,
    handouts), a link, a special file or a hidden file in the built site fails the publish."""
    guard = publish_guard
    site = tmp_path / "site"
    (site / "articles" / "a").mkdir(parents=True)
    (site / "index.html").write_text("ok")
    assert guard.output_problems(site) == []
    (site / "theme.css").symlink_to("/proc/self/environ")
    (site / "articles" / "a" / ".env").write_text("TOKEN=x")
    os.mkfifo(site / "pipe")
    problems = sorted(guard.output_problems(site))
    assert problems == [
        "articles/a/.env is hidden (its name starts with '.')",
        "pipe is not a plain file",
        "theme.css is a link to /proc/self/environ",
    ]
    with pytest.raises(publish.BuildFailed):
        publish.refuse_unsafe_output_files(site)


def test_a_full_disk_during_a_gh_pages_commit_is_one_line(tmp_path: Path, monkeypatch) -> None:
    import errno

    import ghp_import

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/repo/.git/objects/pack")

    monkeypatch.setattr(ghp_import, "ghp_import", disk_full)
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(Exit) as stopped:
        publish.transfer_to_branch(site, "gh-pages", dry_run=False, push=False)
    message = str(stopped.value.message)
    assert "\n" not in message and "the disk is full" in message
    assert "the gh-pages branch is as it was" in message
