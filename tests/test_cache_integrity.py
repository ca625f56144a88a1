"""Caches that cannot lie (issue 24): the reading cache, the audit cache and the handout cache.

Each test edits an entry by hand, as the outside tester did (text not in the source plus a
script; a pass for a page that was never audited; one article's PDF served as another's), and
sees the forgery refused: one line on stderr and the result computed again.
"""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from content_check.audit_cache import AuditCache, SiteFiles
from handouts.store import HandoutStore
from result_cache import SECRET_FILE, ResultCache

FORGED = "FORGED-BY-HAND <script src=https://evil.example/x.js></script>"


def test_an_entry_reads_back_and_the_secret_is_private(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "reading")
    cache.put("k" * 64, "converted text")
    assert cache.get("k" * 64) == "converted text"
    secret = tmp_path / SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(bytes.fromhex(secret.read_text().strip())) == 32


def test_an_edited_entry_is_refused_and_computed_again(tmp_path: Path, capsys) -> None:
    cache = ResultCache(tmp_path / "reading")
    key = ResultCache.key("the source")
    cache.put(key, '{"content": "<p>Take your usual dose.</p>"}')
    entry = tmp_path / "reading" / key[:2] / key
    digest, _, data = entry.read_bytes().partition(b"\n")
    entry.write_bytes(digest + b"\n" + data.replace(b"usual dose", FORGED.encode()))
    assert cache.get(key) is None
    assert not entry.exists()
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "failed its check" in error and str(entry) in error


def test_an_entry_written_without_the_secret_is_refused(tmp_path: Path) -> None:
    """A forger who knows the format but not the secret: a plain SHA-256 is not a seal."""
    import hashlib

    cache = ResultCache(tmp_path / "jsonld")
    cache.put("other", "x")  # the secret exists
    key = ResultCache.key("an article")
    entry = tmp_path / "jsonld" / key[:2] / key
    entry.parent.mkdir(parents=True, exist_ok=True)
    plain = hashlib.sha256(FORGED.encode()).hexdigest()
    entry.write_bytes(f"{plain}\n{FORGED}".encode())
    assert cache.get(key) is None


def test_an_entry_moved_to_another_key_is_refused(tmp_path: Path) -> None:
    """One article's conversion served as another's: the seal covers the entry's name."""
    cache = ResultCache(tmp_path / "reading")
    first, second = ResultCache.key("first"), ResultCache.key("second")
    cache.put(first, "first article")
    target = tmp_path / "reading" / second[:2] / second
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((tmp_path / "reading" / first[:2] / first).read_bytes())
    assert cache.get(second) is None


def test_a_forged_audit_pass_is_not_trusted(tmp_path: Path) -> None:
    """A hand-written pass for a page with an accessibility violation: audited again."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<img src=a.png>")  # no alt text: axe would fail it
    cache = AuditCache(tmp_path / "cache" / "audit", SiteFiles(site))
    key = cache.key("axe", {"scheme": "light"}, "/")
    entry = tmp_path / "cache" / "audit" / key[:2] / key
    entry.parent.mkdir(parents=True)
    entry.write_text(json.dumps({"loads": {}}))  # the pre-issue-24 format, forged
    assert not cache.passed(key)
    cache.record_pass(key, {})
    assert cache.passed(key)  # a real pass is still kept
    entry.write_text(entry.read_text().replace('{"loads": {}}', '{"loads": {} }'))
    assert not cache.passed(key)


def test_a_swapped_handout_pdf_is_printed_again(tmp_path: Path, capsys) -> None:
    """One article's PDF copied over another's: the seal fails, the handout is reprinted."""
    store = HandoutStore(tmp_path / "handouts")
    site = tmp_path / "site"
    site.mkdir()
    for key, text in (("a" * 64, b"%PDF article A"), ("b" * 64, b"%PDF article B")):
        store.path(key).parent.mkdir(parents=True, exist_ok=True)
        store.path(key).write_bytes(text)  # as the printer writes it
        store.copy_to(key, site / f"{key[0]}.pdf")  # sealed after printing
        assert store.has(key)
    store.path("b" * 64).write_bytes(store.path("a" * 64).read_bytes())
    assert not store.has("b" * 64)
    assert not store.path("b" * 64).exists()
    assert "failed its check" in capsys.readouterr().err
    assert store.has("a" * 64)


def test_a_planted_handout_without_a_seal_is_not_used(tmp_path: Path) -> None:
    store = HandoutStore(tmp_path / "handouts")
    key = "c" * 64
    store.path(key).parent.mkdir(parents=True)
    store.path(key).write_bytes(b"%PDF take three times your usual dose")
    assert not store.has(key)


@pytest.mark.slow
def test_a_forged_reading_entry_never_reaches_the_site(tmp_path: Path) -> None:
    """The tester's case end to end: every reading-cache entry edited to carry a script; the
    next production build converts the Markdown again and publishes none of it."""
    from test_reading import build, load_build_scale

    content = load_build_scale().write_content(tmp_path, 2)
    cache = tmp_path / "cache"
    first = build(content, tmp_path / "one" / "output", cache=cache)
    assert first.returncode == 0, first.stdout + first.stderr
    entries = [path for path in (cache / "reading").rglob("*") if path.is_file()]
    assert entries
    for entry in entries:
        digest, _, data = entry.read_bytes().partition(b"\n")
        forged = json.loads(data)
        forged["content"] = f"<p>{FORGED}</p>" + forged["content"]
        entry.write_bytes(digest + b"\n" + json.dumps(forged).encode())
    again = build(content, tmp_path / "two" / "output", cache=cache)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stderr.count("failed its check") == len(entries)
    pages = [p.read_text(errors="replace") for p in (tmp_path / "two" / "output").rglob("*.html")]
    assert pages and not any("FORGED-BY-HAND" in page for page in pages)


def test_the_cache_secret_is_never_tracked() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", f".cache/pelican/{SECRET_FILE}"],
        cwd=PROJECT_ROOT, check=False,
    )  # fmt: skip
    assert ignored.returncode == 0


def test_a_handout_that_is_a_link_is_not_used(tmp_path: Path) -> None:
    """A link planted in the handout cache (to another file, or /proc/self/environ) is never
    copied into the site: it is removed and the handout printed again."""
    store = HandoutStore(tmp_path / "handouts")
    key = "d" * 64
    store.path(key).parent.mkdir(parents=True)
    store.path(key).symlink_to("/proc/self/environ")
    assert not store.has(key)
    assert not store.path(key).is_symlink()
