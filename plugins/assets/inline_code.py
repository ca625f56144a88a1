"""Find what the Content-Security-Policy blocks in a page: inline styles and scripts.

The CSP in ``headers.py`` allows styles and scripts from our own files only (no
``'unsafe-inline'``), so a ``style=""`` attribute, a ``<style>`` element, an inline
``<script>``, an ``on...=`` handler or a ``javascript:`` link would be refused by the browser.
JSON-LD (``<script type="application/ld+json">``) is data, not script, and is allowed.
"""

from __future__ import annotations

from html_structure import html_events

DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


def _refused_in_tag(tag: str, values: dict[str, str | None], line: int) -> list[str]:
    """What one start tag holds that the CSP refuses."""
    findings = []
    if "style" in values:
        findings.append(f"line {line}: style attribute on <{tag}>")
    findings += [
        f"line {line}: {name}= event handler on <{tag}>"
        for name in sorted(values)
        if name.startswith("on")
    ]
    for name in sorted(URL_ATTRIBUTES & set(values)):
        if (values[name] or "").strip().lower().startswith("javascript:"):
            findings.append(f"line {line}: javascript: URL in {name} of <{tag}>")
    if tag == "style":
        findings.append(f"line {line}: <style> element")
    kind = (values.get("type") or "").strip().lower()
    if tag == "script" and "src" not in values and kind not in DATA_SCRIPT_TYPES:
        findings.append(f"line {line}: inline <script>")
    return findings


def find_inline_code(html: str) -> list[str]:
    """Every inline style or script in ``html`` that the CSP would refuse, with its line."""
    return [
        finding
        for event in html_events(html)
        if event.kind in ("start", "startend")
        for finding in _refused_in_tag(event.tag, event.attributes(), event.line)
    ]
