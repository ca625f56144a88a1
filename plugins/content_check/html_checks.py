"""Checks of the built HTML: the Nu HTML Checker and axe-core in Chromium.

These need a built site (``invoke check --full`` and ``invoke publish``); the writer's fast
checks never call them. Both are usable from tests::

    from content_check.html_checks import run_axe, run_nu_checker
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from content_check.findings import Finding

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _display_path(url: str, site_dir: Path) -> str:
    """Turn vnu's ``file:/tmp/x/output/a/index.html`` into a path relative to the project."""
    path = Path(unquote(urlparse(url).path)) if url.startswith("file:") else Path(url)
    for base in (PROJECT_ROOT, site_dir.resolve().parent):
        try:
            return path.resolve().relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


def run_nu_checker(site_dir: Path | str) -> list[Finding]:
    """Validate every HTML file under ``site_dir`` with the Nu HTML Checker (errors only).

    Each error becomes a ``html-invalid`` finding naming the output file and line. A missing
    Java or vnu.jar is itself reported as one ``html-checker-missing`` error, so that a
    broken toolchain never passes silently.
    """
    site_dir = Path(site_dir)
    command = [
        "java", "-jar", str(VNU_JAR),
        "--skip-non-html", "--errors-only", "--format", "json", str(site_dir),
    ]  # fmt: skip
    fix_setup = "Install Java 17 and run `npm ci --no-audit --no-fund` in the project folder."
    if not VNU_JAR.exists():
        return [
            Finding(str(VNU_JAR), None, "error", "html-checker-missing",
                    "The Nu HTML Checker (vnu.jar) is not installed.", fix_setup)
        ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return [
            Finding("java", None, "error", "html-checker-missing",
                    "Java is not installed, so the HTML could not be validated.", fix_setup)
        ]  # fmt: skip
    output = result.stderr.strip() or result.stdout.strip()
    try:
        messages = json.loads(output).get("messages", []) if output else []
    except json.JSONDecodeError:
        return [
            Finding(str(site_dir), None, "error", "html-checker-failed",
                    f"The Nu HTML Checker failed: {output[:300]}", fix_setup)
        ]  # fmt: skip
    findings = []
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        extract = (message.get("extract") or "").strip().replace("\n", " ")
        findings.append(
            Finding(
                file=_display_path(message.get("url", str(site_dir)), site_dir),
                line=message.get("lastLine"),
                severity="error",
                code="html-invalid",
                message=message.get("message", "invalid HTML"),
                fix=(f"Near: {extract[:120]}. " if extract else "")
                + "Fix the template or the Markdown that produces this HTML.",
            )
        )
    return findings


def run_axe(
    base_url: str, url_paths: list[str], color_scheme: str = "light"
) -> dict[str, list[dict]]:
    """Run axe-core in Chromium on each page; return ``{url_path: [violation, ...]}``.

    ``color_scheme`` is "light" or "dark" (emulated ``prefers-color-scheme``). Every path is
    a key of the result, with an empty list when axe finds no violation there.
    """
    from playwright.sync_api import sync_playwright

    axe_source = AXE_JS.read_text(encoding="utf-8")
    results: dict[str, list[dict]] = {}
    base = base_url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(color_scheme=color_scheme)
            page = context.new_page()
            for path in url_paths:
                page.goto(base + "/" + path.lstrip("/"), wait_until="load")
                page.add_script_tag(content=axe_source)
                outcome = page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                    AXE_TAGS,
                )
                results[path] = outcome["violations"]
            context.close()
        finally:
            browser.close()
    return results


def axe_findings(results: dict[str, list[dict]], color_scheme: str = "light") -> list[Finding]:
    """Turn :func:`run_axe` results into ``a11y-violation`` findings (one per rule and page)."""
    findings = []
    for path, violations in results.items():
        for violation in violations:
            targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])]
            findings.append(
                Finding(
                    file=path,
                    line=None,
                    severity="error",
                    code="a11y-violation",
                    message=f"[{color_scheme}] {violation['id']}: {violation['help']} "
                    f"({len(targets)} element(s): {'; '.join(targets[:3])})",
                    fix=violation.get("helpUrl", ""),
                )
            )
    return findings
