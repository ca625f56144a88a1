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

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT_ROOT / "tests" / "broken_content"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
TODAY = dt.date.fromisoformat(MANIFEST["today"])


@pytest.fixture(scope="module")
def dev_settings() -> dict:
    """pelicanconf.py as Pelican reads it."""
    return load_pelican_settings(PROJECT_ROOT, production=False)


def check_folder(folder: Path, settings: dict, production: bool = False) -> list[Finding]:
    """The fast check over one fixture folder (its own content/)."""
    overrides = {**settings, "PATH": str(folder), "STATIC_PATHS": ["images"]}
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
    findings = check_folder(CORPUS / name, dev_settings, expected["production"])
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
    for name, spec in check_settings({})["CHECK_ABSOLUTE_CLAIMS"].items():
        assert spec["why"] and spec["instead"], name


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
    text = f"Title: A\nReviewed_by: Jane Doe, MD\nLast_reviewed: {last}\nNext_review: {next_}\n\nx"
    assert code in {f.code for f in checks.check_review(source(text), context())}


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


def test_invalid_settings_name_the_setting() -> None:
    with pytest.raises(ValueError, match="CHECK_MAX_GRADE"):
        check_settings({"CHECK_MAX_GRADE": "eight"})


def test_schema_covers_every_key_in_metadata_md() -> None:
    names = {field.name for field in schema.FIELDS}
    assert {"Title", "Slug", "Date", "Modified", "Category", "Tags", "Summary", "Reviewed_by",
            "Last_reviewed", "Next_review", "Cta", "Disclaimer", "Status"} <= names  # fmt: skip
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


def test_production_rules_refuse_unreviewed_articles() -> None:
    findings, _ = run_fast_check(PROJECT_ROOT, production=True)
    unreviewed = [f for f in findings if f.code == "review-missing"]
    assert unreviewed and all(f.is_error for f in unreviewed)


def test_check_sources_survives_a_bug_in_one_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(src: object, ctx: object) -> list:
        raise RuntimeError("boom")

    from content_check import runner

    monkeypatch.setattr(runner, "FILE_CHECKS", (broken,))
    [finding] = check_sources([source("Title: A\n\nx")], {}, TODAY)
    assert finding.code == "check-crashed" and finding.file == "content/articles/x.md"


# --- Documentation and the built-site checks --------------------------------------------------

CODE_RE = r'"((?:file|meta|review|ref|claim|read|link|image|html|a11y|build|check)-[a-z0-9-]+)"'


def test_readme_explains_every_code_and_every_metadata_key() -> None:
    import re

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    plugin = PROJECT_ROOT / "plugins" / "content_check"
    codes = {c for path in plugin.glob("*.py") for c in re.findall(CODE_RE, path.read_text())}
    assert {"meta-unknown-key", "claim-absolute", "read-grade", "link-broken"} <= codes
    missing = sorted(code for code in codes if f"`{code}`" not in readme)
    assert not missing, f"README's 'What the checks say' lacks {missing}"
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
