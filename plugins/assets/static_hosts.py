"""How Netlify and Cloudflare Pages read a ``_headers`` file: written, parsed and applied.

Both hosts read the same file and apply EVERY rule whose pattern matches a request's path, in
file order, but they merge a header set by two matching rules differently. The functions here
follow each host's published code, so the build can prove that a file means the same on both:

- Netlify (netlify/build, packages/headers-parser: ``line_parser.ts``, ``for_regexp.ts``; the
  CLI's ``headersForPath``): the later rule's value wins. A pattern matches case-insensitively,
  and ``/dir/*`` becomes ``^/dir/?(.*)/?$``, so it also matches ``/dir`` and ``/dirt/``. A line
  without a colon, such as ``! Name``, is skipped.
- Cloudflare Pages (cloudflare/workers-sdk: ``parseHeaders.ts``, ``rules-engine.ts``, the asset
  server's ``attachHeaders``): a second value is appended, joined with ", " (two
  Content-Security-Policies, both enforced). ``! Name`` in a rule first removes that header as
  set so far, ``/dir/*`` matches exactly what starts with ``/dir/``, and at most 100 rules of
  lines up to 2,000 characters are read. A 404 response's Cache-Control becomes ``no-store``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

CLOUDFLARE_MAX_RULES = 100
CLOUDFLARE_MAX_LINE_LENGTH = 2000
CLOUDFLARE_NOT_FOUND_CACHE_CONTROL = "no-store"
DETACH = "! "


@dataclass(frozen=True)
class HeadersFileRule:
    """One block of a ``_headers`` file: a path pattern, headers to drop, headers to set."""

    pattern: str
    headers: Mapping[str, str] = field(default_factory=dict)
    detach: tuple[str, ...] = ()
    comment: str = ""

    def lines(self) -> list[str]:
        """The block as written in the file (comment, pattern, indented header lines)."""
        head = [f"# {self.comment}"] if self.comment else []
        body = [f"  {DETACH}{name}" for name in self.detach]
        body += [f"  {name}: {value}" for name, value in self.headers.items()]
        return [*head, self.pattern, *body]


def render_headers_file(rules: Iterable[HeadersFileRule], preamble: Iterable[str]) -> str:
    """The text of a ``_headers`` file: ``preamble`` as comment lines, then each rule."""
    lines = [f"# {line}".rstrip() for line in preamble]
    for rule in rules:
        lines += ["", *rule.lines()]
    return "\n".join(lines) + "\n"


def parse_headers_file(text: str) -> list[HeadersFileRule]:
    """Read a ``_headers`` file back into its rules, in file order (``! Name`` included)."""
    rules: list[HeadersFileRule] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("/"):
            rules.append(HeadersFileRule(line, {}))
            continue
        current = rules[-1]
        if line.startswith(DETACH):
            detach = (*current.detach, line[len(DETACH) :].strip())
            rules[-1] = HeadersFileRule(current.pattern, current.headers, detach)
        else:
            name, _, value = line.partition(":")
            headers = {**current.headers, name.strip(): value.strip()}
            rules[-1] = HeadersFileRule(current.pattern, headers, current.detach)
    return rules


# --- Netlify ---------------------------------------------------------------------------------


def _netlify_part(part: str) -> str:
    """One path segment of a Netlify pattern as a regular expression (``getPartRegExp``)."""
    if part.startswith(":"):
        return "([^/]+)"
    if part == "*":
        return "?(.*)"
    if "*" in part:
        return part.replace("*", "(.*)")
    return re.escape(part)


@lru_cache(maxsize=1024)
def netlify_pattern(pattern: str) -> re.Pattern[str]:
    """The regular expression Netlify matches a path against (``getForRegExp``)."""
    parts = [part.rstrip() for part in pattern.split("/") if part.rstrip()]
    return re.compile("^/" + "/".join(_netlify_part(part) for part in parts) + "/?$", re.I)


def netlify_headers(rules: Iterable[HeadersFileRule], path: str) -> dict[str, str]:
    """The headers Netlify sends for ``path``: every matching rule, the later one winning."""
    sent: dict[str, str] = {}
    for rule in rules:
        if netlify_pattern(rule.pattern).match(path):
            sent.update(rule.headers)  # ``! Name`` lines have no colon: Netlify skips them
    return sent


# --- Cloudflare Pages ------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def cloudflare_pattern(pattern: str) -> re.Pattern[str]:
    """The regular expression Cloudflare Pages matches a path against (``generateRuleRegExp``)."""
    regex = "(.*)".join(re.escape(piece) for piece in pattern.split("*"))
    regex = re.sub(r":([A-Za-z]\w*)", "([^/]+)", regex)
    return re.compile(f"^{regex}$")


def cloudflare_headers(
    rules: Iterable[HeadersFileRule], path: str, status: int = 200
) -> dict[str, str]:
    """The headers Cloudflare Pages sends for ``path``: detach, then set or append with ", "."""
    sent: dict[str, tuple[str, str]] = {}  # lower-case name -> (name, value)
    already_set: set[str] = set()
    for rule in rules:
        if not cloudflare_pattern(rule.pattern).match(path):
            continue
        for name in rule.detach:
            sent.pop(name.lower(), None)
        for name, value in rule.headers.items():
            key = name.lower()
            appended = key in already_set and key in sent
            sent[key] = (name, f"{sent[key][1]}, {value}" if appended else value)
            already_set.add(key)
    if status == 404:
        sent["cache-control"] = ("Cache-Control", CLOUDFLARE_NOT_FOUND_CACHE_CONTROL)
    return dict(sent.values())


def cloudflare_problems(text: str) -> list[str]:
    """What Cloudflare Pages would skip in a ``_headers`` file: rules past 100, long lines."""
    problems = []
    count = sum(1 for line in text.splitlines() if line.strip().startswith("/"))
    if count > CLOUDFLARE_MAX_RULES:
        problems.append(f"{count} rules (Cloudflare Pages reads the first {CLOUDFLARE_MAX_RULES})")
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line.strip()) > CLOUDFLARE_MAX_LINE_LENGTH:
            problems.append(
                f"line {number} has {len(line.strip())} characters "
                f"(Cloudflare Pages skips lines over {CLOUDFLARE_MAX_LINE_LENGTH})"
            )
    return problems
