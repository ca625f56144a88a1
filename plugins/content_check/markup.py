"""What a page's HTML is made of: Markdown and our extensions only (``html-raw``,
``markup-not-allowed``).

Raw HTML is off in our Markdown (article_markup.source_text): a ``<script>`` or ``<iframe>``
in the text reaches the page as the characters typed, which is safe but not what the writer
meant, so the check names it (``html-raw``). What Markdown itself makes from the writer's
input (attribute lists, link and image addresses, class names) is checked in the built body
and the built Summary against article_markup's allow-list, with the same sanitizer the build
refuses pages with (``markup-not-allowed``).
"""

from __future__ import annotations

import re
from typing import Any

from article_markup.allowed import Refused, disallowed_markup
from article_markup.limits import limits_of, over_limits
from markdown import Markdown
from reading.reading import extension_facts as reading_facts
from reading.reading import html_in_facts, markdown_settings
from reading.reading import site_markdown as reading_markdown

from content_check.checks import Context, _finding, classify_body
from content_check.findings import Finding
from content_check.source import SourceFile

# A tag (or "</x", "<!x") as a browser would start one; "<https://...>" is a Markdown link.
RAW_TAG_RE = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9-]*(?=[\s/>])|/[a-zA-Z]|!)")
CODE_SPAN_RE = re.compile(r"(`+).+?\1")
SUMMARY_LINK_RE = re.compile(r'href="(?!https://)([^"]*)"')
# The site's Markdown when the settings name none (a check run on a few lines in a test).
FALLBACK_MARKDOWN: dict[str, Any] = {
    "extension_configs": {
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
        "markdown.extensions.footnotes": {},
        "markdown.extensions.admonition": {},
        "markdown.extensions.attr_list": {},
        "markdown.extensions.tables": {},
        "markdown.extensions.def_list": {},
        "article_markup": {},
    },
    "output_format": "html5",
}


def check_raw_html(src: SourceFile, ctx: Context) -> list[Finding]:
    """``html-raw``: HTML typed in the text, the Title, the Summary or a footnote: shown as
    text."""
    lines = [(src.meta_line(key), src.meta(key)) for key in ("title", "summary") if src.meta(key)]
    lines += [
        (line.number, line.text)
        for line in classify_body(src)
        if line.kind in ("prose", "footnote")
    ]
    findings = []
    for number, text in lines:
        match = RAW_TAG_RE.search(CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), text))
        if match:
            shown = text[match.start() : match.start() + 30].split(">")[0] + ">"
            findings.append(
                _finding(
                    src,
                    number,
                    "error",
                    "html-raw",
                    f"Raw HTML ({shown}): our Markdown has no raw HTML, so the page shows it "
                    "as these characters, not as an element.",
                    "Write it in Markdown (links as [text](https://...), care cards with `!!!`, "
                    'figures as ![alt](image "caption")); to show HTML as an example, put it '
                    "in `backticks`.",
                )
            )
    return findings


def site_markdown(settings: dict[str, Any], body: bool = True) -> Markdown:
    """The build's Markdown (plugins/reading's, raw HTML off), for the body or for a Summary."""
    if settings.get("MARKDOWN") and settings.get("THEME"):
        config = markdown_settings(settings)
    else:
        config = markdown_settings({"MARKDOWN": FALLBACK_MARKDOWN, "DEFAULT_LANG": "en"})
    return reading_markdown({"MARKDOWN": config}, body=body)


def converted_body(src: SourceFile, settings: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The body's HTML and the extensions' facts, as the build makes them: converted once per
    file and kept on it (the allow-list and the clarity score both read it)."""
    cached = src.cache.get("converted_body")
    if cached is None:
        md = site_markdown(settings)
        html = md.convert("\n".join(src.lines))
        cached = src.cache["converted_body"] = (html, reading_facts(md))
    return cached


def built_html(src: SourceFile, settings: dict[str, Any]) -> tuple[str, str]:
    """The body's HTML (with what the extensions show beside it, such as a key points box)
    and the Summary's, as the build makes them."""
    html, facts = converted_body(src, settings)
    body = "\n".join([html, *html_in_facts(facts)])
    summary = src.meta("summary")
    fields = site_markdown(settings, body=False)
    fields.preprocessors.deregister("meta")
    return body, fields.convert(summary) if summary else ""


def _line_of(src: SourceFile, needles: tuple[str, ...]) -> int | None:
    """The first line of the file holding what the writer typed (the first needle found)."""
    for needle in needles:
        wanted = needle.strip().lower()
        for number, line in enumerate(src.lines, start=1):
            if wanted and wanted in line.lower():
                return number
    return None


def check_limits(src: SourceFile, ctx: Context) -> list[Finding]:
    """``file-too-complex``: a file over the limits Markdown is read within (the build refuses
    it before converting: some input takes Markdown minutes)."""
    return [
        _finding(
            src,
            problem.line,
            "error",
            "file-too-complex",
            f"The file is too big or too deeply nested for Markdown to read: {problem.what}. "
            "The build refuses it before reading it (such input takes minutes).",
            "Split it into several articles, or remove the repeated characters or the extra "
            "levels of quotes and lists.",
        )
        for problem in _over_limits(src, ctx)
    ]


def _over_limits(src: SourceFile, ctx: Context) -> list:
    cached = src.cache.get("over_limits")
    if cached is None:
        cached = src.cache["over_limits"] = over_limits(
            "\n".join(src.lines), limits_of(ctx.settings)
        )
    return cached


def check_markup(src: SourceFile, ctx: Context) -> list[Finding]:
    """``markup-not-allowed``: anything in the built body or Summary outside the allow-list
    (an ``on...=`` or ``style`` attribute, ``javascript:``, an image from another site, a class
    of the theme's such as the review box); and a Summary link that is not ``https:``."""
    if not src.metadata or _over_limits(src, ctx):
        return []  # file-too-complex: Markdown does not read it
    body, summary = built_html(src, ctx.settings)
    refused = [(_line_of(src, item.needles), item) for item in disallowed_markup(body)]
    refused += [(src.meta_line("summary"), item) for item in disallowed_markup(summary)]
    refused += [
        (src.meta_line("summary"), Refused(f'a link to "{address}" in the Summary', (address,)))
        for address in SUMMARY_LINK_RE.findall(summary)
    ]
    return [_not_allowed(src, line, item) for line, item in refused]


def _not_allowed(src: SourceFile, line: int | None, item: Refused) -> Finding:
    return _finding(
        src,
        line,
        "error",
        "markup-not-allowed",
        f"The page would hold {item.what}, which is not in the site's allow-list of elements "
        "and attributes (plugins/article_markup/allowed.py): the build refuses the page.",
        "Remove it: use Markdown and our components only (no `{: on...= }` or `style`, links "
        "to https:// addresses, images from content/images/, no class of the theme's). "
        "A Summary is plain text; its links, if any, go to https:// addresses.",
    )
