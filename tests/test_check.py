"""The writer's check (plugins/content_check): the broken corpus, the pure checks, the CLI.

Every fixture under tests/broken_content/ holds one fault; manifest.json names the finding code
and file the check must report. The corpus is checked from source, without building a site,
so the whole file runs in a few seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from content_check import checks, readability, schema
from content_check.findings import Finding
from content_check.report import format_human, format_json
from content_check.runner import check_sources, load_pelican_settings, run_fast_check
from content_check.settings import check_settings
from content_check.source import parse_text
from site_config import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT_ROOT / "tests" / "broken_content"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
TODAY = dt.date.fromisoformat(MANIFEST["today"])


@pytest.fixture(scope="module")
def dev_settings() -> dict:
    """pelicanconf.py as Pelican reads it."""
    return load_pelican_settings(PROJECT_ROOT, production=False)


def check_folder(
    folder: Path, settings: dict, production: bool = False, languages: tuple[str, ...] = ("en",)
) -> list[Finding]:
    """The fast check over one fixture folder (its own content/), as a site in ``languages``
    (English only unless a fixture is about translations)."""
    overrides = {
        **settings,
        "PATH": str(folder),
        "STATIC_PATHS": ["images"],
        "LANGUAGES": {code: settings["LANGUAGES"][code] for code in languages},
    }
    findings, _ = run_fast_check(folder, production=production, today=TODAY, settings=overrides)
    return findings


# --- The broken corpus ------------------------------------------------------------------------


def test_the_corpus_has_at_least_25_faults() -> None:
    assert len(MANIFEST["fixtures"]) >= 25
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert folders == set(MANIFEST["fixtures"]), "manifest.json and the folders disagree"


@pytest.mark.parametrize("name", sorted(MANIFEST["fixtures"]))
def test_each_broken_fixture_reports_its_fault(name: str, dev_settings: dict) -> None:
    expected = MANIFEST["fixtures"][name]
    findings = check_folder(
        CORPUS / name, dev_settings, expected["production"], tuple(expected["languages"])
    )
    matching = [f for f in findings if f.code == expected["code"] and f.file == expected["file"]]
    assert matching, f"{name}: expected {expected['code']} in {expected['file']}, got {findings}"
    assert all(f.severity == expected["severity"] for f in matching), matching
    assert all(f.message and f.fix for f in findings), "every finding says what and how to fix"
    if expected["message"]:
        assert any(expected["message"] in f.message for f in matching), matching
    # One fault each: no other error than the expected one (and what it causes).
    errors = {f.code for f in findings if f.is_error}
    allowed = (
        {expected["code"], *expected["also"]}
        if expected["severity"] == "error"
        else set(expected["also"])
    )
    assert errors <= allowed, f"{name}: unexpected errors {errors - allowed}: {findings}"
    warnings = {f.code for f in findings if not f.is_error} - {expected["code"]}
    assert warnings <= set(expected["warnings"]), f"{name}: unexpected warnings {warnings}"


@pytest.mark.parametrize("name", ["not-utf8", "broken-metadata-block"])
def test_content_pelican_cannot_read_names_the_file_without_a_traceback(name: str) -> None:
    """The CLI on a project whose only article is unreadable: a finding, exit 1, no traceback."""
    expected = MANIFEST["fixtures"][name]
    command = [
        sys.executable, "-c",
        "import sys, datetime as dt; sys.path.insert(0, 'plugins');"
        "from pathlib import Path; from content_check.runner import *; "
        "from content_check.report import format_human;"
        f"s = load_pelican_settings(Path('.'), False); s['PATH'] = {str(CORPUS / name)!r};"
        f"f, n = run_fast_check(Path({str(CORPUS / name)!r}), settings=s,"
        f" today=dt.date({TODAY.year}, {TODAY.month}, {TODAY.day}));"
        "print(format_human(f, n)); sys.exit(1 if any(x.is_error for x in f) else 0)",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert expected["file"] in result.stdout and expected["code"] in result.stdout


def test_the_fixture_article_itself_is_clean(dev_settings: dict, tmp_path: Path) -> None:
    """The article every fixture starts from passes, so each fixture holds only its fault."""
    sys.path.insert(0, str(CORPUS))
    try:
        import generate
    finally:
        sys.path.remove(str(CORPUS))
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text(generate.article(), encoding="utf-8")
    assert check_folder(tmp_path, dev_settings) == []


# --- Pure checks ------------------------------------------------------------------------------


def source(text: str, kind: str = "article") -> checks.SourceFile:
    """A source file parsed from text."""
    return parse_text(Path(f"content/{kind}s/x.md"), f"content/{kind}s/x.md", kind, text)


def context(**settings: object) -> checks.Context:
    """A context with the check's defaults, the site's vocabulary and fixed today."""
    base = {"ALLOWED_CATEGORIES": ["Ketamine"], "ALLOWED_TAGS": ["safety"], **settings}
    return checks.Context(settings=check_settings(base), today=TODAY)


def test_unknown_key_suggests_the_near_miss() -> None:
    src = source("Title: A\nSumary: B\n\nText.")
    [finding] = [f for f in checks.check_metadata(src, context()) if f.code == "meta-unknown-key"]
    assert finding.line == 2 and 'did you mean "Summary"' in finding.message


def test_metadata_keeps_line_numbers_and_continuation_lines() -> None:
    src = source("Title: A\nSummary: one\n    two\nSlug: a\n\nBody")
    assert src.meta("summary") == "one two" and src.meta_line("slug") == 4
    assert src.body_lines[-1] == (6, "Body")


def test_allowed_claim_with_a_reason_passes_once() -> None:
    text = (
        "Title: A\n\n<!-- allow-claim: non-addictive — quoting a myth to correct it -->\n"
        'Some say ketamine is "non-addictive". It is not.\n\nAlso non-addictive here.\n'
    )
    findings = checks.check_claims(source(text), context())
    assert [(f.code, f.line) for f in findings] == [("claim-absolute", 6)]


def test_allowed_claim_on_the_same_line() -> None:
    text = "Title: A\n\nNot a cure. <!-- allow-claim: cure: saying what it is not -->\n"
    assert checks.check_claims(source(text), context()) == []


def test_claims_in_references_and_addresses_are_not_claims() -> None:
    text = (
        "Title: A\n\nText.[^a] See [x](https://example.org/cure-guaranteed).\n\n"
        "[^a]: Smith. A cure for pain? A guaranteed trial. 2020. doi:10.1/x\n"
    )
    assert checks.check_claims(source(text), context()) == []


def test_every_claim_says_why_and_what_instead() -> None:
    from content_check.settings import claims_of

    site = check_settings({})["SITE"]
    for name, spec in {**claims_of(site, "en"), **claims_of(site, "es")}.items():
        assert spec["why"] and spec["instead"], name


# A clinician for test data (the site's REVIEWERS holds only an example entry).
FIXTURE_REVIEWERS = {
    "test-reviewer": {"name": "Test Reviewer", "credentials": "MD", "role": "clinician"}
}


@pytest.mark.parametrize(
    ("last", "next_", "code"),
    [
        ("2026-12-01", "", "review-future"),
        ("2026-01-01", "2025-12-01", "review-order"),
        ("2026-01-01", "2028-01-02", "review-interval"),
        ("2024-01-01", "2025-12-31", "review-overdue"),
        ("2026-01-01", "2026-12-20", "review-due-soon"),
    ],
)
def test_review_dates(last: str, next_: str, code: str) -> None:
    text = (
        f"Title: A\nReviewed_by: test-reviewer\nLast_reviewed: {last}\nNext_review: {next_}\n"
        f"Review_history:\n    {last} | test-reviewer | First review\n\nx"
    )
    found = checks.check_review(source(text), context(REVIEWERS=FIXTURE_REVIEWERS))
    assert code in {f.code for f in found}


def test_missing_reviewer_is_a_warning_and_an_error_in_production() -> None:
    src = source("Title: A\nReviewed_by:\nLast_reviewed:\nNext_review:\n\nx")
    [warning] = checks.check_review(src, context())
    assert (warning.code, warning.severity) == ("review-missing", "warning")
    [error] = checks.check_review(src, context(REQUIRE_CLINICAL_REVIEW=True))
    assert error.severity == "error"


def test_pages_are_not_clinical() -> None:
    src = source("Title: A\nSlug: a\nSummary: b\n\nShort text.", kind="page")
    ctx = context()
    assert checks.check_review(src, ctx) == [] and checks.check_references(src, ctx) == []


def test_hardest_sentences_have_line_numbers_and_thresholds_are_settings() -> None:
    text = (
        "Title: A\n\nShort one. Another short one.\n\nA considerably more complicated "
        "pharmacological consideration necessitates individualized evaluation.\n"
    )
    src = source(text)
    assert (
        readability.hardest([s for sec in readability.sections_of(src) for s in sec.sentences], 1)[
            0
        ].line
        == 5
    )
    strict = readability.check_readability(src, context(CHECK_MAX_GRADE=1, CHECK_MAX_SMOG=1))
    assert [f.code for f in strict] == ["read-grade"] and "line 5" in strict[0].fix
    assert readability.check_readability(src, context(CHECK_MAX_GRADE=40, CHECK_MAX_SMOG=40)) == []
    # The message says which measure is over its limit, and which is within its own.
    (grade_only,) = readability.check_readability(
        src, context(CHECK_MAX_GRADE=1, CHECK_MAX_SMOG=40)
    )
    assert "over its limit of 1" in grade_only.message and "is within its 40" in grade_only.message


def test_one_long_sentence_among_short_ones_is_a_warning_at_its_line() -> None:
    """The reading scores average over the article: one 40-word sentence passes them."""
    long_one = " ".join(["word"] * 39) + " end."
    text = "Title: A\n\n" + "Short one. " * 30 + "\n\n" + long_one + "\n\nShort again.\n"
    lenient = {"CHECK_MAX_GRADE": 40, "CHECK_MAX_SMOG": 40}
    findings = readability.check_readability(source(text), context(**lenient))
    assert [(f.code, f.severity, f.line) for f in findings] == [("sentence-long", "warning", 5)]
    assert "40 words (at most 30)" in findings[0].message
    roomy = context(**lenient, CHECK_MAX_SENTENCE_WORDS=40)
    assert readability.check_readability(source(text), roomy) == []


def test_invalid_settings_name_the_setting() -> None:
    with pytest.raises(ValueError, match="CHECK_MAX_GRADE"):
        check_settings({"CHECK_MAX_GRADE": "eight"})


def test_schema_covers_every_key_in_metadata_md() -> None:
    names = {field.name for field in schema.FIELDS}
    assert {"Title", "Slug", "Date", "Modified", "Category", "Tags", "Summary", "Reviewed_by",
            "Last_reviewed", "Next_review", "Review_history", "Cta", "Disclaimer",
            "Status"} <= names  # fmt: skip
    assert schema.required_keys("page") == ["title", "slug", "summary"]


def test_reports_group_by_file_and_json_is_machine_readable() -> None:
    findings = [
        Finding("a.md", 3, "error", "meta-date", "bad date", "write YYYY-MM-DD"),
        Finding("a.md", None, "warning", "review-missing", "no review", "ask"),
    ]
    human = format_human(findings, 2)
    assert human.splitlines()[0] == "a.md" and "line 3" in human
    assert human.splitlines()[-1].startswith("1 error and 1 warning in 1 file")
    data = json.loads(format_json(findings, 2))
    assert data["errors"] == 1 and data["findings"][0]["code"] == "meta-date"


# --- The shipped site -------------------------------------------------------------------------


def test_shipped_content_passes_with_review_warnings_only() -> None:
    """`invoke check` on content/: exit 0; unreviewed articles are warnings."""
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--format", "json"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["errors"] == 0
    for finding in data["findings"]:
        assert finding["severity"] == "warning"
    # Speed is measured by benchmarks/check_speed.py, not asserted here (no timed tests).
    assert isinstance(data["seconds"], float)


def test_production_rules_list_what_publishing_refuses_content_and_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unreviewed articles, and each example value the production build refuses, named by
    setting and line: one command lists everything a first publish must fix."""
    from clinic.clinic import example_settings_values

    monkeypatch.delenv("SITEURL", raising=False)
    findings, _ = run_fast_check(PROJECT_ROOT, production=True)
    unreviewed = [f for f in findings if f.code == "review-missing"]
    assert unreviewed and all(f.is_error for f in unreviewed)
    # SITEURL unset (as in the tests): publishing would stop on it, so the check says so too.
    (address,) = [f for f in findings if f.message.startswith("SITEURL is not set")]
    assert address.is_error and "https://" in address.fix
    examples = [f for f in findings if f.code == "settings-example" and f is not address]
    settings = load_pelican_settings(PROJECT_ROOT, production=True)
    refused = example_settings_values(settings)
    assert len(examples) == len(refused) > 0 and all(f.is_error for f in examples)
    lines = (PROJECT_ROOT / "pelicanconf.py").read_text(encoding="utf-8").splitlines()
    by_setting = {finding.message.split(" = ")[0]: finding for finding in examples}
    for where, value in refused:
        finding = by_setting[where]
        assert finding.file == "pelicanconf.py" and finding.line is not None, finding
        assert value[:30] in lines[finding.line - 1]
    writing, _ = run_fast_check(PROJECT_ROOT)
    assert not [f for f in writing if f.code == "settings-example"]  # fine in a preview


@pytest.mark.parametrize(
    ("siteurl", "said"),
    [("https://www.your-clinic.org", "SITEURL = 'https://www.your-clinic.org' is an example"),
     ("http://www.westside-pain.org", "an http:// address")],
)  # fmt: skip
def test_production_rules_refuse_the_docs_site_address_and_plain_http(
    monkeypatch: pytest.MonkeyPatch, siteurl: str, said: str
) -> None:
    monkeypatch.setenv("SITEURL", siteurl)
    findings, _ = run_fast_check(PROJECT_ROOT, production=True)
    (address,) = [f for f in findings if f.code == "settings-example" and "SITEURL" in f.message]
    assert said in address.message and address.is_error
    assert "https://" in address.fix


def test_check_sources_survives_a_bug_in_one_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(src: object, ctx: object) -> list:
        raise RuntimeError("boom")

    from content_check import runner

    monkeypatch.setattr(runner, "FILE_CHECKS", (broken,))
    [finding] = check_sources([source("Title: A\n\nx")], {}, TODAY)
    assert finding.code == "check-crashed" and finding.file == "content/articles/x.md"


# --- Documentation and the built-site checks --------------------------------------------------

CODE_RE = (
    r'"((?:file|meta|review|ref|claim|read|link|image|html|a11y|build|check|glossary|scaffold'
    r'|translation|block|heading)-[a-z0-9-]+)"'
)


def test_the_writers_guide_explains_every_code_and_every_metadata_key() -> None:
    import re

    readme = (PROJECT_ROOT / "docs" / "writers.md").read_text(encoding="utf-8")
    plugins = PROJECT_ROOT / "plugins"
    # content_guard's refusals are the check's findings too (file-format, file-outside).
    files = [*plugins.glob("content_check/*.py"), *plugins.glob("content_guard/*.py")]
    codes = {c for path in files for c in re.findall(CODE_RE, path.read_text())}
    assert {"meta-unknown-key", "claim-absolute", "read-grade", "link-broken"} <= codes
    missing = sorted(code for code in codes if f"`{code}`" not in readme)
    assert not missing, f"docs/writers.md's 'What the checks say' lacks {missing}"
    assert schema.markdown_table() in readme, "regenerate the metadata reference table"


def test_built_links_and_fragments_are_checked(tmp_path: Path) -> None:
    from content_check.html_checks import check_built_links

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="one">One</h2>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="/a/#one">ok</a>\n<a href="https://site.test/a/#two">bad fragment</a>\n'
        '<img src="/images/none.png" alt="">\n<a href="https://elsewhere.test/">external</a>',
        encoding="utf-8",
    )
    findings = check_built_links(tmp_path, "https://site.test")
    assert [(f.code, f.line) for f in findings] == [("link-fragment", 2), ("link-broken", 3)]


def test_a_theme_file_missing_from_the_build_is_one_finding_on_the_theme(tmp_path: Path) -> None:
    """No Markdown can fix it: not one "use {filename} links" finding a page."""
    from content_check.html_checks import check_built_links

    stylesheet = '<link rel="stylesheet" href="https://site.test/theme/css/site.1a2b3c4d5e.css">'
    for page in ("index.html", "a/index.html", "b/index.html"):
        (tmp_path / page).parent.mkdir(exist_ok=True)
        (tmp_path / page).write_text(stylesheet + '\n<a href="/c/">c</a>', encoding="utf-8")
    findings = check_built_links(tmp_path, "https://site.test")
    (finding,) = [f for f in findings if f.file == "theme/templates"]
    assert [f.message.split()[0] for f in findings if f is not finding] == ["/c/"] * 3
    assert finding.code == "link-broken"
    assert finding.message.startswith("/theme/css/site.1a2b3c4d5e.css does not exist")
    assert "from 3 pages" in finding.message and "correct the template" in finding.fix


# --- Nothing unchecked goes live, nothing outside content/ leaks (issue 13) --------------------


def write_files(folder: Path, files: dict[str, str]) -> None:
    """Write ``{"articles/a.md": text}`` under ``folder``."""
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def fixture_article(**changes: str | None) -> str:
    """The corpus's valid article, with some metadata changed."""
    sys.path.insert(0, str(CORPUS))
    try:
        import generate
    finally:
        sys.path.remove(str(CORPUS))
    return generate.article(changes)


def test_every_format_pelican_reads_is_checked_or_refused(
    dev_settings: dict, tmp_path: Path
) -> None:
    """Markdown under any of its extensions is checked; reST and HTML are refused by name;
    what Pelican ignores or excludes, the check ignores too."""
    claim = fixture_article(Summary="Can ketamine cure nerve pain? What to ask.")
    write_files(
        tmp_path,
        {
            "articles/a.markdown": claim.replace("ketamine-for-nerve-pain", "a"),
            "articles/b.mkd": claim.replace("ketamine-for-nerve-pain", "b"),
            "articles/c.rst": "Title\n#####\n\nA guaranteed cure.\n",
            "pages/d.html": "<html><head><title>D</title></head><body>Cure</body></html>",
            "articles/e.skip.md": claim,  # IGNORE_FILES below
            "articles/old/f.md": claim,  # ARTICLE_EXCLUDES below
        },
    )
    settings = {
        **dev_settings,
        "IGNORE_FILES": [*dev_settings["IGNORE_FILES"], "*.skip.md"],
        "ARTICLE_EXCLUDES": [*dev_settings["ARTICLE_EXCLUDES"], "articles/old"],
    }
    findings = check_folder(tmp_path, settings)
    by_file = {(f.file, f.code) for f in findings if f.is_error}
    assert ("articles/a.markdown", "claim-absolute") in by_file
    assert ("articles/b.mkd", "claim-absolute") in by_file
    assert ("articles/c.rst", "file-format") in by_file
    assert ("pages/d.html", "file-format") in by_file
    assert {f.file for f in findings} == {
        "articles/a.markdown",
        "articles/b.mkd",
        "articles/c.rst",
        "pages/d.html",
    }
    [rst] = [f for f in findings if f.file == "articles/c.rst"]
    assert "only checks and publishes Markdown" in rst.message and "c.md" in rst.fix


def test_a_link_out_of_content_is_refused_by_name_and_never_read(
    dev_settings: dict, tmp_path: Path
) -> None:
    folder = tmp_path / "site"
    write_files(folder, {"articles/a.md": fixture_article()})
    secret = tmp_path / "environ"
    secret.write_text("Title: CI_TOKEN=never-publish-this\n\nx\n", encoding="utf-8")
    (folder / "articles" / "b.md").symlink_to(secret)
    (folder / "images").mkdir()
    (folder / "images" / "all").symlink_to(tmp_path)  # a folder link: never walked
    (folder / "images" / "real.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "images" / "inside.png").symlink_to("real.png")  # inside: fine
    findings = check_folder(folder, dev_settings)
    outside = sorted((f.file, f.code) for f in findings if f.is_error)
    assert outside == [("articles/b.md", "file-outside"), ("images/all", "file-outside")]
    [link] = [f for f in findings if f.file == "articles/b.md"]
    assert str(secret) in link.message and "Delete the link" in link.fix
    assert not any("CI_TOKEN" in f.message + f.fix for f in findings)


@pytest.mark.parametrize(
    "target",
    [
        "{static}../../../etc/passwd",
        "{static}/../../etc/passwd",
        "{attach}../../secret.txt",
        "{filename}../../other-project/article.md",
    ],
)
def test_a_content_link_that_climbs_out_of_content_is_refused(
    dev_settings: dict, tmp_path: Path, target: str
) -> None:
    article = fixture_article().replace("## Does it help?", f"[x]({target})\n\n## Does it help?")
    write_files(tmp_path, {"articles/a.md": article})
    [finding] = [f for f in check_folder(tmp_path, dev_settings) if f.is_error]
    assert finding.code == "link-outside" and target in finding.message
    assert finding.line == article.splitlines().index(f"[x]({target})") + 1


RAW_HTML = """\
Title: A

Plain <b>bold</b> and <abbr title="x">abbr</abbr> are fine, as is `<script>` in code.
<script>alert(1)</script>
<iframe src="https://video.example.org/"></iframe>
Click <a href="javascript:alert(1)" onclick="go()">here</a>.
<p style="color:red">Red</p>
<style>p { color: red }</style>
A paragraph with attributes.
{: onmouseover="alert(2)" }
<form action="https://forms.example.org/"><input name="q"></form>
<object data="x.swf"></object> <embed src="x.swf">
<script src="https://cdn.example.org/a.js"></script>

```
<script>in a fenced block: shown as code</script>
```

<!-- <script>in a comment: never reaches the page</script> -->

!!! care-urgent "<img src=x onerror=alert(3)>"
    Call your doctor today.

Text.[^a]

[^a]: A reference <script>alert(4)</script>
    continued <span onclick="y()">here</span>.
"""


def test_raw_html_shows_as_text_and_the_check_names_each_line() -> None:
    """Raw HTML is off: every tag typed in text, a care card's title or a footnote is shown as
    characters (html-raw); what Markdown itself builds from an attribute list is held against
    the allow-list (markup-not-allowed). Code and writer's notes are neither."""
    from content_check.markup import check_markup, check_raw_html

    src = source(RAW_HTML)
    raw = check_raw_html(src, context())
    assert all(f.code == "html-raw" and f.is_error for f in raw)
    assert sorted(f.line for f in raw) == [3, 4, 5, 6, 7, 8, 11, 12, 13, 21, 26, 27]
    # Mid-paragraph, "{: onmouseover=... }" is text too: nothing but text reaches the page.
    assert check_markup(src, context()) == []


ATTRIBUTE_LISTS = """\
Title: A
Summary: See [this](javascript:alert(1)) and [that](http://example.org/).

Reviewed by Dr Fake, MD
{: .review-dates }

A paragraph with a handler.
{: onmouseover="alert(2)" style="color: red" }

![A drip](https://tracker.example.org/pixel.png) and
[a link](https://example.org/){: ping="https://tracker.example.org/" }

[Click](javascript:alert(3)) and ![Ours](/images/share.png)
"""


def test_what_markdown_builds_is_held_against_the_allow_list_with_its_line() -> None:
    from content_check.markup import check_markup

    findings = check_markup(source(ATTRIBUTE_LISTS), context())
    assert all(f.code == "markup-not-allowed" and f.is_error for f in findings)
    found = {
        (f.line, f.message.split(", which")[0].removeprefix("The page would hold "))
        for f in findings
    }
    assert found == {
        (2, 'href="javascript:alert(1)" on <a>'),
        (2, 'a link to "javascript:alert(1)" in the Summary'),
        (2, 'a link to "http://example.org/" in the Summary'),
        (5, 'the class "review-dates" on <p>'),
        (8, 'onmouseover="alert(2)" on <p>'),
        (8, 'style="color: red" on <p>'),
        (10, 'src="https://tracker.example.org/pixel.png" on <img>'),
        (11, 'ping="https://tracker.example.org/" on <a>'),
        (13, 'href="javascript:alert(3)" on <a>'),
    }


def test_a_nul_byte_or_control_character_is_reported_with_its_line() -> None:
    src = source("Title: A\x07\n\nFine line.\nNot \x00 fine.\nTabs\tand form feeds\x0c are fine.\n")
    findings = checks.check_control_characters(src, context())
    assert [(f.line, f.code, f.severity) for f in findings] == [
        (1, "file-control-character", "error"),
        (4, "file-control-character", "error"),
    ]
    assert "a NUL byte (U+0000)" in findings[1].message
    assert "a control character (U+0007)" in findings[0].message


def date_findings(text: str, production: bool = False) -> list[Finding]:
    ctx = context()
    ctx.production = production
    return [f for f in checks.check_metadata(source(text), ctx) if f.code.startswith("meta-date")]


def test_a_future_date_is_a_warning_while_writing_and_an_error_in_production() -> None:
    text = "Title: A\nDate: 2030-01-01\nModified: 2030-02-01\n\nx"
    warnings = date_findings(text)
    assert [(f.code, f.severity, f.line) for f in warnings] == [
        ("meta-date-future", "warning", 2),
        ("meta-date-future", "warning", 3),
    ]
    assert '"Published 1 January 2030"' in warnings[0].message
    assert '"Updated 1 February 2030"' in warnings[1].message
    assert {f.severity for f in date_findings(text, production=True)} == {"error"}
    assert date_findings(text.replace("x", "").replace("Title: A", "Title: A\nStatus: draft")) == []
    assert date_findings(f"Title: A\nDate: {TODAY}\n\nx", production=True) == []


@pytest.mark.parametrize(
    "value", ["2026-11-25 10:00+01:00", "2026-11-25T10:00:00Z", "2026-11-25 10:00", "2026-11-25"]
)
def test_a_date_with_a_time_or_zone_that_pelican_reads_is_accepted(value: str) -> None:
    from pelican.utils import get_date

    assert get_date(value).date() == TODAY  # Pelican reads it as that day
    assert date_findings(f"Title: A\nDate: {value}\nModified: {value}\n\nx") == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("Date", "2026-11-25 25:00"),  # Pelican cannot read it
        ("Date", "10/01/2026"),  # not the day first: the site's form
        ("Modified", "2026-11-25 tomorrow"),
        ("Last_reviewed", "2026-06-01T10:00:00Z"),  # review dates are days only
    ],
)
def test_a_date_that_is_not_a_day_keeps_its_message(key: str, value: str) -> None:
    text = f"Title: A\nReviewed_by: Jane Doe, MD\n{key}: {value}\n\nx"
    [finding] = date_findings(text)
    said = " (year-month-day); the build leaves the page out." if key != "Last_reviewed" else "."
    assert finding.message == f'{key} "{value}" is not a real date in the form YYYY-MM-DD{said}'


def test_a_slug_too_long_for_an_address_is_refused_and_the_limit_is_a_setting() -> None:
    long_slug = "-".join(["ketamine"] * 10)  # 89 characters
    src = source(f"Title: A\nSlug: {long_slug}\n\nx")
    [finding] = [f for f in checks.check_metadata(src, context()) if f.code == "meta-too-long"]
    assert finding.line == 2 and "Slug is 89 characters; at most 80" in finding.message
    assert checks.check_slug_length(src, context(CHECK_MAX_SLUG=100)) == []
    assert (
        checks.check_slug_length(source("Title: A\nSlug: " + "a" * 80 + "\n\nx"), context()) == []
    )
    with pytest.raises(ValueError, match="CHECK_MAX_SLUG"):
        check_settings({"CHECK_MAX_SLUG": "eighty"})


def test_reserved_slugs_come_from_the_settings(dev_settings: dict) -> None:
    from content_check.addresses import reserved_slugs

    pages = reserved_slugs(dev_settings)["page"]
    assert {"search", "topics", "tags", "archives", "theme", "drafts", "articles", "images",
            "extra"} <= set(pages)  # fmt: skip
    assert pages["search"] == 'SEARCH_SAVE_AS writes "search/index.html"'
    assert reserved_slugs(dev_settings)["article"] == {}  # articles live under articles/
    moved = reserved_slugs({**dev_settings, "SEARCH_SAVE_AS": "find/index.html"})["page"]
    assert "find" in moved and "search" not in moved
    production = load_pelican_settings(PROJECT_ROOT, production=True)
    assert {"feeds", "pagefind"} <= set(reserved_slugs(production)["page"])


def test_a_page_slug_the_build_writes_is_refused_before_publishing(tmp_path: Path) -> None:
    """`invoke check` (development rules) also refuses what only publishing writes (feeds)."""
    import shutil

    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    (tmp_path / "theme").symlink_to(PROJECT_ROOT / "theme")
    page = "Title: Our feeds\nSlug: {}\nSummary: Where to follow us.\n\nText.\n"
    write_files(
        tmp_path / "content",
        {"pages/search.md": page.format("search"), "pages/feeds.md": page.format("feeds")},
    )
    findings, _ = run_fast_check(tmp_path, today=TODAY)
    reserved = {(f.file, f.line) for f in findings if f.code == "meta-slug-reserved"}
    assert reserved == {("content/pages/search.md", 2), ("content/pages/feeds.md", 2)}


def test_the_check_passes_the_complexity_rules() -> None:
    """C901 (at most 10) and PLR0912/PLR0915 on the check, as the project's rules ask.

    html_checks.py belongs to the built-site audits and check_review to the review rules (both
    moving to shared modules in the same round); everything else must pass.
    """
    plugin = PROJECT_ROOT / "plugins" / "content_check"
    command = [
        sys.executable, "-m", "ruff", "check", "--select", "C901,PLR0912,PLR0915",
        "--config", "lint.mccabe.max-complexity=10", "--output-format", "json",
        *[str(p) for p in sorted(plugin.glob("*.py")) if p.name != "html_checks.py"],
    ]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    flagged = {item["message"] for item in json.loads(result.stdout)}
    assert flagged <= {"`check_review` is too complex (13 > 10)"}, flagged


# --- One source for each rule (issue 14) -------------------------------------------------------


def cta_findings(text: str, kind: str = "article") -> list[Finding]:
    english = {**ENGLISH_AND_SPANISH["en"], "cta_variants": {"infusions": {}}}
    english["disclaimer_variants"] = {"short": {}}
    ctx = context(LANGUAGES={"en": english})
    return checks.check_cta_and_disclaimer(source(text, kind), ctx)


def test_cta_and_disclaimer_values_are_read_as_the_build_reads_them() -> None:
    """consult_cta's choose_variant decides: any case, and `default` is always a variant."""
    from consult_cta.settings import VariantError, choose_variant

    for value in ("default", "Default", "Infusions", "OFF", ""):
        assert cta_findings(f"Title: A\nCta: {value}\n\nx") == []
        choose_variant(value, {"infusions"}, may_turn_off=True)  # the build accepts it too
    assert cta_findings("Title: A\nDisclaimer: DEFAULT\n\nx") == []
    assert cta_findings("Title: A\nDisclaimer: Off\n\nx", kind="page") == []
    # What the build refuses, the check refuses, with the messages it always gave.
    [cta] = cta_findings("Title: A\nCta: infusion\n\nx")
    assert cta.message == (
        "Cta \"infusion\" is not \"off\" or a name from LANGUAGES['en']['cta_variants'] "
        '(did you mean "infusions"?).'
    )
    assert cta.fix == "Use one of: off, infusions."
    with pytest.raises(VariantError):
        choose_variant("infusion", {"infusions"}, may_turn_off=True)
    [off] = cta_findings("Title: A\nDisclaimer: off\n\nx")
    assert off.message == (
        'Disclaimer "off" is not allowed here. Articles cannot turn the disclaimer off.'
    )
    assert off.fix == "Use one of: default, short, or remove the line."
    [page] = cta_findings("Title: A\nDisclaimer: long\n\nx", kind="page")
    assert page.fix == "Use one of: default, off, short, or remove the line."


def test_the_check_reads_dates_with_the_sites_one_parser() -> None:
    import dates

    assert checks.parse_iso_date is dates.parse_iso_date


# --- What needs a source (issue 15) -------------------------------------------------------------


def uncited(body: str, code: str = "ref-uncited-number", **settings: object) -> list[int]:
    """The lines of ``code`` findings in an article with this body (line 3 is its first)."""
    from content_check import citations

    check = (
        citations.check_uncited_numbers
        if code == "ref-uncited-number"
        else citations.check_uncited_instructions
    )
    src = source("Title: A\n\n" + body)
    return [f.line for f in check(src, context(**settings)) if f.code == code]


@pytest.mark.parametrize(
    "body",
    [
        "About 1 in 4 people feel sick.",
        "Relief lasted up to 12 weeks for some.",
        "In all, 8,341 adults took part.",
        "The dose was 0.35 mg/kg an hour.",
        "The FDA approved it in 1970.",
        "Pain fell by 32%.",
        "It helps.[^a] It lasted 2 weeks.\n\n[^a]: A. doi:10.1/x",  # the citation is elsewhere
        "Studies found:[^a]\n\n- most people had 4 to 6 sessions\n\n[^a]: A. doi:10.1/x",
        "| Dose | Effect |\n| --- | --- |\n| 0.5 mg | sleepy |",
        '!!! info "What this means"\n    It may help for 12 weeks.',
    ],
)
def test_a_figure_without_a_source_in_its_sentence_or_item_is_an_error(body: str) -> None:
    assert uncited(body), body


@pytest.mark.parametrize(
    "body",
    [
        "About 1 in 4 people feel sick.[^a]\n\n[^a]: Smith 2020. doi:10.1/x",
        "- most people had 4 to 6 sessions[^a]\n- it helps\n\n[^a]: A. doi:10.1/x",
        "- most people had 4 to 6\n  sessions in all[^a]\n\n[^a]: A. doi:10.1/x",  # one item
        "## Relief for 12 weeks?\n\nIt may help.",  # a heading
        '!!! care-emergency "Call 911 within 5 minutes if:"\n    - you cannot breathe',
        "If you are in crisis, call or text 988. The 988 Lifeline is open.",  # phone lines
        "Call the office on (555) 555-0101.",
        "Can I have 2 sessions a week?",  # a question claims nothing
        "Read [the 2018 guide]({filename}other.md) first.",  # a link's text
        "Vitamin B12 and COVID-19 are names, not figures.",
        "It helps.[^cohen2018]\n\n[^cohen2018]: Cohen 2018;43(5):521-546. doi:10.1/x",
        "`CHECK_MIN_REFERENCES = 4` is code.",
    ],
)
def test_what_is_not_an_uncited_figure(body: str) -> None:
    assert uncited(body) == [], body


def test_uncited_figures_name_the_sentence_and_pages_are_not_clinical() -> None:
    from content_check import citations

    src = source("Title: A\n\nIt helps some people.[^a] It lasted 2 weeks.\n\n[^a]: A. doi:10.1/x")
    [finding] = citations.check_uncited_numbers(src, context())
    assert (finding.line, finding.severity) == (3, "error")
    assert finding.message == (
        'This sentence states a figure ("2") but cites no source: "It lasted 2 weeks."'
    )
    page = source("Title: A\nSlug: a\nSummary: b\n\nOpen 5 days a week.", kind="page")
    assert citations.check_uncited_numbers(page, context()) == []
    assert uncited("Call 911 now.", CHECK_NUMBERS_NOT_FIGURES=[]) == [3]


@pytest.mark.parametrize(
    ("body", "warned"),
    [
        ("Do not drive on the day of your treatment.", True),
        ("If you feel dizzy, do not drive.", True),
        ("**Do not drive** on the day.", True),
        ("- avoid alcohol for the rest of the day", True),
        ("Stop taking it if you feel unwell.", True),
        ("Do not drive on the day.[^a]\n\n[^a]: Label. https://dailymed.nlm.nih.gov/", False),
        ("Do not drive: see [our advice]({filename}../pages/after-care.md).", False),
        ('## Going home\n\n!!! clinic-rule "after_treatment"\n\nDo not drive home.', False),
        ("Strange feelings that do not go away need a call.", False),
        ("Your team may avoid it if you have heart disease.", False),
    ],
)
def test_safety_advice_needs_a_source_the_clinics_page_or_its_rule(body: str, warned: bool) -> None:
    assert bool(uncited(body, "ref-uncited-instruction")) is warned, body


def test_safety_advice_in_spanish_and_its_severity() -> None:
    from content_check import citations

    src = source("Title: A\nLang: es\n\nNo maneje el día del tratamiento.\n\nEvite el alcohol.")
    findings = citations.check_uncited_instructions(src, context())
    assert [(f.line, f.severity) for f in findings] == [(4, "warning"), (6, "warning")]


# --- The glossary (issue 15) ----------------------------------------------------------------------


def glossary_context(tmp_path: Path) -> checks.Context:
    from content_check.glossary_check import site_glossaries

    (tmp_path / "pages" / "es").mkdir(parents=True)
    (tmp_path / "pages" / "glossary.md").write_text(
        "Title: G\nSlug: glossary\nSummary: s\n\n## Dissociation {#dissociation}\n\n"
        "Also called: feeling detached, dissociative\n\nFeeling cut off.\n",
        encoding="utf-8",
    )
    (tmp_path / "pages" / "es" / "glossary.md").write_text(
        "Title: G\nSlug: glossary\nLang: es\nSummary: s\n\n## Disociación {#disociacion}\n\n"
        "También llamado: sentirse separado\n\nSentirse desconectado.\n",
        encoding="utf-8",
    )
    markdown = {"extension_configs": {"article_markup": {"glossaries": {
        "en": "pages/glossary.md", "es": "pages/es/glossary.md"}}}}  # fmt: skip
    ctx = context()
    ctx.index.glossaries = site_glossaries({"MARKDOWN": markdown}, tmp_path)
    return ctx


def test_a_medical_word_the_glossary_lacks_is_a_warning(tmp_path: Path) -> None:
    from content_check.glossary_check import check_glossary_terms, medical_words

    assert medical_words("feel cut off (dissociation) or (for example) sick (nausea).") == [
        "dissociation",
        "nausea",
    ]
    assert medical_words("the dose (0.5 mg), [a link](x) (see below), a (b, c)") == []
    ctx = glossary_context(tmp_path)
    text = (
        "Title: A\n\n## Feeling strange (dissociation)\n\n"
        "You may feel detached (Dissociative). You may feel sick (nausea).\n"
    )
    findings = check_glossary_terms(source(text), ctx)
    assert [(f.line, f.code, f.severity) for f in findings] == [
        (5, "glossary-term-missing", "warning")
    ]
    assert '"nausea"' in findings[0].message and "content/pages/glossary.md" in findings[0].message
    spanish = source("Title: A\nLang: es\n\nSe siente separado (disociación). Y (náuseas).\n")
    [es] = check_glossary_terms(spanish, ctx)
    assert '"náuseas"' in es.message and "También llamado:" in es.fix
    page = source("Title: A\nSlug: a\nSummary: b\n\nA word (nausea).", kind="page")
    assert check_glossary_terms(page, ctx) == []


def test_a_link_to_a_glossary_entry_that_does_not_exist_is_an_error(
    dev_settings: dict, tmp_path: Path
) -> None:
    glossary = "Title: G\nSlug: glossary\nSummary: s\n\n## Dissociation {#dissociation}\n\nText.\n"
    article = fixture_article().replace(
        "## Does it help?",
        "See [dissociation]({filename}../pages/glossary.md#dissociation) and "
        "[nausea]({filename}../pages/glossary.md#nausea).\n\n## Does it help?",
    )
    write_files(tmp_path, {"articles/a.md": article, "pages/glossary.md": glossary})
    findings = [f for f in check_folder(tmp_path, dev_settings) if f.is_error]
    assert [(f.code, f.file) for f in findings] == [("glossary-entry-missing", "articles/a.md")]
    assert "#nausea is not an entry of the glossary (pages/glossary.md)" in findings[0].message


# --- invoke new's skeleton (issue 15) -------------------------------------------------------------


def test_an_article_fresh_from_invoke_new_fails_with_scaffold_left() -> None:
    from content_check.scaffold import check_scaffold

    sys.path.insert(0, str(PROJECT_ROOT))
    try:
        from commands.new_article import NEW_ARTICLE_TEMPLATE
    finally:
        sys.path.remove(str(PROJECT_ROOT))
    text = NEW_ARTICLE_TEMPLATE.format(
        title="Ketamine and sleep", slug="ketamine-and-sleep", today="2026-11-20",
        category="Ketamine", tag="safety",
    )  # fmt: skip
    findings = check_scaffold(source(text), context())
    lines = text.splitlines()
    flagged = {lines[f.line - 1].split(":")[0] for f in findings}
    assert {"Summary", "[^source1]", "    doi"} <= flagged
    assert all(f.code == "scaffold-left" and f.is_error for f in findings)
    assert any("Start with 1 or 2 sentences" in f.message for f in findings)
    assert any('"Author A, Author B"' in f.message for f in findings)
    # The key points box's bullets say what each point should be: none is for readers.
    bullets = [number for number, line in enumerate(lines, 1) if line.startswith("    - ")][:3]
    assert "The one main message first" in lines[bullets[0] - 1]
    assert {f.line for f in findings} >= set(bullets)
    # Headings, list items and care cards may stay: writers keep "## What are the risks?".
    kept = {"## What are the risks?", "- Is this treatment right for me?"}
    assert not any(lines[f.line - 1] in kept for f in findings)


def test_the_skeleton_is_read_from_the_new_article_template(tmp_path: Path) -> None:
    from content_check.scaffold import skeleton

    template_file = tmp_path / "new_article.py"
    template_file.write_text(
        'NEW_ARTICLE_TEMPLATE = """Title: {title}\\nSummary: Write your summary here.\\n\\n'
        'Tell the reader what this page covers.[^ref1]\\n\\n[^ref1]: Some Author. A title."""\n',
        encoding="utf-8",
    )
    found = skeleton(template_file)
    assert found.summary == "Write your summary here."
    assert found.texts[0] == "Tell the reader what this page covers."
    assert found.labels == {"ref1"}
    assert skeleton(tmp_path / "no-template.py") is None


# --- The check learns Spanish (issue 18) ------------------------------------------------------

EASY_ES = (
    "Title: A\nLang: es\n\n## ¿Qué es?\n\n"
    + "La ketamina es un medicamento. Se usa en cirugía. Puede calmar el dolor. " * 12
)
HARD_ES = (
    "Title: A\nLang: es\n\n## ¿Qué es?\n\n"
    + "La administración intravenosa de ketamina demuestra considerable heterogeneidad "
    "respecto de la efectividad analgésica, necesitando consideración individualizada de "
    "comorbilidades. " * 4
)


def test_spanish_articles_are_scored_with_fernandez_huerta() -> None:
    import textstat

    english = "A considerably complicated pharmacological consideration. Short one."
    before = textstat.flesch_kincaid_grade(english)
    assert readability.check_readability(source(EASY_ES), context()) == []
    findings = readability.check_readability(source(HARD_ES), context())
    assert [(f.code, f.severity) for f in findings] == [
        ("read-ease", "error"),
        ("read-ease-section", "warning"),
    ]
    assert "Fernández-Huerta" in findings[0].message and '"bastante fácil"' in findings[0].message
    assert "line 6 (ease" in findings[0].fix
    # The threshold is a setting; the English formulas do not judge Spanish text.
    strict = context(CHECK_MIN_READING_EASE_ES=100)
    assert [f.code for f in readability.check_readability(source(EASY_ES), strict)] == [
        "read-ease",
        "read-ease-section",
    ]
    lenient = context(CHECK_MAX_GRADE=0, CHECK_MAX_SMOG=0, CHECK_MIN_READING_EASE_ES=-999)
    assert readability.check_readability(source(HARD_ES), lenient) == []
    # textstat's module state is English again, as the English scores were made.
    assert textstat.flesch_kincaid_grade(english) == before
    assert readability.ease_band(75) == "bastante fácil" and readability.ease_band(10) == (
        "muy difícil"
    )


def test_every_languages_claim_list_applies_to_every_page_its_own_first() -> None:
    """An English sentence pasted into a Spanish page is still English (issue 24)."""
    spanish = source("Title: A\nLang: es\n\nEs un tratamiento milagroso. Cure your pain.\n")
    milagroso, cure = checks.check_claims(spanish, context())
    assert milagroso.message.startswith('"milagroso": El lenguaje de publicidad')
    assert milagroso.fix.startswith("Instead: Describa con palabras sencillas")
    assert cure.message.startswith('"Cure": Ketamine eases some pain')
    english = source("Title: A\n\nA miracle. Un milagro.\n")
    assert [f.message.split(":")[0] for f in checks.check_claims(english, context())] == [
        '"miracle"',
        '"milagro"',
    ]
    # A phrase both lists hold ("ideal") is reported once, in the page's own language.
    [ideal] = checks.check_claims(source("Title: A\nLang: es\n\nEs ideal.\n"), context())
    assert "lo deciden esa persona" in ideal.message
    seguro = {"seguro": {"why": "w", "instead": "i"}}
    spanish = {**ENGLISH_AND_SPANISH["es"], "absolute_claims": seguro}
    own = context(LANGUAGES={**ENGLISH_AND_SPANISH, "es": spanish})
    own_claims = checks.check_claims(source("Title: A\nLang: es\n\nEs seguro."), own)
    assert [f.message for f in own_claims] == ['"seguro": w']
    french = checks.check_claims(source("Title: A\nLang: fr\n\nUn miracle.\n"), context())
    assert [f.message.split(":")[0] for f in french] == ['"miracle"']
    spanish = {**ENGLISH_AND_SPANISH["es"], "absolute_claims": {"cura": {"why": "w"}}}
    with pytest.raises(SettingsError, match=r"LANGUAGES\['es'\]\['absolute_claims'\]"):
        check_settings({"LANGUAGES": {**ENGLISH_AND_SPANISH, "es": spanish}})


ENGLISH_AND_SPANISH = {
    "en": {"name": "English", "locale": "en_US", "date_format": "d MMMM y"},
    "es": {"name": "Español", "locale": "es_US", "date_format": "d 'de' MMMM 'de' y"},
}


def test_an_unknown_lang_names_the_file_and_the_accepted_values() -> None:
    ctx = context(LANGUAGES=ENGLISH_AND_SPANISH)
    [finding] = checks.check_lang(source("Title: A\nLang: sp\n\nx"), ctx)
    assert (finding.code, finding.line, finding.severity) == ("meta-value", 2, "error")
    assert 'Lang "sp" is not one of the site\'s languages (en, es)' in finding.message
    assert "content/articles/x.md" in finding.message and "Use one of: en, es" in finding.fix
    assert checks.check_lang(source("Title: A\nLang: es\n\nx"), ctx) == []
    with pytest.raises(SettingsError, match="LANGUAGES"):
        check_settings({"LANGUAGES": {"es": {}}})


def translation_findings(original: str, translation: str, production: bool = False) -> list:
    from content_check.translation_check import check_translations

    ctx = context(LANGUAGES=ENGLISH_AND_SPANISH)
    ctx.production = production
    sources = [
        parse_text(Path("a.md"), "content/articles/a.md", "article", original),
        parse_text(Path("es/a.md"), "content/articles/es/a.md", "article", translation),
    ]
    return check_translations(sources, ctx) + checks.check_duplicates(sources)


ORIGINAL = "Title: A\nSlug: a\nDate: 2026-01-10\n{}\n\nx"
TRANSLATION = "Title: B\nSlug: a\nLang: es\nDate: 2026-02-01\n{}\n\nx"


@pytest.mark.parametrize(
    ("original", "translation", "stale"),
    [
        ("Last_reviewed: 2026-06-01", "Last_reviewed: 2026-06-01", False),
        ("Last_reviewed: 2026-07-01", "Last_reviewed: 2026-06-01", True),  # reviewed since
        ("Modified: 2026-07-01", "Last_reviewed: 2026-06-01", True),  # changed since
        ("Modified: 2026-05-01", "Last_reviewed: 2026-06-01\nModified: 2026-06-02", False),
        ("Modified: 2026-03-01", "", True),  # an unreviewed translation: its own Date
        ("Modified: 2026-03-01", "Modified: 2026-03-02", False),  # or its own last change
        ("", "", False),
    ],
)
def test_a_translation_older_than_its_originals_review_or_change_is_stale(
    original: str, translation: str, stale: bool
) -> None:
    findings = translation_findings(ORIGINAL.format(original), TRANSLATION.format(translation))
    assert [f.code for f in findings] == (["translation-stale"] if stale else [])
    if stale:
        assert findings[0].file == "content/articles/es/a.md" and not findings[0].is_error
        [error] = translation_findings(
            ORIGINAL.format(original), TRANSLATION.format(translation), production=True
        )
        assert error.is_error and "production builds do not publish it" in error.message


def test_a_link_to_a_translations_address_resolves(dev_settings: dict, tmp_path: Path) -> None:
    sys.path.insert(0, str(CORPUS))
    try:
        import generate
    finally:
        sys.path.remove(str(CORPUS))
    english = generate.article(
        body=generate.body_with("(#does-it-help)", "(/es/articles/ketamine-for-nerve-pain/)")
    )
    write_files(tmp_path, {generate.A: english, generate.ES: generate.spanish()})
    findings = check_folder(tmp_path, dev_settings, languages=("en", "es"))
    assert [f for f in findings if f.is_error] == []
    write_files(tmp_path, {generate.A: english.replace("/es/articles/", "/fr/articles/")})
    broken = check_folder(tmp_path, dev_settings, languages=("en", "es"))
    assert [f.code for f in broken if f.is_error] == ["link-broken"]


def test_a_missing_targets_fix_names_the_nearest_file_content_has(
    dev_settings: dict, tmp_path: Path
) -> None:
    sys.path.insert(0, str(CORPUS))
    try:
        import generate
    finally:
        sys.path.remove(str(CORPUS))
    body = generate.body_with(
        "## Does it help?",
        "See [the guide]({filename}ketamine-for-nerve-pian.md).\n\n"
        '![A timeline]({static}/images/figures/timeline.svg "A timeline")\n\n'
        '![A drip]({static}/images/drip.svg "A drip")\n\n## Does it help?',
    )
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>'
    write_files(tmp_path, {generate.A: generate.article(body=body),
                           "images/figures/timelines.svg": svg})  # fmt: skip
    findings = check_folder(tmp_path, dev_settings)
    fixes = {f.message.split(" target ")[1].split(" ")[0]: f.fix
             for f in findings if f.code in ("link-broken", "image-missing")}  # fmt: skip
    assert fixes["{filename}ketamine-for-nerve-pian.md"].startswith(
        "Did you mean {filename}/articles/ketamine-for-nerve-pain.md?"
    )
    assert fixes["{static}/images/figures/timeline.svg"].startswith(
        "Did you mean {static}/images/figures/timelines.svg?"
    )
    assert "images are in content/images/" in fixes["{static}/images/drip.svg"]
    assert "another article is" not in fixes["{static}/images/drip.svg"]


def test_the_summary_line_counts_in_words_that_agree() -> None:
    from content_check.report import summary

    one = [Finding("a.md", 1, "error", "meta-missing", "Summary is missing.")]
    assert summary([], 1) == "No problems found (1 file checked)."
    assert summary(one, 1, 0.25) == (
        "1 error and 0 warnings in 1 file (1 file checked in 0.2 s). "
        "Errors must be fixed before publishing."
    )
    assert summary(one * 2, 12).startswith("2 errors and 0 warnings in 1 file (12 files checked)")


def test_every_finding_of_a_draft_says_so_and_none_blocks() -> None:
    from types import SimpleNamespace

    from content_check.runner import drafts_do_not_block

    sources = [SimpleNamespace(name=name, meta=lambda key, status=status: status)
               for name, status in (("draft.md", "draft"), ("live.md", ""))]  # fmt: skip
    findings = [
        Finding("draft.md", 1, "error", "meta-missing", "Summary is missing."),
        Finding("draft.md", 2, "warning", "review-missing", "No clinician has reviewed it."),
        Finding("live.md", 3, "error", "meta-missing", "Summary is missing."),
    ]
    shown = drafts_do_not_block(findings, sources)  # type: ignore[arg-type]
    said = [(f.file, f.severity, f.message.startswith("Draft (not published): ")) for f in shown]
    assert said == [("draft.md", "warning", True), ("draft.md", "warning", True),
                    ("live.md", "error", False)]  # fmt: skip


def test_a_figure_needs_a_caption_and_a_text_alternative() -> None:
    from content_check.figure_check import check_figures

    text = (
        "Title: A\n\nIntro.\n\n"
        '![](/images/a.svg "A caption")\n\n'
        '![What it shows](/images/b.svg "Caption")\n\n'
        "![What it shows](/images/c.svg)\n\n"
        "Text with ![an inline picture](/images/d.png) in it.\n\n"
        "Text with ![](/images/e.png) a picture a screen reader skips.\n\n"
        "And ![][pic] one by reference.\n\n[pic]: /images/f.png\n"
    )
    findings = check_figures(source(text), context())
    assert [(f.code, f.line) for f in findings] == [
        ("image-figure-incomplete", 5),
        ("image-figure-incomplete", 9),
        ("image-alt-missing", 13),
        ("image-alt-missing", 15),
    ]
    assert "[pic]" in findings[3].message
    assert "/images/e.png" in findings[2].message and findings[2].is_error
    assert "no text alternative" in findings[0].message and "/images/a.svg" in findings[0].message
    assert "no caption" in findings[1].message and findings[1].fix


def test_an_after_treatment_rule_that_does_not_mention_driving_is_a_warning() -> None:
    from content_check.clinic_rules import check_clinic_rules

    def rules(english: str, spanish: str) -> dict:
        """Settings whose English and Spanish after-treatment rules say these words."""
        return {"LANGUAGES": {
            "en": {**ENGLISH_AND_SPANISH["en"], "clinic_rules": {
                "after_treatment": {"heading": "After", "text": [english]}}},
            "es": {**ENGLISH_AND_SPANISH["es"], "clinic_rules": {
                "after_treatment": {"heading": "Después", "text": [spanish]}}},
        }}  # fmt: skip

    [finding] = check_clinic_rules(rules("Rest for the day. Drink water.", "No maneje hoy."))
    assert (finding.code, finding.severity, finding.file) == (
        "clinic-rule-driving", "warning", "pelicanconf.py")  # fmt: skip
    assert "LANGUAGES['en']['clinic_rules']['after_treatment']" in finding.message and finding.fix
    [finding] = check_clinic_rules(rules("Do not drive until tomorrow.", "Descanse."))
    assert "LANGUAGES['es']['clinic_rules']['after_treatment']" in finding.message
    assert not check_clinic_rules(load_pelican_settings(PROJECT_ROOT, False))  # the site's rules


def test_an_editors_note_is_not_read_as_prose() -> None:
    """`[//]: #fn:x (note)` shows nothing on the page: no reading-level, claim or length rule
    reads it, while its address is still a link the check follows."""
    src = parse_text(
        Path("a.md"),
        "content/articles/a.md",
        "article",
        "Title: A\n\nYou may feel sick.\n\n"
        "[//]: #fn:x (editor note: we guarantee this cures everything, every single time.)\n",
    )
    kinds = {line.text[:6]: line.kind for line in checks.classify_body(src) if line.text}
    assert kinds == {"You ma": "prose", "[//]: ": "definition"}
    sentences = [s for section in readability.sections_of(src) for s in section.sentences]
    assert all("guarantee" not in str(sentence) for sentence in sentences)


def test_handout_takes_off_only() -> None:
    [finding] = checks.check_handout(source("Title: A\nHandout: no\n\nx"), context())
    assert (finding.code, finding.line, finding.severity) == ("meta-value", 2, "error")
    assert 'Handout "no" is not "off"' in finding.message and "Handout: off" in finding.fix
    assert checks.check_handout(source("Title: A\nHandout: Off\n\nx"), context()) == []
    assert checks.check_handout(source("Title: A\n\nx"), context()) == []


def test_a_key_without_its_colon_is_named_with_the_fix_and_what_it_costs_a_draft() -> None:
    """`Category Ketamine` ends the metadata block: the fix gives the line back with its colon,
    and a writer learns that the draft would be built as a published page."""
    text = "Title: T\nDate: 2026-01-01\nCategory Ketamine\nTags: safety\nStatus: draft\n\nText.\n"
    (finding,) = checks.check_metadata_block(source(text), context())
    assert finding.code == "meta-block-broken" and finding.line == 3
    assert "built as published, not as a draft" in finding.message
    assert "`Category: Ketamine`" in finding.fix
    other = checks.check_metadata_block(source(text.replace("Category", "Topic")), context())
    assert "`Summary: ...`" in other[0].fix and "draft" in other[0].message
