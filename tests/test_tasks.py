"""The writer's and publisher's commands, run as a person would run them, in a copy of the project.

Each test works on a fresh copy (content, theme, plugins, settings, tasks) in a temporary folder
that is its own git repository, so `clean`, `new` and `publish` can do real work safely.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, ServeOutput, copy_sources, free_port
from prewarmed import PREWARMED

# A clinician for test data: the site's own REVIEWERS holds only an example entry, which
# production builds and `invoke review` refuse.
REVIEWERS_SETTING = """
REVIEWERS = {"test-reviewer": {"name": "Test Reviewer", "credentials": "MD", "role": "clinician"}}
"""
# Values for a clinic that has supplied its details (test data only; `.test` is a reserved TLD).
SUPPLIED_CLINIC = (
    """
CLINIC = {
    "name": "Westside Pain Specialists",
    "offices": [
        {"name": "Test Office", "street": "1 Test Road", "locality": "Testville",
         "region": "CA", "postal_code": "90001", "country": "US", "phone": "(310) 555-2368"},
    ],
    "booking_url": "https://booking.clinic.test/westside",
    "contact_url": "https://forms.clinic.test/westside/contact",
}
LANGUAGES["en"]["clinic_rules"] = {"after_treatment": {
    "heading": "Our clinic's advice for the rest of the day",
    "text": ["Test wording the clinic has confirmed: do not drive until the next day."]}}
LANGUAGES["es"]["clinic_rules"] = {"after_treatment": {
    "heading": "El consejo de nuestra clínica para el resto del día",
    "text": ["Texto de prueba que la clínica ha confirmado: no maneje hasta el día siguiente."]}}
AUTHORS = {"editorial-team": {"name": "Westside Pain Specialists editorial team"}}
# These tests are about publishing, not clarity: until every article scores 90 (`invoke
# clarity`; issue 22's articles), the clarity minimum would refuse every publish here.
CLARITY_MIN_SCORE = 0
LANGUAGE_HELP = {
    "en": {"name": "English", "link": "Language help", "text": "Test: ask us for an interpreter."},
    "es": {"name": "Español", "link": "Ayuda con el idioma", "text": "Prueba: pida un intérprete."},
}
"""
    + REVIEWERS_SETTING
)
# reviews/: the approved and synced text `invoke review --diff` and translation-stale compare with.
COPIED = (
    "content", "theme", "plugins", "commands", "reviews", "pelicanconf.py", "publishconf.py",
    "tasks.py",
)  # fmt: skip


def git(project: Path, *args: str) -> str:
    """Run git in ``project`` and return its output."""
    result = subprocess.run(
        ["git", *args], cwd=project, capture_output=True, text=True, check=True,
        env={**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@clinic.test",
             "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@clinic.test"},
    )  # fmt: skip
    return result.stdout


def copy_project(destination: Path, supplied_details: bool = False, reviewed: bool = False) -> Path:
    """Copy the project into ``destination`` as a git repository with one commit.

    The first copy of each kind is made once per test process (git and the sign-off take
    seconds) and each call gets its own copy of it, ``.git`` included.
    """
    template = PROJECT_TEMPLATES.get((supplied_details, reviewed))
    if template is None:
        folder = Path(tempfile.mkdtemp(prefix="project-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = make_project_copy(folder / "project", supplied_details, reviewed)
        PROJECT_TEMPLATES[(supplied_details, reviewed)] = template
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(template, destination, symlinks=True)
    # git's index records each file's inode and ctime: refresh it now, so the test's first git
    # command does not rewrite .git (the data-loss tests hash it).
    git(destination, "update-index", "-q", "--refresh")
    return destination


# (supplied_details, reviewed) -> the first copy of that kind, copied again for each test.
PROJECT_TEMPLATES: dict[tuple[bool, bool], Path] = {}


def make_project_copy(destination: Path, supplied_details: bool, reviewed: bool) -> Path:
    """Copy the project's sources into ``destination`` and commit them in a new git repository."""
    destination.mkdir(parents=True)
    copy_sources(COPIED, destination)
    if (PROJECT_ROOT / "node_modules").exists():
        (destination / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")
    (destination / ".gitignore").write_text("/output/\n/output-*/\n/.cache/\n/node_modules\n")
    if supplied_details:
        with (destination / "pelicanconf.py").open("a", encoding="utf-8") as settings:
            settings.write(SUPPLIED_CLINIC)
    if reviewed:
        with (destination / "pelicanconf.py").open("a", encoding="utf-8") as settings:
            settings.write(REVIEWERS_SETTING)
        sign_off_everything(destination / "content")
    git(destination, "init", "-q", "-b", "main")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "Copy of the project for a test")
    # Packed, .git is 27 files instead of 282: each test's copy of it is 2.5 times quicker.
    git(destination, "gc", "-q", "--prune=now")
    return destination


def sign_off_everything(content: Path) -> None:
    """Test data: pretend the fixture clinician signed off today every text that needs it:
    articles, translations and the `Kind: clinical` pages (what `invoke reviews` lists).

    Written as `invoke review` writes it (plugins/clinical_review/signoff.py).
    """
    from clinical_review.fingerprint import source_fingerprint
    from clinical_review.review import format_history_line
    from clinical_review.signoff import replace_fields, review_fields
    from content_check.runner import load_pelican_settings
    from dates import add_months

    from commands.workflow import review_queue

    today = dt.date.today()
    settings = load_pelican_settings(content.parent, production=False)
    due = {content.parent / item.file for item in review_queue(content.parent, today)}
    for path in sorted(due | {*content.glob("articles/**/*.md"), *content.glob("pages/*/**/*.md")}):
        # The fingerprint of the text approved, as `invoke review` records it.
        entry = format_history_line(
            today, "test-reviewer", "Test review", source_fingerprint(path, settings)
        )
        fields = review_fields("test-reviewer", today, add_months(today, 24), [entry])
        path.write_text(replace_fields(path.read_text(encoding="utf-8"), fields), "utf-8")


def invoke(project: Path, *args: str, siteurl: str | None = None) -> subprocess.CompletedProcess:
    """Run ``invoke <args>`` in ``project`` the way the README tells a person to (from a
    process that has imported invoke and Pelican already: tests/prewarmed.py)."""
    env = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    if siteurl:
        env["SITEURL"] = siteurl
    return PREWARMED.run(list(args), project, env, timeout=600)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove nothing changed."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(folder).parts
    }


# --- build -----------------------------------------------------------------------------------


@pytest.mark.slow  # a project copy, a build of 150 more guides
def test_ctrl_c_during_invoke_build_says_in_one_line_what_it_left(tmp_path: Path) -> None:
    """Before, invoke ended the task silently with status 1: the writer was not told that
    output/ may hold half a site."""
    project = copy_project(tmp_path / "project")
    for number in range(150):
        (project / "content" / "articles" / f"guide-{number}.md").write_text(
            f"Title: Guide {number}\nDate: 2026-01-02\nCategory: Ketamine\n"
            f"Summary: Guide {number}.\n\n" + "Plain words about nerve pain. " * 200 + "\n",
            encoding="utf-8",
        )
    build = subprocess.Popen(
        [sys.executable, "-m", "invoke", "build"], cwd=project,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    reading_cache = project / ".cache" / "pelican" / "reading"
    deadline = time.monotonic() + 120
    while not reading_cache.exists():  # the build has converted its first file
        assert build.poll() is None and time.monotonic() < deadline, build.communicate()
        time.sleep(0.02)
    os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    stdout, stderr = build.communicate(timeout=60)
    assert build.returncode == 130, stdout + stderr
    assert "Traceback" not in stdout + stderr
    stopped = [line for line in stderr.splitlines() if line.startswith("Stopped by Ctrl-C")]
    assert len(stopped) == 1, stdout + stderr
    assert f"{project / 'output'} may hold part of a site" in stopped[0]
    assert "Built into" not in stdout


def test_a_folder_held_by_one_task_stops_another_with_one_line(tmp_path: Path) -> None:
    from invoke import Exit

    from commands.in_use import holding

    folder, locks = tmp_path / "output", tmp_path / "locks"
    with holding(folder, "serve", locks):
        with pytest.raises(Exit) as refused, holding(folder, "build", locks):
            pytest.fail("two tasks held one folder")
        assert refused.value.code == 1
        assert refused.value.message == (
            f"{folder} is in use by `invoke serve` (process {os.getpid()}). Stop it first "
            "(Ctrl-C where it runs), then run invoke build again. Nothing was changed."
        )
        with holding(tmp_path / "output-preview", "preview", locks):  # another folder: free
            pass
    with holding(folder, "build", locks):  # let go when the first task ended
        pass


def test_a_held_folder_names_the_address_its_server_serves_it_at(tmp_path: Path) -> None:
    """`invoke new` prints its draft's address on the port the running serve uses."""
    from commands.in_use import holding, served_at

    folder, locks = tmp_path / "output", tmp_path / "locks"
    assert served_at(folder, locks) is None  # nothing ever held it
    with holding(folder, "serve", locks, where="http://127.0.0.1:8011/"):
        assert served_at(folder, locks) == "http://127.0.0.1:8011/"
    assert served_at(folder, locks) is None  # let go: the old line is no answer
    with holding(folder, "build", locks):  # a task that serves nothing
        assert served_at(folder, locks) is None


# --- clean -----------------------------------------------------------------------------------


@pytest.mark.slow  # invoke build and clean in a project copy
def test_clean_deletes_only_the_build_output(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert invoke(project, "build").returncode == 0
    assert (project / "output" / "index.html").exists()
    assert (project / "output" / ".invoke-build").is_file(), "the build left no marker"
    result = invoke(project, "clean")
    assert result.returncode == 0, result.stderr
    assert not (project / "output").exists()
    assert (project / "content" / "articles").is_dir()


@pytest.mark.parametrize(
    ("output_setting", "reason"),
    [
        ("'.'", "project folder"),
        ("'..'", "project folder"),
        ("'content'", "content/"),
        ("'content/articles'", "content/"),
        ("'theme'", "theme/"),
        ("'plugins'", "plugins/"),
        ("'.git'", "hidden folder"),
        ("'notes'", "tracked by git"),
        ("OUTSIDE", "outside the project"),
    ],
)
def test_clean_refuses_dangerous_output_paths(
    tmp_path: Path, output_setting: str, reason: str
) -> None:
    project = copy_project(tmp_path / "project")
    (project / "notes").mkdir()
    (project / "notes" / "plan.md").write_text("The writer's notes, committed.\n")
    git(project, "add", "notes")
    git(project, "commit", "-q", "-m", "Notes")
    if output_setting == "OUTSIDE":
        (tmp_path / "elsewhere").mkdir()
        output_setting = repr(str(tmp_path / "elsewhere"))
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\nOUTPUT_PATH = {output_setting}\n")
    before = snapshot(project)
    result = invoke(project, "clean")
    assert result.returncode != 0
    assert "Refusing" in result.stderr and reason in result.stderr
    assert "Nothing was deleted" in result.stderr
    assert snapshot(project) == before


# --- new -------------------------------------------------------------------------------------


@pytest.mark.slow  # invoke new and a build in a project copy
def test_new_creates_an_article_that_builds_without_warnings(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = invoke(project, "new", "What to expect at your first visit")
    assert result.returncode == 0, result.stderr
    article = project / "content" / "articles" / "what-to-expect-at-your-first-visit.md"
    text = article.read_text(encoding="utf-8")
    for field in ("Title:", "Slug:", "Date:", "Category:", "Tags:", "Summary:", "Reviewed_by:",
                  "Last_reviewed:", "Next_review:", "Status: draft"):  # fmt: skip
        assert field in text
    build = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output",
         "--fatal", "warnings"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
    assert (project / "output" / "drafts" / "what-to-expect-at-your-first-visit").is_dir()


def test_new_refuses_to_overwrite_an_article(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    existing = project / "content" / "articles" / "my-notes.md"
    existing.write_text("Title: My notes\n\nKeep me.\n", encoding="utf-8")
    result = invoke(project, "new", "My notes")
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert existing.read_text(encoding="utf-8") == "Title: My notes\n\nKeep me.\n"


# --- publish ---------------------------------------------------------------------------------


# Publishing a reviewed copy to each target (minutes): tests/test_publish.py.
PUBLISH_MARKER = ".invoke-publish"
LIVE_SITE = {"index.html": b"the live site", PUBLISH_MARKER: b"published earlier\n"}


def live_site(tmp_path: Path) -> Path:
    """A folder that holds the site readers see now, from an earlier publish (so, marked)."""
    target = tmp_path / "www"
    target.mkdir()
    for name, data in LIVE_SITE.items():
        (target / name).write_bytes(data)
    return target


def publish_to_folder(project: Path, target: Path) -> subprocess.CompletedProcess:
    """``invoke publish --target folder`` as a publisher types it."""
    return invoke(
        project, "publish", "--target", "folder", "--dest", str(target),
        siteurl="https://www.clinic.test",
    )  # fmt: skip


def test_check_all_prints_every_finding_without_full() -> None:
    result = invoke(PROJECT_ROOT, "check", "--all")
    assert "--all goes with --full" not in result.stderr
    assert result.stdout.count("review-missing") > 10, result.stdout


@pytest.mark.slow  # invoke publish builds in a project copy
def test_a_failing_build_publishes_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", supplied_details=True, reviewed=True)
    broken = project / "content" / "articles" / "broken-link.md"
    broken.write_text(
        "Title: Broken link\nSlug: broken-link\nDate: 2026-01-01\nCategory: Ketamine\n"
        "Tags: safety\nSummary: A page that links to a file that does not exist.\n\n"
        "See [this]({filename}no-such-article.md).\n",
        encoding="utf-8",
    )
    git(project, "add", "-A")  # committed: the build, not the untracked-sources rule, fails it
    git(project, "commit", "-q", "-m", "A broken article")
    target = live_site(tmp_path)
    result = publish_to_folder(project, target)
    assert result.returncode != 0
    assert "nothing was published" in (result.stdout + result.stderr).lower()
    assert "Build: done" not in result.stderr, "a failed build's progress says it was done"
    assert snapshot(target) == LIVE_SITE


@pytest.mark.slow  # invoke publish starts a build in a project copy
def test_example_clinic_details_publish_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", supplied_details=False, reviewed=True)
    target = live_site(tmp_path)
    result = publish_to_folder(project, target)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "CLINIC['offices'][0]['phone']" in output
    assert "`invoke check --production` lists these" in output
    assert "nothing was published" in output.lower()
    assert snapshot(target) == LIVE_SITE


def test_a_bug_in_a_plugin_shows_its_file_and_line(tmp_path: Path) -> None:
    """A plugin's KeyError is a bug: the build prints its traceback, not only ``'offices'``."""
    project = copy_project(tmp_path / "project")
    plugin = project / "plugins" / "broken_plugin"
    plugin.mkdir()
    (plugin / "__init__.py").write_text(
        "from pelican import signals\n\n\n"
        "def read_offices(generator):\n"
        "    return {}['offices']\n\n\n"
        "def register():\n"
        "    signals.article_generator_finalized.connect(read_offices)\n",
        encoding="utf-8",
    )
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write('\nPLUGINS = [*PLUGINS, "broken_plugin"]\n')
    result = invoke(project, "build")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert 'broken_plugin/__init__.py", line 5' in output, output[-2000:]
    assert "KeyError: 'offices'" in output


def test_a_known_settings_error_is_one_line_without_a_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write('\nCLINIC = {**CLINIC, "offices": []}\n')
    result = invoke(project, "build")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "offices" in output
    assert "Traceback" not in output, output[-2000:]


# --- serve: live reload ----------------------------------------------------------------------


@pytest.mark.slow  # two builds in a project copy
def test_every_rebuild_in_one_process_shows_the_warnings_again(tmp_path: Path) -> None:
    """`invoke serve` rebuilds in one process; Pelican must not hide a warning it showed once."""
    project = copy_project(tmp_path / "project")
    (project / "content" / "articles" / "broken-link.md").write_text(
        "Title: Broken link\nSlug: broken-link\nDate: 2026-01-01\nCategory: Ketamine\n"
        "Tags: safety\nSummary: A page with a broken link.\n\n"
        "See [this]({filename}no-such-article.md).\n",
        encoding="utf-8",
    )
    script = (
        "from commands.build import build_site\n"
        "from commands.project import PROJECT_ROOT, load_settings\n"
        "for _ in range(2):\n"
        "    build_site(load_settings(), PROJECT_ROOT / 'output', fatal_warnings=False)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True,
        check=False, env={**os.environ, "COLUMNS": "300"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).count("no-such-article.md") == 2


def wait_for_port(port: int, deadline: float) -> None:
    """Wait until something listens on 127.0.0.1:``port`` (the URL is printed just before)."""
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"nothing listens on port {port}")


@pytest.mark.browser
def settled(
    folder: Path, output: ServeOutput, rebuilds: int, seconds: float = 30
) -> dict[str, bytes]:
    """``folder``'s files once serve has printed the end of ``rebuilds`` rebuilds (the first
    build, then one per save: each writes the saved page first and the lists after it) and
    nothing in it changes for 0.3 s."""
    deadline = time.monotonic() + seconds
    while True:
        assert time.monotonic() < deadline, output.text
        if output.text.count("Rebuilt in") >= rebuilds:
            files = snapshot(folder)
            time.sleep(0.3)
            if snapshot(folder) == files:
                return files
        time.sleep(0.1)


def test_serve_rebuilds_and_refreshes_the_open_page(tmp_path: Path, page) -> None:
    project = copy_project(tmp_path / "project")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "invoke", "serve", "--port", str(port)],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # so the whole process group can be stopped
    )  # fmt: skip
    # Read everything the server prints, so it never blocks on a full pipe.
    output = ServeOutput(server)
    try:
        output.wait_for(f"http://127.0.0.1:{port}/", 60)
        wait_for_port(port, time.monotonic() + 30)
        page.goto(f"http://127.0.0.1:{port}/articles/ketamine-for-chronic-pain/")
        heading = page.locator("h1").first.inner_text()
        # The page's live-reload script must be connected before the save, or nobody hears it.
        output.wait_for("Browser Connected", 15)
        article = project / "content" / "articles" / "ketamine-for-chronic-pain.md"
        text = article.read_text(encoding="utf-8")
        saved = time.monotonic()
        article.write_text(text.replace("Title: ", "Title: Live reload works: ", 1), "utf-8")
        # The page reloads itself: no goto or reload from the test.
        try:
            page.wait_for_function(
                "(document.querySelector('h1')?.innerText || '').includes('Live reload works')",
                timeout=15_000,
            )
        except Exception:
            pytest.fail("the page did not refresh; `invoke serve` printed:\n" + output.text)
        print(f"page refreshed {time.monotonic() - saved:.1f} s after saving")
        assert "Live reload works" not in heading
        # A second save right after the first shows too (livereload alone would ignore it).
        saved = time.monotonic()
        article.write_text(text.replace("Title: ", "Title: Saved again: ", 1), "utf-8")
        try:
            page.wait_for_function(
                "(document.querySelector('h1')?.innerText || '').includes('Saved again')",
                timeout=15_000,
            )
        except Exception:
            pytest.fail("a second save did not refresh the page:\n" + output.text)
        print(f"and again {time.monotonic() - saved:.1f} s after the second save")
        # While serve runs, a build or a clean of its folder stops at once and changes nothing.
        served = settled(project / "output", output, rebuilds=3)  # the build and two saves

        for task in ("build", "clean"):
            refused = invoke(project, task)
            assert refused.returncode == 1, refused.stdout + refused.stderr
            assert f"{project / 'output'} is in use by `invoke serve` (process " in refused.stderr
            assert f"then run invoke {task} again. Nothing was changed." in refused.stderr
        assert snapshot(project / "output") == served
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
