"""No traps for writers or publishers (issue 27): the commands say where things are, print what
the person is working on, and fail in one clear line.

Run as a person would, in a copy of the project (tests/test_tasks.py's helpers).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, ServeOutput, free_port
from test_tasks import copy_project, invoke, wait_for_port

# --- The draft's address ---------------------------------------------------------------------


def test_new_prints_the_drafts_preview_address(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = invoke(project, "new", "Ketamine and sleep")
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8000/drafts/ketamine-and-sleep/" in result.stdout
    assert "invoke check content/articles/ketamine-and-sleep.md" in result.stdout


def test_help_after_a_task_that_takes_a_file_or_title_is_its_help(tmp_path: Path) -> None:
    """invoke hands `--help` to the task's positional argument: review looked for a file named
    "--help", and new started an article titled "--help"."""
    project = copy_project(tmp_path / "project")
    before = sorted((project / "content/articles").iterdir())
    for task in ("review", "new"):
        for flag in ("--help", "-h"):
            result = invoke(project, task, flag)
            assert result.returncode == 0, result.stdout + result.stderr
            assert result.stdout.startswith(f"Usage: inv[oke] [--core-opts] {task} "), result.stdout
    untitled = invoke(project, "new")  # our words and an example, not invoke's
    assert untitled.returncode == 1 and 'invoke new "Your title"' in untitled.stderr
    assert sorted((project / "content/articles").iterdir()) == before


def test_check_takes_one_file_as_invoke_check_file() -> None:
    """`invoke check FILE`, as the issue and the writer expect (invoke said "No idea what
    'content/...' is!"), is `invoke check --file FILE`; `invoke check` alone checks every file."""
    one = invoke(PROJECT_ROOT, "check", "content/pages/about.md", "--format", "json")
    assert one.returncode == 0, one.stdout + one.stderr
    assert json.loads(one.stdout)["files_checked"] == 1
    every = invoke(PROJECT_ROOT, "check", "--format", "json")
    assert json.loads(every.stdout)["files_checked"] > 20


def test_check_takes_several_files_as_a_shell_gives_them() -> None:
    """`invoke check content/pages/*.md` hands invoke several words: each is a file to check
    (invoke said "No idea what 'content/pages/b.md' is!")."""
    two = invoke(
        PROJECT_ROOT, "check", "content/pages/about.md", "content/pages/privacy.md", "--format",
        "json",
    )  # fmt: skip
    assert two.returncode == 0, two.stdout + two.stderr
    assert json.loads(two.stdout)["files_checked"] == 2


def test_new_takes_a_title_without_quotes(tmp_path: Path) -> None:
    """The words of a title typed without quotes are the title, a task's name among them."""
    project = copy_project(tmp_path / "project")
    result = invoke(project, "new", "Questions", "to", "review", "with", "your", "doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    article = project / "content/articles/questions-to-review-with-your-doctor.md"
    assert "Title: Questions to review with your doctor\n" in article.read_text(encoding="utf-8")
    # Dashes in such a title: "-" was "No idea what '-' is!"; after "--" the words were lost.
    for words, slug in (
        (["Ketamine", "-", "the", "first", "visit"], "ketamine-the-first-visit"),
        (["Ketamine", "--", "what", "to", "expect"], "ketamine-what-to-expect"),
    ):
        result = invoke(project, "new", *words)
        assert result.returncode == 0, result.stdout + result.stderr
        article = project / f"content/articles/{slug}.md"
        assert f"Title: {' '.join(words)}\n" in article.read_text(encoding="utf-8")


def test_a_build_that_left_a_page_out_says_so_last_and_fails(tmp_path: Path) -> None:
    """A development build goes on past an article it cannot read, as `invoke serve` must; but
    `invoke build` ended "Built into output" with status 0, the error scrolled away above."""
    project = copy_project(tmp_path / "project")
    broken = project / "content/articles/broken-date.md"
    broken.write_text("Title: Broken date\nDate: 2026-13-45\nSummary: x\n\nText.\n", "utf-8")
    result = subprocess.run(  # a process of its own: its log as a person sees it
        [sys.executable, "-m", "invoke", "build"], cwd=project, capture_output=True, text=True,
        check=False,
        timeout=600, env={k: v for k, v in os.environ.items() if k != "SITEURL"},
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    last = (result.stdout + result.stderr).strip().splitlines()[-1]
    assert "but not whole: the errors above left their pages out" in last, last
    assert "2026-13-45" in result.stdout + result.stderr
    assert (project / "output/articles/is-ketamine-safe/index.html").is_file()
    broken.unlink()
    whole = invoke(project, "build")
    assert whole.returncode == 0 and whole.stdout.strip().endswith(
        "Built into " + str((project / "output").resolve())
    ), whole.stdout + whole.stderr


def test_a_typo_in_a_path_is_answered_with_the_file_meant() -> None:
    typo, meant = (
        "content/articles/ketamine-and-surgry.md",
        "content/articles/ketamine-and-surgery.md",
    )
    for command in (
        ("check", typo),
        ("review", typo, "--diff"),
        ("translations", "--changes", typo),
    ):
        result = invoke(PROJECT_ROOT, *command)
        assert result.returncode != 0, command
        assert f"Did you mean {meant}?" in result.stdout + result.stderr, command
    # An original given where its translation is meant: the translation is named.
    original = invoke(PROJECT_ROOT, "translations", "--changes", meant)
    assert "Did you mean its translation content/articles/es/ketamine-and-surgery.md?" in (
        original.stdout + original.stderr
    )
    # A file of the project that is not content is not checked as if it were ("No problems").
    readme = invoke(PROJECT_ROOT, "check", "README.md")
    assert readme.returncode != 0 and "not an article or page" in readme.stdout + readme.stderr


def test_preview_address_follows_status_language_and_kind(tmp_path: Path) -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    try:
        from commands.project import load_settings
        from commands.serve import preview_address
    finally:
        sys.path.pop(0)
    content, settings = PROJECT_ROOT / "content", load_settings()
    assert preview_address(content / "articles/es/is-ketamine-safe.md", 8017, settings) == (
        "http://127.0.0.1:8017/es/articles/is-ketamine-safe/"
    )
    assert preview_address(content / "pages/about.md", 8017, settings) == (
        "http://127.0.0.1:8017/about/"
    )
    # A draft saved by a Windows editor (a byte order mark, CRLF lines) is still a draft.
    windows = tmp_path / "sleep.md"  # outside content/articles: a page
    windows.write_bytes(b"\xef\xbb\xbfStatus: draft\r\nSlug: sleep-and-pain\r\n\r\nText.\r\n")
    assert preview_address(windows, 8017, settings) == (
        "http://127.0.0.1:8017/drafts/pages/sleep-and-pain/"
    )


def get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


@pytest.mark.slow  # invoke new, then serve builds the site
def test_serve_prints_the_saved_files_address_and_its_404_says_where_drafts_are(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path / "project")
    assert invoke(project, "new", "Ketamine and sleep").returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "invoke", "serve", "--port", str(port)],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    output = ServeOutput(server)
    try:
        output.wait_for(f"Drafts are at http://127.0.0.1:{port}/drafts/SLUG/", 90)
        wait_for_port(port, time.monotonic() + 30)
        status, _, body = get(port, "/articles/ketamine-and-sleep/")
        assert status == 404
        assert "Page not found" in body and "/drafts/" in body  # the site's own 404 page
        status, _, body = get(port, "/es/articles/ketamine-and-sleep/")  # in its language
        assert status == 404 and '<html lang="es"' in body and "/drafts/" in body
        assert get(port, "/drafts/ketamine-and-sleep/")[0] == 200
        # A second article while serve runs: its address on the port serve is using.
        another = invoke(project, "new", "Ketamine and driving")
        assert f"http://127.0.0.1:{port}/drafts/ketamine-and-driving/" in another.stdout
        draft = project / "content" / "articles" / "ketamine-and-sleep.md"
        draft.write_text(draft.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
        saved = output.wait_for(
            f"Saved content/articles/ketamine-and-sleep.md: see it at "
            f"http://127.0.0.1:{port}/drafts/ketamine-and-sleep/",
            60,
        )
        # After the save, the check of the saved file: its findings in full, the untouched
        # files' warnings one line a code (not the check serve ran when it started).
        output.wait_for("content/articles/ketamine-and-sleep.md", 60, after=saved)
        output.wait_for("pages not yet reviewed by a clinician: see `invoke reviews`", 60, saved)
        # A save Pelican leaves out (a date that is no date): not "see it at", which showed the
        # last good page as if it were the new one.
        text = draft.read_text(encoding="utf-8")
        draft.write_text(text.replace("\nDate: ", "\nDate: 2026-13-40\nOld_date: ", 1), "utf-8")
        left_out = output.wait_for(
            "Saved content/articles/ketamine-and-sleep.md: NOT rebuilt", 60, saved
        )
        assert "invoke check content/articles/ketamine-and-sleep.md" in output.printed[left_out]
        # livereload's lines once each (its own handler and Pelican's printed them twice).
        assert output.text.count(f"Serving on http://127.0.0.1:{port}") == 1, output.text
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


# --- Quiet output ----------------------------------------------------------------------------


@pytest.mark.slow  # invoke check twice in a project copy
def test_check_prints_the_changed_files_in_full_and_summarizes_the_rest(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    article = project / "content" / "articles" / "is-ketamine-safe.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new line.\n", "utf-8")
    result = invoke(project, "check")
    lines = result.stdout.splitlines()
    assert lines[0] == "content/articles/is-ketamine-safe.md", result.stdout
    assert "content/articles/ketamine-and-surgery.md" not in result.stdout
    summary = [line for line in lines if "pages not yet reviewed by a clinician" in line]
    assert len(summary) == 1 and "`invoke reviews`" in summary[0], result.stdout
    assert len(lines) < 25, result.stdout  # was about 70

    everything = invoke(project, "check", "--all")
    assert "content/articles/ketamine-and-surgery.md" in everything.stdout
    assert everything.stdout.count("review-missing") > 10


@pytest.mark.slow  # invoke check three times in a project copy
def test_check_file_prints_only_that_files_findings(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    one = invoke(project, "check", "--file", "content/articles/ketamine-for-chronic-pain.md")
    files = [line for line in one.stdout.splitlines() if line.startswith("content/")]
    assert files == ["content/articles/ketamine-for-chronic-pain.md"], one.stdout
    assert "`invoke check` (no FILE) checks the whole site" in one.stdout  # the others
    several = invoke(project, "check", "--", "content/pages/about.md",
                     "content/articles/ketamine-and-surgery.md")  # fmt: skip
    files = {line for line in several.stdout.splitlines() if line.startswith("content/")}
    assert files <= {"content/pages/about.md", "content/articles/ketamine-and-surgery.md"}
    assert files, several.stdout
    missing = invoke(project, "check", "--file", "content/articles/nope.md")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert "Traceback" not in missing.stderr


# --- A busy port -----------------------------------------------------------------------------


@pytest.mark.parametrize("task", ["serve", "preview"])
def test_a_busy_port_is_one_line_that_says_how_to_pick_another(task: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke(PROJECT_ROOT, task, "--port", str(port))
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 1
    assert "Traceback" not in output and "Serving" not in output and "Previewing" not in output
    assert len(output.splitlines()) == 1, output
    assert f"Port {port} is in use" in output and f"invoke {task} --port" in output
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"invoke {task} --port" in readme


def test_a_port_just_left_is_free_again_and_a_busy_one_names_how_the_task_was_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C leaves the served connections closing (TIME_WAIT) for up to a minute: starting
    serve again at once must work, as the servers themselves can bind the port. A busy port's
    line names the command that works where the writer is: ``./quickstart`` before the virtual
    environment is active."""
    from invoke.exceptions import Exit

    from commands.serve import refuse_busy_port

    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado binds
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as browser:
            served, _ = server.accept()
            served.close()  # the server ends the connection first: its end waits in TIME_WAIT
            assert browser.recv(1) == b""
    refuse_busy_port(port, "serve")

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        monkeypatch.delenv("KIT_LAUNCHER", raising=False)
        with pytest.raises(Exit) as stopped:
            refuse_busy_port(busy, "serve")
        assert f"pick another port: invoke serve --port {busy + 10}" in str(stopped.value.message)
        monkeypatch.setenv("KIT_LAUNCHER", "./quickstart")
        with pytest.raises(Exit) as stopped:
            refuse_busy_port(busy, "serve")
        assert f"another port: ./quickstart serve --port {busy + 10}" in str(stopped.value.message)
    quickstart = (PROJECT_ROOT / "quickstart").read_text(encoding="utf-8")
    assert "export KIT_LAUNCHER=./quickstart;" in quickstart
    assert "`./quickstart serve --port" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


# --- Preview equal to production -------------------------------------------------------------


def production_settings() -> dict:
    from pelican.settings import read_settings

    saved = os.environ.get("SITEURL")
    os.environ["SITEURL"] = "https://www.clinic.test"
    cwd = Path.cwd()
    os.chdir(PROJECT_ROOT)
    try:
        return read_settings(str(PROJECT_ROOT / "publishconf.py"))
    finally:
        os.chdir(cwd)
        if saved is None:
            os.environ.pop("SITEURL", None)
        else:
            os.environ["SITEURL"] = saved


def test_preview_says_how_many_example_details_publishing_would_refuse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The preview allows the example clinic details (a site can be seen before they are
    known), and says so: publishing refuses them."""
    from clinic import clinic

    from commands.serve import example_values_line

    settings = production_settings()
    left = len(clinic.example_settings_values(settings))
    assert left > 1  # the project ships example details
    line = example_values_line(settings)
    assert line.startswith(f"It shows {left} example clinic details that publishing refuses")
    assert "`invoke check --production` lists them" in line
    monkeypatch.setattr(clinic, "example_settings_values", lambda settings: [])
    assert example_values_line(settings).startswith("No example clinic details are left")


def test_preview_sends_the_headers_production_sends_for_the_same_path(tmp_path: Path) -> None:
    import http.server

    from assets.headers import header_rules, headers_file_rules
    from assets.preview import preview_handler
    from assets.static_hosts import cloudflare_headers, netlify_headers

    site = tmp_path / "site"
    for name in ("index.html", "articles/a/index.html", "search/index.html", "es/search/index.html",
                 "theme/css/site.0123abcd.css", "pagefind/pagefind.js", "404.html",
                 "es/404.html"):  # fmt: skip
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(f"<!doctype html><title>{name}</title>", encoding="utf-8")
    settings = production_settings()
    assert settings["SECURITY_HEADERS"]
    rules = header_rules(settings)
    production = headers_file_rules(rules, site)  # what the generated _headers file says
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), preview_handler(site, settings))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        for path in ("/", "/articles/a/", "/search/", "/es/search/", "/theme/css/site.0123abcd.css",
                     "/pagefind/pagefind.js", "/no-such-page/", "/es/no-such-page/",
                     "/es/../no-such-page"):  # fmt: skip
            status, sent, body = get(port, path)
            expected = cloudflare_headers(production, path)
            assert expected == netlify_headers(production, path)
            assert "Content-Security-Policy" in expected
            assert {name: sent.get(name) for name in expected} == expected, path
            if "no-such-page" in path:  # the page in the address's language
                page = "es/404.html" if path.startswith("/es/no") else "404.html"
                assert status == 404 and f"<title>{page}</title>" in body, path
            else:
                assert status == 200
    finally:
        server.shutdown()
        server.server_close()


# --- Publishers' messages --------------------------------------------------------------------


def test_the_example_values_refusal_prints_one_value_per_line() -> None:
    from types import SimpleNamespace

    from clinic import ClinicSettingsError, example_settings_values
    from clinic.clinic import check_clinic_settings
    from content_check.runner import load_pelican_settings

    settings = {**load_pelican_settings(PROJECT_ROOT, False), "REFUSE_EXAMPLE_CLINIC_DETAILS": True}
    placeholders = example_settings_values(settings)
    assert len(placeholders) > 5
    with pytest.raises(ClinicSettingsError) as raised:
        check_clinic_settings(SimpleNamespace(settings=settings))
    lines = str(raised.value).splitlines()
    listed = [line for line in lines if line.startswith("  ")]
    assert len(listed) == len(placeholders), lines
    assert all(line.count(" = ") == 1 and len(line) <= 150 for line in listed), listed
    assert max(len(line) for line in lines) <= 200  # was one line of about 1,900 characters


def test_a_contact_form_on_the_sites_own_host_is_one_error_naming_the_setting(
    tmp_path: Path,
) -> None:
    from content_check.html_checks import check_built_links, settings_links

    site_url = "https://www.clinic.test"
    for number in range(25):
        page = tmp_path / f"page-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f'<!doctype html><title>{number}</title><a href="{site_url}/contact/">Contact us</a>'
            f'<a href="/page-{number}/missing.png">broken on its own</a>',
            encoding="utf-8",
        )
    clinic = {"booking_url": "https://booking.clinic.test/", "contact_url": f"{site_url}/contact/"}
    findings = check_built_links(tmp_path, site_url, settings_links({"CLINIC": clinic}))
    about_the_setting = [f for f in findings if "contact" in f.message]
    assert len(about_the_setting) == 1, about_the_setting
    [finding] = about_the_setting
    assert finding.file == "pelicanconf.py" and finding.is_error
    assert "CLINIC['contact_url']" in finding.message and "25 pages" in finding.message
    assert "Markdown" not in finding.fix
    # Other broken links are still reported on their own pages.
    assert len([f for f in findings if "missing.png" in f.message]) == 25


# --- Small ones ------------------------------------------------------------------------------

ARTICLE = """Title: Slash date
Slug: slash-date
Date: {date}
Category: Ketamine
Tags: chronic pain
Summary: A page with a date.

Some text.
"""


def test_a_slash_date_is_refused_by_the_build_as_by_the_check(build_small_site) -> None:
    site = build_small_site({"articles/a.md": ARTICLE.format(date="06/12/2026")})
    assert not (site.output / "articles" / "slash-date").exists()
    said = " ".join(site.warnings)
    assert "'06/12/2026' is not a date in the form YYYY-MM-DD" in said, site.warnings
    fine = build_small_site({"articles/a.md": ARTICLE.format(date="2026-06-12")})
    assert (fine.output / "articles" / "slash-date" / "index.html").is_file()


def fast_findings(folder: Path, body: str) -> list:
    """The fast check on a content folder holding article a.md (with ``body``) and b.md."""
    import datetime as dt

    from content_check.runner import load_pelican_settings, run_fast_check

    head = (
        "Title: {title}\nSlug: {slug}\nDate: 2026-01-10\nCategory: Ketamine\nTags: chronic pain\n"
        "Summary: A page.\n\n"
    )
    articles = folder / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "a.md").write_text(head.format(title="A", slug="a") + body, encoding="utf-8")
    (articles / "b.md").write_text(head.format(title="B", slug="b") + "x\n", encoding="utf-8")
    settings = {**load_pelican_settings(PROJECT_ROOT, False), "PATH": str(folder / "content")}
    findings, _ = run_fast_check(folder, settings=settings, today=dt.date(2026, 11, 25))
    return [f for f in findings if f.file.endswith("a.md")]


def test_a_relative_link_to_a_missing_file_is_relative_and_broken_at_once(tmp_path: Path) -> None:
    codes = {f.code for f in fast_findings(tmp_path / "1", "See [the other](nope.md).\n")}
    assert {"link-relative", "link-broken"} <= codes
    codes = {f.code for f in fast_findings(tmp_path / "2", "See [the other](b.md).\n")}
    assert "link-relative" in codes and "link-broken" not in codes


@pytest.mark.slow  # invoke new and check in a project copy
def test_the_skeletons_first_line_gets_one_finding_for_one_placeholder(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert invoke(project, "new", "Ketamine and sleep").returncode == 0
    result = invoke(project, "check", "--file", "content/articles/ketamine-and-sleep.md")
    first = [line for line in result.stdout.splitlines() if "Start with 1 or 2 sentences" in line]
    assert len(first) == 1 and "scaffold-left" in first[0], result.stdout
    reference = [line for line in result.stdout.splitlines() if "ref-no-link" in line]
    assert reference == [], result.stdout  # the placeholder reference: scaffold-left only


def test_read_section_names_the_measure_over_its_limit() -> None:
    from content_check.readability import _over_limits

    assert _over_limits(7.4, 8, 10.2, 10) == (
        "SMOG 10.2, over its limit of 10 (Flesch-Kincaid grade 7.4 is within its 8)"
    )
    assert _over_limits(9.1, 8, 0.0, 10) == "Flesch-Kincaid grade 9.1, over its limit of 8"
    both = _over_limits(9.1, 8, 11.0, 10)
    assert "grade 9.1, over its limit of 8" in both and "SMOG 11.0, over its limit of 10" in both


# --- Readers ---------------------------------------------------------------------------------

GLOSSARY = """Title: Glossary
Slug: glossary
Summary: Words.

Plain meanings of the words in our guides.

## Anesthetic {#anesthetic}

A medicine that puts you to sleep for surgery.

## Arrhythmia {#arrhythmia}

An uneven heartbeat.

## Émesis {#emesis}

Being sick.

## Placebo {#placebo}

A dummy treatment.
"""
DISCLAIMER = "Title: Medical disclaimer\nSlug: medical-disclaimer\nSummary: S.\n\nText.\n"


def test_the_glossary_opens_with_an_a_to_z_list_of_plain_links(build_small_site) -> None:
    built = build_small_site(
        {"pages/glossary.md": GLOSSARY, "pages/medical-disclaimer.md": DISCLAIMER}
    )
    soup = built.soup("glossary/index.html")
    nav = soup.select_one("nav.glossary-index")
    assert nav is not None and nav["aria-label"] == "Glossary from A to Z"
    letters = [(a.get_text(), a["href"]) for a in nav.select("a")]
    assert letters == [("A", "#anesthetic"), ("E", "#emesis"), ("P", "#placebo")]
    for _, target in letters:  # each letter lands on its entry
        assert soup.select_one(f"section.glossary-entry h2{target}") is not None
    # Before the first entry, after the introduction; no script needed.
    first_entry = soup.select_one("section.glossary-entry")
    assert nav.find_next("section", class_="glossary-entry") is first_entry
    assert not nav.select("script") and not nav.find_all(attrs={"onclick": True})


@pytest.mark.parametrize("address", ["/language-help/", "/es/language-help/"])
def test_the_language_help_page_shows_the_help_before_booking_and_the_disclaimer(
    site, address: str
) -> None:
    soup = site.soup(address)
    order = [
        "help" if element.name == "li" else element["class"][0]
        for element in soup.select("main li[lang], main aside.consult-cta, main aside.disclaimer")
    ]
    assert order[:2] == ["help", "help"] and order[2:] == ["consult-cta", "disclaimer"], order
    # The page's own words still come first.
    prose = soup.select_one(".prose")
    assert prose.find("p") is not None
    assert prose.find("p").find_next("li", attrs={"lang": True}) is not None


# A clinical translation says once that no clinician has reviewed it; a general page (the
# language help, privacy...) needs no clinician's review, so it claims nothing of the kind.
@pytest.mark.parametrize(
    ("address", "times"), [("/es/language-help/", 0), ("/es/articles/is-ketamine-safe/", 1)]
)
def test_a_translated_page_says_not_reviewed_once(site, address: str, times: int) -> None:
    soup = site.soup(address)
    said = soup.select(".translation-notice, .review-dates--pending")
    assert len(said) == times, [element.get_text() for element in said]
    english = site.soup(address.replace("/es/", "/"))
    assert len(english.select(".translation-notice, .review-dates--pending")) <= 1


def test_publish_with_no_target_says_none_is_set_and_how_to_set_one() -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    try:
        from invoke import Exit

        from commands.publish import choose_target
    finally:
        sys.path.pop(0)
    for target, said in (("", "No publish target is set"), ("ftp", "Unknown publish target 'ftp'")):
        with pytest.raises(Exit) as refused:
            choose_target({}, target, "")
        message = str(refused.value.message)
        assert message.startswith(said) and "--target folder --dest" in message, message


@pytest.mark.slow  # pybabel's extraction and update in a project copy, 8 s
def test_translations_with_nothing_new_leaves_nothing_to_commit(tmp_path: Path) -> None:
    """pybabel stamps a new POT-Creation-Date on each update: with no message changed, the
    catalogue is left as it was, so `git status` shows no change a writer must make sense of."""
    project = copy_project(tmp_path / "project")
    result = invoke(project, "translations")
    assert result.returncode == 0, result.stdout + result.stderr
    changed = subprocess.run(
        ["git", "status", "--porcelain", "theme/translations"], cwd=project, capture_output=True,
        text=True, check=True,
    ).stdout  # fmt: skip
    assert changed == "", changed
