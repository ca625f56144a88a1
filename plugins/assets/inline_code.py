"""Find what the Content-Security-Policy blocks in a page: inline styles and scripts.

The CSP in ``headers.py`` allows styles and scripts from our own files only (no
``'unsafe-inline'``), so a ``style=""`` attribute, a ``<style>`` element, an inline
``<script>``, an ``on...=`` handler or a ``javascript:`` link would be refused by the browser.
JSON-LD (``<script type="application/ld+json">``) is data, not script, and is allowed.
"""

from __future__ import annotations

from html.parser import HTMLParser

DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


class _InlineCodeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        if "style" in values:
            self.findings.append(f"line {line}: style attribute on <{tag}>")
        self.findings += [
            f"line {line}: {name}= event handler on <{tag}>"
            for name in sorted(values)
            if name.startswith("on")
        ]
        for name in sorted(URL_ATTRIBUTES & set(values)):
            if (values[name] or "").strip().lower().startswith("javascript:"):
                self.findings.append(f"line {line}: javascript: URL in {name} of <{tag}>")
        if tag == "style":
            self.findings.append(f"line {line}: <style> element")
        kind = (values.get("type") or "").strip().lower()
        if tag == "script" and "src" not in values and kind not in DATA_SCRIPT_TYPES:
            self.findings.append(f"line {line}: inline <script>")


def find_inline_code(html: str) -> list[str]:
    """Every inline style or script in ``html`` that the CSP would refuse, with its line."""
    finder = _InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.findings
