"""The site's Python-Markdown extension: article markup made while Markdown renders, once.

Listed in ``MARKDOWN["extension_configs"]`` (pelicanconf.py) as ``article_markup``, so Pelican's
reader (and plugins/reading, which keeps the result by content hash) runs it on every
article and page. On the document tree, after the footnotes and the heading ids are made:

- **Care cards and callouts** (``cards.py``): admonitions (``!!! care-emergency "Call 911
  if:"``) become ``div.care-card``/``div.callout`` with their title as a heading one level
  below the heading they sit under, and visually hidden context for screen readers.
- **References** (``references.py``): the footnotes become a "References" section; DOIs and
  web addresses in it become links; each back link gets a spoken name.
- **Glossary** (``glossary.py``): the first use of each glossary term links to its entry;
  on the glossary page itself each entry is marked up as a definition.
- **Key points** (``key_points.py``): the first ``!!! key-points "Key points"`` box leaves the
  body and becomes the ``key_points`` fact, shown by the template under the title.
- **Figures** (``figures.py``): a paragraph holding only an image with a title becomes a
  ``figure`` with the title as its caption, and the SVG's size as width and height.
- **Facts for the templates** (``facts.py``), reported to the reader as metadata: the
  contents (``toc_items``, ``show_toc``), the reading time (``reading_time``), the
  glossary terms the page uses (``glossary_terms``) and the id of its first urgent or emergency
  care card (``warning_signs``), which the page links to from its top.

- **Crisis lines** (``crisis_lines.py``): 911 and 988 in the text become numbers to tap.
- **Language of parts** (``language_parts.py``): ``[words]{lang=en}`` becomes
  ``<span lang="en">``, so a screen reader reads an English title on a Spanish page in English.

Before any of it (``source_text.py``): raw HTML is off (it shows as text), writer's notes
(``<!-- ... -->``) are removed, and a repeated metadata key keeps its first value.

Nothing here edits HTML text: every change is made on Python-Markdown's element tree.
"""

from __future__ import annotations

import gettext
import hashlib
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from translations import translations

from .cards import CardWords, build_cards
from .crisis_lines import link_crisis_lines
from .facts import mark_warning_signs, reading_minutes, toc_items
from .figures import make_figures
from .glossary import (
    Glossary,
    add_letter_index,
    is_a_page,
    link_first_uses,
    load_glossary,
    mark_up_entries,
)
from .key_points import inner_html, take_key_points
from .language_parts import mark_language_parts
from .references import build_references, mark_references, quiet_reference_marks
from .source_text import read_metadata_first_value_wins, text_only
from .tree import split_text_into_links

# After the footnotes (50), the ids of headings (toc, 5) and attribute lists (8); before
# Python-Markdown puts escaped characters back (unescape, 0).
PRIORITY = 2
# The site's figures (SVG), in the content folder.
FIGURES_FOLDER = "images/figures"


class ArticleMarkupProcessor(Treeprocessor):
    """Applies every component to the tree, then records the document's facts."""

    def __init__(self, md: Markdown, extension: ArticleMarkupExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Any) -> None:
        """Turn the tree into the site's components (in place)."""
        config = self.extension.getConfigs()
        language = self._meta("lang") or config["default_lang"]
        folder = Path(config["translations_path"]) if config["translations_path"] else None

        catalogue = translations(folder, language) if folder else gettext.NullTranslations()

        def words(message: str, **values: Any) -> str:
            text = catalogue.gettext(message)
            return text % values if values else text

        glossary = self._glossary(config)
        terms: list[str] = []
        if glossary is not None and self._meta("slug") == glossary.slug:
            mark_up_entries(root)
            add_letter_index(root, words)
        setting = f"LANGUAGES[{language!r}]['clinic_rules']"
        build_cards(root, CardWords(words, config["clinic_rules"].get(language, {}), setting))
        link_crisis_lines(root, split_text_into_links)
        build_references(root, words)
        mark_references(root, words)
        quiet_reference_marks(root)
        # Out before the glossary links: a short box of plain words, each term linked where the
        # text explains it.
        key_points = take_key_points(root, self._inner_html)
        if glossary is not None and self._meta("slug") != glossary.slug:
            terms = link_first_uses(root, glossary, split_text_into_links)
        figures = make_figures(root, self._figure_folder(config))
        sections = toc_items(root)
        self.extension.facts = {
            "toc_items": sections,
            "show_toc": len(sections) >= config["toc_min_sections"],
            "reading_time": reading_minutes(root, config["words_per_minute"]),
            "glossary_terms": terms,
            "figures": figures,
            "warning_signs": mark_warning_signs(root),
        }
        if key_points is not None:
            self.extension.facts["key_points"] = key_points

    def _inner_html(self, element: Any) -> str:
        """The HTML inside ``element`` as the page will have it: escapes put back (Markdown's
        ``unescape`` runs after us) and the postprocessors' placeholders filled."""
        if "unescape" in self.md.treeprocessors:
            self.md.treeprocessors["unescape"].run(element)
        html = inner_html(element)
        for postprocessor in self.md.postprocessors:
            html = postprocessor.run(html)
        return html

    @staticmethod
    def _figure_folder(config: dict[str, Any]) -> Path | None:
        """Where ``{static}/...`` image paths point: the content folder."""
        return Path(config["content_path"]) if config["content_path"] else None

    def _meta(self, key: str) -> str:
        """A metadata value of the document being converted ("" when absent)."""
        values = getattr(self.md, "Meta", {}).get(key) or [""]
        return str(values[0]).strip()

    def _glossary(self, config: dict[str, Any]) -> Glossary | None:
        """The glossary of the document's language, if the site has one."""
        language = self._meta("lang") or config["default_lang"]
        source = config["glossaries"].get(language)
        if not source or not config["content_path"]:
            return None
        if not is_a_page(source, config["page_paths"]):
            return None  # a build without that page (e.g. no pages at all) links to no glossary
        return load_glossary(config["content_path"], source)


class ArticleMarkupExtension(Extension):
    """``article_markup``: the site's components, made on the document tree."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "toc_min_sections": [4, "sections an article needs before it shows its contents"],
            "words_per_minute": [200, "reading speed for the reading time"],
            "glossaries": [{}, "language -> the glossary page, relative to the content folder"],
            "default_lang": ["en", "the language of a page that sets no Lang"],
            "content_path": ["", "the content folder (plugins/reading sets it from PATH)"],
            "page_paths": [["pages"], "PAGE_PATHS (plugins/reading passes the setting)"],
            "clinic_rules": [{}, "language -> its clinic_rules (plugins/reading passes them)"],
            "translations_path": ["", "the catalogues (plugins/reading passes the theme's)"],
        }
        self.facts: dict[str, Any] = {}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the tree processor (and this extension, so ``reset`` clears its facts);
        switch raw HTML off and read the metadata block the check's way (``source_text``)."""
        md.registerExtension(self)
        text_only(md)
        read_metadata_first_value_wins(md)
        mark_language_parts(md)
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
    """What the output depends on besides the settings: the glossary pages' text."""
    config = markdown_settings.get("extension_configs", {}).get("article_markup", {})
    digest = hashlib.sha256()
    for source in sorted(config.get("glossaries", {}).values()):
        path = Path(config.get("content_path", "")) / source
        digest.update(path.read_bytes() if path.is_file() else b"-")
    # Figures take their width and height from the SVG files.
    if config.get("content_path"):
        for svg in sorted((Path(config["content_path"]) / FIGURES_FOLDER).rglob("*.svg")):
            digest.update(svg.as_posix().encode() + svg.read_bytes())
    if config.get("translations_path"):
        for catalogue in sorted(Path(config["translations_path"]).glob("*/LC_MESSAGES/*.po")):
            digest.update(catalogue.read_bytes())
    return digest.hexdigest()
