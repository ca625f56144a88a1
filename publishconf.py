"""Production settings: everything in pelicanconf.py, plus the rules for going live.

Run as ``SITEURL=https://www.your-clinic.org invoke publish`` (or ``invoke preview``).
"""

import os
import runpy
import sys
from pathlib import Path

# Every setting of pelicanconf.py (what `from pelicanconf import *` gave), read from the file
# beside this one: no import path needed, and a fresh reading each time.
globals().update(
    (name, value)
    for name, value in runpy.run_path(str(Path(__file__).with_name("pelicanconf.py"))).items()
    if name.isupper()
)

SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
if not SITEURL.startswith(("https://", "http://")):
    sys.exit(
        "publishconf.py: SITEURL is not set (or is not an http(s) address). "
        "Set the address the site will live at, for example:\n"
        "    SITEURL=https://www.your-clinic.org invoke publish   (your clinic's own address)"
    )
RELATIVE_URLS = False

# Full-content Atom feeds (the plugin's call to action and disclaimer included), one per category.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TRANSLATION_FEED_ATOM = "feeds/all-{lang}.atom.xml"  # one feed per other language
RSS_FEED_SUMMARY_ONLY = True
# The newest 20 guides: what a feed reader shows as new. Every guide in the feed would make
# subscribers download the whole site on every check (11 MB at 1,000 guides); the archive
# page and the sitemap list them all.
FEED_MAX_ITEMS = 20

# Build the Pagefind search index with every production build (plugins/seo).
SEARCH_INDEX = True

# Markdown is converted on every core (plugins/reading): same output, less waiting.
PARALLEL_READING = True

# Drafts (`Status: draft`) are never written into a production build: `invoke check` shows a
# draft's findings as warnings, and the published site has no drafts/ folder.
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""

# Every production build starts from nothing.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = True

# Nothing with example clinic details or unreviewed medical content goes live.
REFUSE_EXAMPLE_CLINIC_DETAILS = True
REQUIRE_CLINICAL_REVIEW = True
DRAFTS_HINT_ON_404 = False  # drafts are never published

# Warnings are fatal: tasks.py always runs production builds with ``--fatal warnings``.

# Where `invoke publish` sends the checked site: "folder", "rsync" or "gh-pages".
# Set here, or per run: PUBLISH_TARGET=rsync PUBLISH_DESTINATION=user@host:/var/www/site/
PUBLISH_TARGET = os.environ.get("PUBLISH_TARGET", "")
PUBLISH_DESTINATION = os.environ.get("PUBLISH_DESTINATION", "")
# `invoke publish` refuses sources git does not track (an untracked image, a file dropped into
# the theme) and lists them; True (or `invoke publish --allow-untracked`) publishes them anyway.
PUBLISH_UNTRACKED = False

# plugins/assets: CSS and JS get a content hash in their names (cached for a year) and
# `_headers` carries the security headers (deploy/ has nginx and Apache versions).
ASSET_FINGERPRINT = True
SECURITY_HEADERS = True
# .gz/.br copies of every text file, for a server of your own that serves precompressed files
# (nginx `gzip_static`/`brotli_static`, Apache). Netlify, Cloudflare Pages and GitHub Pages
# compress by themselves and never read them, so by default none are written (2 extra files
# per page). Turn on here, or per run: PRECOMPRESS=1 invoke publish ...
PRECOMPRESS = os.environ.get("PRECOMPRESS", "").strip() in ("1", "true", "yes")

# plugins/handouts: `invoke publish`, `invoke preview` and `invoke build --production` write one
# printable PDF beside each article page (and each `Kind: clinical` page) after the build, and
# turn HANDOUTS on for that build, so each of those pages links to its own ("Print or download
# this guide (PDF)"). Off here: a plain `pelican -s publishconf.py` writes no PDFs, so its pages
# link to none. Leave them out of a task's build with HANDOUTS=0 invoke publish ...
HANDOUTS = False
