"""Raw HTML that must not reach a page: scripts, styles, handlers, embedded and posted content.

Markdown passes raw HTML through untouched, in paragraphs, footnotes and care-card titles
alike, and the ``attr_list`` extension turns ``{: onclick="..." }`` into attributes. The site's
Content-Security-Policy refuses inline scripts and styles, event handlers and ``javascript:``
URLs (``assets.inline_code`` is the one definition of those, shared with the build's audit), and
by ``default-src 'none'`` anything embedded from or posted to elsewhere. But the policy is a
header the host sends: GitHub Pages sends none, nor do ``invoke serve`` and ``invoke preview``.
So the check refuses all of it in the source (``html-unsafe``), each with its line.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from assets.inline_code import DATA_SCRIPT_TYPES, find_inline_code

from content_check.checks import Context, _finding, classify_body
from content_check.findings import Finding
from content_check.source import SourceFile

# Elements that load, embed or send something elsewhere; inline scripts and styles are
# assets.inline_code's.
EMBEDDING_ELEMENTS = {
    "script": "loads a script",
    "iframe": "embeds another page",
    "frame": "embeds another page",
    "object": "embeds a plug-in or another file",
    "embed": "embeds a plug-in or another file",
    "applet": "embeds a plug-in",
    "form": "sends what a reader types to another address",
    "base": "changes where every link on the page goes",
    "meta": "can send the reader to another address",
    "link": "loads a file from elsewhere into the page",
}
FINDING_RE = re.compile(r"^line (?P<line>\d+): (?P<what>.*)$")
CODE_SPAN_RE = re.compile(r"(`+).+?\1")
ATTR_LIST_RE = re.compile(r"\{:?[ \t]*(?P<attrs>[^{}\n]*?)[ \t]*\}")
ATTR_LIST_TAG = "attr-list"  # what an attribute list is fed to the parsers as


class _EmbeddingFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in EMBEDDING_ELEMENTS:
            return
        values = dict(attrs)
        kind = (values.get("type") or "").strip().lower()
        if tag == "script" and "src" not in values and kind not in DATA_SCRIPT_TYPES:
            return  # an inline script: assets.inline_code reports it
        self.found.append((self.getpos()[0], f"<{tag}> element ({EMBEDDING_ELEMENTS[tag]})"))


def find_embedding(html: str) -> list[tuple[int, str]]:
    """(line, description) of every element in ``html`` that loads, embeds or posts elsewhere."""
    finder = _EmbeddingFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def body_as_html(src: SourceFile) -> tuple[str, list[int]]:
    """The body's prose and footnotes as the text Markdown passes on as HTML, one line per
    body line (code, code spans and comments blanked; ``{: ...}`` attribute lists as tags),
    and the file's line number for each."""
    texts, numbers = [], []
    for line in classify_body(src):
        text = line.text if line.kind in ("prose", "footnote") else ""
        text = CODE_SPAN_RE.sub(lambda match: " " * len(match.group(0)), text)
        text = ATTR_LIST_RE.sub(rf"<{ATTR_LIST_TAG} \g<attrs>>", text)
        texts.append(text)
        numbers.append(line.number)
    return "\n".join(texts), numbers


def unsafe_html(src: SourceFile) -> list[tuple[int, str]]:
    """(file line, description) of every piece of raw HTML a page must not carry."""
    html, numbers = body_as_html(src)
    if "<" not in html:
        return []
    found = []
    for text in find_inline_code(html):
        match = FINDING_RE.match(text)
        if match:
            found.append((int(match.group("line")), match.group("what")))
    found += find_embedding(html)
    described = [(numbers[line - 1], _readable(what)) for line, what in found]
    return sorted(set(described))


def _readable(what: str) -> str:
    return what.replace(f"<{ATTR_LIST_TAG}>", "a {: ... } attribute list")


def check_raw_html(src: SourceFile, ctx: Context) -> list[Finding]:
    """Scripts, styles, event handlers, ``javascript:`` links and embedded or posting elements
    in the body, footnotes and care-card titles (``html-unsafe``)."""
    return [
        _finding(
            src,
            line,
            "error",
            "html-unsafe",
            f"Raw HTML: {what}. Our Content-Security-Policy blocks this where the host sends "
            "our headers, but not on GitHub Pages or in `invoke serve` and `invoke preview`, "
            "where it would run or load for every reader.",
            "Remove it and write the text in Markdown (links as [text](https://...), care "
            "cards with `!!!`); the theme styles everything. To show HTML as an example, put "
            "it in `backticks`.",
        )
        for line, what in unsafe_html(src)
    ]
