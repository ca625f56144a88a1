"""The one content schema (design/METADATA.md) as data: every key a writer may use.

The check validates against it, ``invoke new`` fills it in, and the writers' guide's metadata
reference table is generated from it (``python -m commands.check --schema``). Keys are lower
case, as Pelican's readers produce them; ``name`` is how a writer spells the key.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One metadata key: who must have it, the form of its value, its default."""

    name: str
    article: str  # "required", "optional" or "no" (not allowed)
    page: str
    form: str
    default: str = ""
    used_by: str = ""
    may_be_empty: bool = False  # an empty value means "not yet" (the review fields)

    @property
    def key(self) -> str:
        """The key as Pelican's readers produce it (lower case)."""
        return self.name.lower()


FIELDS: tuple[Field, ...] = (
    Field("Title", "required", "required", "plain text, at most 70 characters", "", "everything"),
    Field(
        "Slug",
        "required",
        "required",
        "lower-case words and numbers joined by `-`; stable once published",
        "",
        "URLs, links",
    ),
    Field(
        "Date",
        "required",
        "no",
        "`YYYY-MM-DD`, the day first published",
        "",
        "feeds, JSON-LD `datePublished`",
    ),
    Field(
        "Modified",
        "optional",
        "optional",
        "`YYYY-MM-DD`, the last real change; not before `Date`",
        "",
        '"Updated" line, `dateModified`, sitemap',
    ),
    Field("Category", "required", "no", "one of `ALLOWED_CATEGORIES`", "", "navigation"),
    Field(
        "Tags",
        "required",
        "no",
        "comma-separated, each from `ALLOWED_TAGS`",
        "",
        "related articles",
    ),
    Field(
        "Summary",
        "required",
        "required",
        "1 or 2 sentences, at most 160 characters",
        "",
        "meta description, listings, Open Graph",
    ),
    Field(
        "Author",
        "optional",
        "optional",
        "the key of a writer in `AUTHORS` (e.g. `editorial-team`)",
        "`AUTHOR` (the editorial team)",
        "byline, JSON-LD `author`",
    ),
    Field(
        "Reviewed_by",
        "optional",
        "optional",
        "the key of a reviewer in `REVIEWERS` (e.g. `jane-doe`); empty until a clinician signs "
        "off; set by `invoke review`",
        "empty: not reviewed",
        "review box, page history, `reviewedBy`",
        may_be_empty=True,
    ),
    Field(
        "Last_reviewed",
        "optional",
        "optional",
        "`YYYY-MM-DD`; the day of the newest review in `Review_history`; set by `invoke review`",
        "empty: not reviewed",
        "review box, `lastReviewed`",
        may_be_empty=True,
    ),
    Field(
        "Next_review",
        "optional",
        "optional",
        "`YYYY-MM-DD`, after `Last_reviewed` and at most `REVIEW_INTERVAL_MONTHS` later",
        "`Last_reviewed` + 24 months",
        "review box, the check",
        may_be_empty=True,
    ),
    Field(
        "Review_history",
        "optional",
        "optional",
        # The bars are escaped: the form is shown in the writers' guide's Markdown table.
        "one review a line, each indented by 4 spaces below the key: "
        r"`YYYY-MM-DD \| reviewer-key \| what changed`, newest first; written by `invoke review`",
        "empty: not reviewed",
        'the "Page history", `lastReviewed`/`reviewedBy`',
        may_be_empty=True,
    ),
    Field(
        "Cta",
        "optional",
        "optional",
        "`off` or a name from the `cta_variants` in `LANGUAGES`",
        "the default call to action",
        "consult_cta plugin",
    ),
    Field(
        "Disclaimer",
        "optional",
        "optional",
        "a name from the `disclaimer_variants` in `LANGUAGES`; pages may also use `off`",
        "the default disclaimer",
        "consult_cta plugin",
    ),
    Field(
        "Status",
        "optional",
        "optional",
        "`draft`, `hidden` or `published`",
        "`published`",
        "Pelican",
    ),
    Field(
        "Lang",
        "optional",
        "optional",
        "a language code from `LANGUAGES` (`en`, `es`); a translation has its original's `Slug`",
        "`DEFAULT_LANG` (`en`)",
        "translations, `hreflang`, search",
    ),
    Field(
        "Kind",
        "no",
        "optional",
        "`clinical` (gives clinical advice: checked like an article, references required, a "
        "clinician's sign-off) or `general` (privacy, about, policies...)",
        "`general`",
        "the check, clinical review",
    ),
    Field(
        "Template",
        "no",
        "optional",
        "the name of a template in theme/templates/ (without `.html`)",
        "`page`",
        "Pelican, theme",
    ),
    Field(
        "Handout",
        "no",
        "optional",
        "`off`: no printable handout for this `Kind: clinical` page (a reference page such as "
        "the glossary, too long to print)",
        "a handout for every `Kind: clinical` page",
        "plugins/handouts, theme",
    ),
    Field(
        "Synced_with",
        "optional",
        "optional",
        "translations only: the fingerprint of the original's text this translation follows; "
        "written by `invoke translations --synced FILE`",
        "empty: not synced yet",
        "`translation-stale`, `invoke reviews`",
    ),
)

BY_KEY: dict[str, Field] = {field.key: field for field in FIELDS}
STATUSES = ("draft", "hidden", "published")


def required_keys(kind: str) -> list[str]:
    """Keys an ``article`` or a ``page`` must have (with a value)."""
    return [f.key for f in FIELDS if getattr(f, kind) == "required"]


def allowed_keys(kind: str) -> list[str]:
    """Keys an ``article`` or a ``page`` may have."""
    return [f.key for f in FIELDS if getattr(f, kind) != "no"]


def markdown_table() -> str:
    """The metadata reference as a Markdown table (docs/writers.md's copy comes from here)."""
    rows = [
        "| key | articles | pages | form | default | used by |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in FIELDS:
        rows.append(
            f"| `{f.name}` | {f.article} | {f.page} | {f.form} | {f.default or '—'} | {f.used_by} |"
        )
    return "\n".join(rows)
