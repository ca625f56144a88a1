"""The site's Python-Markdown extension: article markup made while Markdown renders, once.

Listed in ``MARKDOWN["extension_configs"]`` (pelicanconf.py) as ``article_markup``, so Pelican's
reader (and plugins/reading, which keeps the result by content hash) runs it on every
article and page. On the document tree, after the footnotes and the heading ids are made:

- **Care cards and callouts** (``cards.py``): admonitions (``!!! care-emergency "Call 911
  if:"``) become ``div.care-card``/``div.callout`` with their title as a heading one level
  below the heading they sit under, and visually hidden context for screen readers.
- **References** (``references.py``): the footnotes become a "References" section; DOIs and
  web addresses in it become links; each back link gets a spoken name.
- **Facts for the templates** (``facts.py``), reported to the reader as metadata: the
  contents (``toc_items``, ``show_toc``) and the reading time (``reading_time``).

Nothing here edits HTML text: every change is made on Python-Markdown's element tree.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .cards import build_cards
from .facts import reading_minutes, toc_items
from .references import build_references, mark_references, quiet_reference_marks

# After the footnotes (50), the ids of headings (toc, 5) and attribute lists (8); before
# Python-Markdown puts escaped characters back (unescape, 0).
PRIORITY = 2


class ArticleMarkupProcessor(Treeprocessor):
    """Applies every component to the tree, then records the document's facts."""

    def __init__(self, md: Markdown, extension: ArticleMarkupExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Any) -> None:
        """Turn the tree into the site's components (in place)."""
        config = self.extension.getConfigs()
        build_cards(root)
        build_references(root)
        mark_references(root)
        quiet_reference_marks(root)
        sections = toc_items(root)
        self.extension.facts = {
            "toc_items": sections,
            "show_toc": len(sections) >= config["toc_min_sections"],
            "reading_time": reading_minutes(root, config["words_per_minute"]),
        }


class ArticleMarkupExtension(Extension):
    """``article_markup``: the site's components, made on the document tree."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "toc_min_sections": [4, "sections an article needs before it shows its contents"],
            "words_per_minute": [200, "reading speed for the reading time"],
        }
        self.facts: dict[str, Any] = {}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the tree processor (and this extension, so ``reset`` clears its facts)."""
        md.registerExtension(self)
        md.treeprocessors.register(ArticleMarkupProcessor(md, self), "article_markup", PRIORITY)

    def reset(self) -> None:
        """Forget the facts of the last document."""
        self.facts = {}

    def document_facts(self) -> dict[str, Any]:
        """What the last document converted is made of (plugins/reading adds it to metadata)."""
        return dict(self.facts)


def makeExtension(**kwargs: Any) -> ArticleMarkupExtension:
    """Python-Markdown's entry point: ``Markdown(extensions=["article_markup"])``."""
    return ArticleMarkupExtension(**kwargs)


def cache_inputs(markdown_settings: dict[str, Any]) -> str:
    """What the extension's output depends on besides its settings (files it reads): nothing yet."""
    return ""
