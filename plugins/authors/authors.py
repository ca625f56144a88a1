"""Who wrote a page: the ``AUTHORS`` registry, as ``REVIEWERS`` is for who checked it.

An article's ``Author:`` holds a key of ``AUTHORS`` in pelicanconf.py; an article without one
is written by Pelican's ``AUTHOR`` (the key of the clinic's editorial team). The byline and the
JSON-LD ``author`` come only from the registry, never from the article. A team is a valid
author ("Westside Pain Specialists editorial team"); a person needs credentials.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = ("team", "person")


class AuthorSettingsError(Exception):
    """``AUTHORS`` or ``AUTHOR`` in pelicanconf.py cannot be used as it is."""


@dataclass(frozen=True)
class Writer:
    """One entry of ``AUTHORS``: a team or a person who writes the site's pages."""

    key: str
    name: str
    kind: str = "team"  # "team" or "person"
    credentials: str = ""  # a person's, e.g. "RN, MSN"
    role: str = ""  # e.g. "Nurse educator"
    names: tuple[tuple[str, str], ...] = ()  # (language, name) where the name is translated

    def name_in(self, language: str) -> str:
        """The name as a page in ``language`` shows it (a team's name is translated)."""
        return dict(self.names).get(language, self.name)

    @property
    def schema_type(self) -> str:
        """schema.org's type for the writer: ``Organization`` or ``Person``."""
        return "Person" if self.kind == "person" else "Organization"


def author_registry(authors: Any) -> dict[str, Writer]:
    """``AUTHORS`` as writers by key, checked; raises ``AuthorSettingsError`` naming the entry."""
    if not isinstance(authors, dict):
        raise AuthorSettingsError(
            "authors: AUTHORS in pelicanconf.py must be a dict of author keys, e.g. "
            '{"editorial-team": {"name": "Our clinic\'s editorial team", "kind": "team"}}'
        )
    return {key: _writer(key, entry) for key, entry in authors.items()}


def _writer(key: Any, entry: Any) -> Writer:
    where = f"AUTHORS[{key!r}] in pelicanconf.py"
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise AuthorSettingsError(
            f"authors: {where}: the key must be lower-case words joined by '-', e.g. 'jane-doe'"
        )
    if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
        raise AuthorSettingsError(f"authors: {where} needs a 'name'")
    kind = entry.get("kind", "team")
    if kind not in KINDS:
        raise AuthorSettingsError(f"authors: {where}: 'kind' is {kind!r}; use 'team' or 'person'")
    if kind == "person" and not str(entry.get("credentials") or "").strip():
        raise AuthorSettingsError(
            f"authors: {where} is a person and needs 'credentials' (e.g. 'RN, MSN'): readers "
            "judge health information by who wrote it"
        )
    names = entry.get("names") or {}
    if not isinstance(names, dict) or not all(
        isinstance(name, str) and name.strip() for name in names.values()
    ):
        raise AuthorSettingsError(
            f"authors: {where}: 'names' must map a language to the name in it, e.g. "
            '{"es": "Equipo editorial de la clínica"}'
        )
    return Writer(
        key=key,
        name=str(entry["name"]).strip(),
        kind=kind,
        credentials=str(entry.get("credentials") or "").strip(),
        role=str(entry.get("role") or "").strip(),
        names=tuple((language, name.strip()) for language, name in sorted(names.items())),
    )


def author_key(metadata: dict[str, Any], default: str) -> str:
    """The ``AUTHORS`` key a page names (``Author:``), or ``default`` (Pelican's ``AUTHOR``).

    Pelican turns ``author`` into an ``Author`` object whose ``name`` is the key as written.
    """
    value = metadata.get("author")
    key = getattr(value, "name", value)
    return str(key).strip() if key else default


def byline_name(writer: Writer, language: str = "") -> str:
    """How the byline names the writer: "Jane Doe, RN" or the team's name (in ``language``)."""
    name = writer.name_in(language)
    return f"{name}, {writer.credentials}" if writer.credentials else name


def jsonld_author(writer: Writer, language: str = "") -> dict[str, Any]:
    """schema.org ``author`` for the writer (what the byline shows)."""
    node: dict[str, Any] = {"@type": writer.schema_type, "name": writer.name_in(language)}
    if writer.credentials:
        node["honorificSuffix"] = writer.credentials
    if writer.role:
        node["jobTitle"] = writer.role
    return node
