"""Development settings and the clinic's details.

A clinic changes its name, offices and booking link in ``CLINIC`` below, and nothing else.
``publishconf.py`` imports everything here and adds the production rules.
"""

# --- The clinic ------------------------------------------------------------------------------
# Everything marked "example" is a placeholder until the clinic supplies the real value.
# Phone numbers in 555-0100..555-0199 and example.com links are fictional on purpose:
# a production build (publishconf.py) refuses to publish while any of them is left.
CLINIC = {
    "name": "Westside Pain Specialists",
    "offices": [
        {
            "name": "Example Office North",
            "street": "100 Example Street, Suite 1",
            "locality": "Example City",
            "region": "EX",
            "postal_code": "00000",
            "country": "US",
            "phone": "(555) 555-0101",
        },
        {
            "name": "Example Office South",
            "street": "200 Example Avenue, Suite 2",
            "locality": "Example City",
            "region": "EX",
            "postal_code": "00000",
            "country": "US",
            "phone": "(555) 555-0102",
        },
    ],
    # Online booking service and the contact form (where a reader can send a message).
    "booking_url": "https://booking.example.com/westside-pain-specialists",
    "contact_url": "https://forms.example.com/westside-pain-specialists/contact",
}

# The people who sign the site's pages off (plugins/clinical_review; docs/reviewers.md). Writers
# never type a reviewer's name: `Reviewed_by:` holds a key of this dict, and the page and its
# structured data show the name and credentials from here. `role` says what they may sign:
# "clinician" (articles and `Kind: clinical` pages, and general pages) or "editor" (general
# pages only). Credentials and the job title (`title`) may be one text or one per language.
# `invoke review FILE --reviewer KEY --note "..."` records a review; `invoke review --due
# --reviewer KEY --note "..."` signs everything due in one sitting. The example entry is a
# placeholder: production builds refuse it and `invoke review` will not sign with it. Replace
# it with the clinic's reviewers, for instance
#     "jane-doe": {"name": "Jane Doe", "role": "clinician",
#                  "credentials": {"en": "MD, board-certified in pain medicine",
#                                  "es": "médica, especialista en medicina del dolor"},
#                  "title": "Pain medicine physician"},
REVIEWERS = {
    "example-reviewer": {
        "name": "Example Reviewer",
        "credentials": "MD (example credentials)",
        "role": "clinician",
        "title": "Example role: pain medicine physician",
    },
}
# General pages (privacy, accessibility, about...: no `Kind: clinical`) need no sign-off
# ("none"), or an editor's ("editor").
REVIEW_GENERAL_PAGES = "none"

# Who writes the site's pages (plugins/authors), as REVIEWERS says who checks them. `Author:`
# holds a key of this dict (an article without one is written by AUTHOR below); the byline and
# the structured data show the name from here ("names": the name in another language). A team
# is a valid author; a person needs credentials. The example entry is a placeholder that
# production builds refuse; a real person would be, for instance,
#     "jane-doe": {"name": "Jane Doe", "kind": "person", "credentials": "RN, MSN",
#                  "role": "Nurse educator"},
AUTHORS = {
    "editorial-team": {
        "name": "Westside Pain Specialists editorial team",
        "kind": "team",
        "names": {"es": "Equipo editorial de Westside Pain Specialists"},
    },
    "example-author": {
        "name": "Example Author",
        "kind": "person",
        "credentials": "RN (example credentials)",
        "role": "Example role: nurse educator",
    },
}

# --- The site --------------------------------------------------------------------------------
SITENAME = "Westside Pain Specialists"
SITE_TAGLINE = "Patient guides to pain treatment"
# The AUTHORS key of every article that names no `Author:` (Pelican's own default author).
AUTHOR = "editorial-team"
SITEURL = ""  # local builds use root-relative links; publishconf.py sets the real address
TIMEZONE = "America/Los_Angeles"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# --- Languages ------------------------------------------------------------------------------
# The site's languages (plugins/site_config checks them; plugins/languages builds the pages). A
# translation is the same article or page with `Lang: es` and the same Slug, in
# content/articles/es/ or content/pages/es/. The words of the theme and the plugins come from
# theme/translations/<lang>/LC_MESSAGES/messages.po; everything the clinic words itself is in
# that language's mapping below, so a new language is one new mapping (docs/publishers.md):
#   name, locale          the language's own name and its locale
#   date_format           a Babel (CLDR) pattern
#   tagline               the home page's heading (SITE_TAGLINE in the default language)
#   categories            each category's name in that language
#   funding_disclosure    who pays (on every article, after the review line): one sentence
#                         saying that the clinic offers the treatment and is paid when patients
#                         choose it; "{policy}" becomes a link to the editorial policy page,
#                         with the words in "policy"
#   clinic_rules          the clinic's own rules, shown where an article says
#                         `!!! clinic-rule "after_treatment"`; the clinic sets these, and the
#                         example wording is refused by production builds like CLINIC's
#   cta_variants          the call to action's variants (plugins/consult_cta): an article picks
#                         one with `Cta: infusions`; `Cta: off` removes it. Fields a language
#                         leaves out come from the catalogues; the default language names the
#                         variants
#   disclaimer_variants   the same for the disclaimer ({"default": {"heading": "...",
#                         "text": ["...", "..."]}})
#   absolute_claims       the writer's check's list of claims a guide must not make, if not
#                         the built-in one ({"cure": {"pattern": r"\bcur(?:e|es|ed|ing)\b",
#                         "why": "...", "instead": "..."}, ...})
DEFAULT_LANG = "en"
LANGUAGES = {
    "en": {
        "name": "English",
        "locale": "en_US",
        "date_format": "d MMMM y",
        "funding_disclosure": {
            "text": "Westside Pain Specialists offers ketamine treatment and is paid when "
            "patients choose it; our {policy} says how we keep these guides fair.",
            "policy": "editorial policy",
        },
        "clinic_rules": {
            "after_treatment": {
                "heading": "Our clinic's advice for after your treatment",
                "text": [
                    "Example: for 24 hours after a treatment, do not drive, drink alcohol or "
                    "make important decisions. Your care team will tell you what applies to you.",
                ],
            },
        },
        "cta_variants": {
            "infusions": {"heading": "Ask us whether ketamine infusions could help you"},
        },
    },
    "es": {
        "name": "Español",
        "locale": "es_US",
        "date_format": "d 'de' MMMM 'de' y",
        "tagline": "Guías para pacientes sobre el tratamiento del dolor",
        "categories": {"Ketamine": "Ketamina"},
        "funding_disclosure": {
            "text": "Westside Pain Specialists ofrece tratamiento con ketamina y recibe un pago "
            "cuando los pacientes lo eligen; nuestra {policy} explica cómo mantenemos estas "
            "guías imparciales.",
            "policy": "política editorial",
        },
        "clinic_rules": {
            "after_treatment": {
                "heading": "El consejo de nuestra clínica para después de su tratamiento",
                "text": [
                    "Ejemplo: durante 24 horas después de un tratamiento, no maneje, no tome "
                    "alcohol y no tome decisiones importantes. Su equipo de atención le dirá "
                    "qué se aplica a su caso.",
                ],
            },
        },
        "cta_variants": {
            "infusions": {"heading": "Pregúntenos si las infusiones de ketamina podrían ayudarle"},
        },
    },
}
# "Free language help" (Section 1557 of the Affordable Care Act asks clinics that bill Medicare
# to say it is available): a line in the footer of every page and the language-help page. One
# entry per language the clinic offers help in, each in its own language, whether or not the
# site has pages in it (so it is one setting, not part of LANGUAGES); the clinic confirms each
# wording (the example
# text is refused by production builds, like the example clinic details above).
LANGUAGE_HELP = {
    "en": {
        "name": "English",
        "link": "Language help",
        "text": "Example: If you need help in another language, we can give it to you free of "
        "charge. Call us and ask for an interpreter.",
    },
    "es": {
        "name": "Español",
        "link": "Ayuda con el idioma",
        "text": "Ejemplo: Si necesita ayuda en otro idioma, se la damos gratis. "
        "Llámenos y pida un intérprete.",
    },
}

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
EXTRA_PATH_METADATA = {
    "extra/favicon.svg": {"path": "favicon.svg"},
}
# robots.txt (plugins/sitemap_xml adds the sitemap's address, which needs SITEURL).
ROBOTS_TXT = ["User-agent: *", "Allow: /"]
OUTPUT_PATH = "output"

# The topics a writer may file an article under, and the tag vocabulary (the check enforces both).
ALLOWED_CATEGORIES = ["Ketamine"]
ALLOWED_TAGS = [
    "chronic pain",
    "CRPS",
    "side effects",
    "safety",
    "surgery",
    "anesthesia",
    "opioids",
    "infusions",
    "mental health",
]

# --- URLs: clean addresses, /articles/<slug>/ and /<page-slug>/ --------------------------------
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
CATEGORY_URL = "topics/{slug}/"
CATEGORY_SAVE_AS = "topics/{slug}/index.html"
CATEGORIES_URL = "topics/"
CATEGORIES_SAVE_AS = "topics/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARTICLE_LANG_URL = "{lang}/articles/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/articles/{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
DRAFT_LANG_URL = "drafts/{lang}/{slug}/"
DRAFT_LANG_SAVE_AS = "drafts/{lang}/{slug}/index.html"
DRAFT_PAGE_LANG_URL = "drafts/pages/{lang}/{slug}/"
DRAFT_PAGE_LANG_SAVE_AS = "drafts/pages/{lang}/{slug}/index.html"
DIRECT_TEMPLATES = ["index", "categories", "tags", "archives", "search"]
TEMPLATE_PAGES = {"404.html": "404.html"}
DEFAULT_PAGINATION = False
SLUGIFY_SOURCE = "basename"

# --- Reading Markdown ------------------------------------------------------------------------
# Markdown only: the writer's check reads nothing else, so Pelican's reST and HTML readers are
# off (a .rst or .html article is never published unchecked, even without plugins/content_guard,
# which stops the build and names the file).
READERS = {"rst": None, "html": None, "htm": None}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"toc_depth": "2-3"},
        "markdown.extensions.footnotes": {
            "BACKLINK_TEXT": "\u21a9\ufe0e",
            "BACKLINK_TITLE": "Back to the text for reference %d",
            # Reference numbers follow the order of first citation (the first mark is 1).
            "USE_DEFINITION_ORDER": False,
        },
        "markdown.extensions.admonition": {},
        "markdown.extensions.attr_list": {},
        # Column alignment as align="", not style="" (the allow-list refuses style attributes).
        "markdown.extensions.tables": {"use_align_attribute": True},
        "markdown.extensions.def_list": {},
        # The site's components (care cards, References, contents, glossary links):
        # plugins/article_markup. The glossary page of each language, in content/.
        "article_markup": {
            "glossaries": {"en": "pages/glossary.md", "es": "pages/es/glossary.md"},
        },
    },
    "output_format": "html5",
}
# What readers see: curly quotes, dashes, ellipses, no one-word last line (widont). The amp,
# caps and initial-quote <span>s change nothing unless a stylesheet styles them (ours does not).
# plugins/reading typesets while it reads (TYPOGRAPHY, with these TYPOGRIFY_* settings) and keeps
# the result by content hash, so Pelican's own TYPOGRIFY stays off (it would typeset twice).
TYPOGRAPHY = True
TYPOGRIFY = False
TYPOGRIFY_OMIT_FILTERS = ["amp", "caps", "initial_quotes"]

# --- Theme -----------------------------------------------------------------------------------
THEME = "theme"
THEME_STATIC_DIR = "theme"
# The home page and the 404 page list at most this many guides (newest first), then link to all.
HOME_MAX_ARTICLES = 8
# Autoescape everything; templates mark only rendered Markdown (trusted) as safe.
# No auto_reload: each build (and each `invoke serve` rebuild) makes a new Jinja environment,
# so checking every template file's date on each of ~16,000 includes per 1,000 articles is waste.
JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],  # plugins/languages installs each page's catalogue
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "auto_reload": False,
}

# --- Plugins ---------------------------------------------------------------------------------
# Pelican loads these from PLUGIN_PATHS. The libraries they share (plugins/*.py) and each other's
# public functions are importable too, whatever the order below: ./quickstart puts plugins/ on
# the virtual environment's import path (.venv/lib/python3.*/site-packages/site-kit.pth).
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    # Refuses what the writer's check cannot vouch for (other formats, links out of content/).
    "content_guard",
    "clinic",
    "build_speed",
    "consult_cta",
    "clinical_review",
    "glossary",
    "authors",
    # The key points box's links, resolved like the body's (plugins/article_markup takes it out).
    "key_points",
    "languages",
    "seo",
    "related",
    "sitemap_xml",
    "search",
]
# Hashed CSS/JS names, _headers, .gz/.br siblings (plugins/assets; on in publishconf.py).
PLUGINS += ["assets"]
# Markdown and typography, cached by content hash, on every core in production (plugins/reading).
PLUGINS += ["reading"]

# The call to action and the disclaimer on every article and page (plugins/consult_cta; the
# defaults live there; each language's variants are its cta_variants and disclaimer_variants
# in LANGUAGES above).
# CTA_PLACEMENT = "end"              # or "after-first-section"
# DISCLAIMER_PLACEMENT = "end"       # or "start"
# DISCLAIMER_PAGE = "pages/medical-disclaimer.md"

# --- Development build -----------------------------------------------------------------------
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = ".cache/pelican"
# Pelican saves its whole content cache after every build; compressing it cost `invoke serve`
# 0.4 s a rebuild at 1,000 articles (the file is about 6x larger, on a local disk).
GZIP_CACHE = False
RELATIVE_URLS = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
# The 404 page says where drafts are (they are not at their final address); not in production.
DRAFTS_HINT_ON_404 = True
# Local previews may keep the clinic's example details; publishconf.py turns this on.
REFUSE_EXAMPLE_CLINIC_DETAILS = False
# Unreviewed clinical articles are a warning locally and an error in production.
REQUIRE_CLINICAL_REVIEW = False
# The writer's check (`invoke check`; defaults in plugins/content_check/settings.py).
CHECK_MAX_GRADE = 8  # Flesch-Kincaid grade, per article and per section
CHECK_MAX_SMOG = 10
CHECK_MIN_REFERENCES = 4  # per clinical article
# CHECK_MIN_REFERENCES_PAGE = 1        # per `Kind: clinical` page
# CHECK_MAX_IMAGE_PIXELS = 4096 * 4096 # width x height of any image in content/
# MARKDOWN_LIMITS = {"bytes": 200_000, "brackets": 2_000, "brackets_per_paragraph": 200,
#                    "nesting": 10}     # per file, before Markdown reads it
REVIEW_INTERVAL_MONTHS = 24
REVIEW_DUE_SOON_DAYS = 30
# Each language's list of absolute claims: LANGUAGES[<language>]["absolute_claims"] above.
