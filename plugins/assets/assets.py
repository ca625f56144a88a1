"""Hashed asset names, precompressed siblings and the ``_headers`` file.

1. ``ASSET_FINGERPRINT``: every ``css/*.css`` and ``js/*.js`` of the theme's static folder is
   published as ``name.<hash>.ext`` (the first 10 hex digits of its SHA-256). The hashes are
   worked out from the theme when the build starts, and templates name assets through the
   ``asset`` filter (``{{ SITEURL }}/{{ 'css/site.css' | asset }}``), so every page is final
   the moment Pelican writes it. After the build the copied asset is renamed; the unhashed
   name is gone, so a template that skips the filter shows as a broken link.
2. ``SECURITY_HEADERS``: writes ``_headers`` (Netlify, Cloudflare Pages) from the definition
   in ``headers.py``; ``python -m assets`` writes the nginx and Apache snippets in deploy/.
   Every page also carries its policy as ``<meta http-equiv="Content-Security-Policy">``
   (``CSP_META``, on with the headers), for hosts that send no headers (GitHub Pages): the
   theme writes it (``csp_meta(output_file)`` right after ``<meta charset>``); an HTML page
   the templates did not write (a theme without the call, a copied file) gets it after the
   build.
3. ``PRECOMPRESS``: writes ``.gz`` and ``.br`` siblings of text files, at the end of the build,
   for a server that serves precompressed files (nginx ``gzip_static``, ``brotli_static``).

All three are off by default (development builds); publishconf.py turns on the first two.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from html_structure import html_events
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from pelican import signals
from site_errors import SiteError

from . import headers

logger = logging.getLogger(__name__)

# Files that are precompressed.
TEXT_SUFFIXES = (".html", ".css", ".js", ".xml", ".json", ".txt", ".svg", ".webmanifest", ".map")
# Under this size a compressed copy saves nothing worth a request's headers.
PRECOMPRESS_MIN_BYTES = 512
HASH_LENGTH = 10
DEFAULTS = {
    "ASSET_FINGERPRINT": False,
    "PRECOMPRESS": False,
    # Brotli 5 is as small as 9 on our pages and 20 times faster; 11 takes seconds on a big
    # feed. The hashed stylesheets and scripts (few, small, cached for a year) always get 11.
    "PRECOMPRESS_BROTLI_QUALITY": 5,
    "SECURITY_HEADERS": False,
    # The CSP as a meta element in every page too (hosts without headers); None: as
    # SECURITY_HEADERS.
    "CSP_META": None,
}


class AssetsSettingsError(SiteError):
    """An assets setting has a value the plugin cannot use."""


def plugin_settings(settings: Mapping) -> dict:
    """The plugin's settings: defaults merged with what the settings files set, validated."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    if merged["CSP_META"] is None:
        merged["CSP_META"] = merged["SECURITY_HEADERS"]
    for key in ("ASSET_FINGERPRINT", "PRECOMPRESS", "SECURITY_HEADERS", "CSP_META"):
        if not isinstance(merged[key], bool):
            raise AssetsSettingsError(f"assets: {key} must be True or False, not {merged[key]!r}")
    quality = merged["PRECOMPRESS_BROTLI_QUALITY"]
    if not isinstance(quality, int) or not 0 <= quality <= 11:
        raise AssetsSettingsError(
            f"assets: PRECOMPRESS_BROTLI_QUALITY must be a whole number 0-11, not {quality!r}"
        )
    return merged


def hashed_name(name: str, data: bytes) -> str:
    """``site.css`` + its bytes -> ``site.1a2b3c4d5e.css``."""
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def is_hashed(name: str) -> bool:
    """Whether a file name already carries a content hash (a rerun on the same output)."""
    parts = name.split(".")
    return len(parts) >= 3 and re.fullmatch(rf"[0-9a-f]{{{HASH_LENGTH}}}", parts[-2]) is not None


def theme_assets(theme: Path, static_paths: Iterable[str]) -> dict[str, Path]:
    """The theme's stylesheets and scripts that get a hash: {"css/site.css": source file}.

    Keys are relative to ``THEME_STATIC_DIR`` in the output, where Pelican copies each of the
    theme's ``THEME_STATIC_PATHS``.
    """
    found: dict[str, Path] = {}
    for static_path in static_paths:
        root = theme / static_path
        for folder, pattern in (("css", "*.css"), ("js", "*.js")):
            for path in sorted((root / folder).glob(pattern)):
                if path.is_file() and not is_hashed(path.name):
                    found[f"{folder}/{path.name}"] = path
    return found


def reference_pattern(relative: str) -> re.Pattern[str]:
    """Matches a reference to the output-relative path ``relative`` in HTML, CSS or JS.

    The path must start after "/" (absolute or root-relative URLs, ``../`` relative ones), a
    quote, "(" or "=", and end before a quote, "?", "#", ")", whitespace, ">" or the end.
    """
    return re.compile(r"(?<=[/\"'(=\s])" + re.escape(relative) + r"(?=[\"'?#)\s>]|$)", re.MULTILINE)


def rewrite_references(text: str, renames: Mapping[str, str], in_folder: str = "") -> str:
    """Replace every reference to an old asset path with its hashed path.

    ``renames`` maps output-relative paths ("theme/css/site.css") to new ones. In a file that
    lives in ``in_folder`` ("theme/css"), bare sibling names ("site.css") are rewritten too.
    """
    for old, new in renames.items():
        if old.split("/")[-1] not in text:
            continue
        text = reference_pattern(old).sub(new, text)
        folder, _, name = old.rpartition("/")
        if in_folder and folder == in_folder:
            text = re.sub(
                r"(?<=[\"'(])(\./)?" + re.escape(name) + r"(?=[\"'?#)])",
                new.rpartition("/")[2],
                text,
            )
    return text


def text_files(output: Path) -> Iterable[Path]:
    """Every text file of the built site (HTML, CSS, JS, feeds, sitemaps...)."""
    for folder, _, names in os.walk(output):
        for name in names:
            if name.endswith(TEXT_SUFFIXES):
                yield Path(folder) / name


@dataclass
class HashedAsset:
    """One theme asset under its hashed name: its final bytes, and the bytes Pelican copies."""

    path: str  # output-relative, hashed: "theme/css/site.1a2b3c4d5e.css"
    data: bytes
    source: bytes


def plan_fingerprints(sources: Mapping[str, Path], static_dir: str) -> dict[str, HashedAsset]:
    """Hashed names for the theme's assets, worked out from the theme before anything is written.

    Templates then refer to the hashed names directly (the ``asset`` filter), so pages are final
    when Pelican writes them, and can be compressed and indexed at once. An asset that refers to
    another (a stylesheet importing one) is rewritten first, so every hash covers the final
    bytes. Keys are output-relative: "theme/css/site.css".
    """
    pending = {f"{static_dir}/{name}": path.read_bytes() for name, path in sources.items()}
    originals = dict(pending)
    renames: dict[str, str] = {}
    planned: dict[str, HashedAsset] = {}
    while pending:
        ready = [
            rel
            for rel, data in pending.items()
            if not any(
                other != rel and other.rpartition("/")[2].encode() in data for other in pending
            )
        ] or sorted(pending)  # a cycle: hash what is left as it is
        for rel in ready:
            text = pending.pop(rel).decode("utf-8")
            data = rewrite_references(text, renames, rel.rpartition("/")[0]).encode("utf-8")
            folder, _, name = rel.rpartition("/")
            new = f"{folder}/{hashed_name(name, data)}"
            renames[rel] = new
            planned[rel] = HashedAsset(new, data, originals[rel])
    return planned


def apply_fingerprints(output: Path, planned: Mapping[str, HashedAsset]) -> None:
    """Put each copied theme asset under its hashed name (the pages already refer to it).

    The unhashed copy is removed, so a template that names an asset without the ``asset``
    filter shows as a broken link in the checks.
    """
    for old, asset in planned.items():
        copied = output / old
        if not copied.is_file():
            raise AssetsSettingsError(f"assets: {old} was not copied to the output")
        if copied.read_bytes() != asset.source:
            raise AssetsSettingsError(
                f"assets: {old} changed after its hash was worked out (a plugin edited it?)"
            )
        (output / asset.path).write_bytes(asset.data)
        copied.unlink()


def compress_file(path_and_quality: tuple[Path, int]) -> None:
    """Write ``path.gz`` and ``path.br`` beside one file."""
    import brotli  # only builds that precompress need it

    path, quality = path_and_quality
    data = path.read_bytes()
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=quality))


def precompress(output: Path, quality: int, static_dir: str = "theme") -> int:
    """Write ``.gz`` and ``.br`` siblings of every text file worth compressing; count them.

    On every core: zlib and brotli release the GIL, so threads compress in parallel without
    each carrying a copy of the build's memory. The hashed stylesheets and scripts (few,
    small, cached for a year) get brotli's best quality.
    """
    assets = output / static_dir
    jobs = [
        (path, 11 if path.is_relative_to(assets) else quality)
        for path in text_files(output)
        if path.stat().st_size >= PRECOMPRESS_MIN_BYTES
    ]
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(compress_file, jobs))
    return len(jobs)


@dataclass
class BuildState:
    """What one build's assets steps share between signals."""

    options: dict
    static_dir: str
    settings: Mapping = field(default_factory=dict)
    planned: dict[str, HashedAsset] = field(default_factory=dict)
    header_rules: list[headers.HeaderRule] | None = None  # worked out when first needed
    pages_with_policy: set[str] = field(default_factory=set)  # written with the meta policy

    def rules(self) -> list[headers.HeaderRule]:
        """The site's header rules (``headers.header_rules``), worked out once a build."""
        if self.header_rules is None:
            self.header_rules = headers.header_rules(self.settings)
        return self.header_rules

    def csp_meta(self, output_file: object) -> Markup:
        """The ``csp_meta`` template function: the meta policy of the page being written to
        ``output_file`` (Pelican's name for it in the output), or nothing with ``CSP_META``
        off. Pages written with it are not read again after the build."""
        if not self.options["CSP_META"] or not isinstance(output_file, str) or not output_file:
            return Markup("")
        name = Path(output_file).as_posix()
        self.pages_with_policy.add(name)
        return Markup(headers.meta_element(self.rules(), "/" + name))

    def asset_url(self, name: str) -> str:
        """The ``asset`` template filter: "css/site.css" -> "theme/css/site.1a2b3c4d5e.css"."""
        relative = f"{self.static_dir}/{name.lstrip('/')}"
        if relative in self.planned:
            return self.planned[relative].path
        if self.options["ASSET_FINGERPRINT"] and name.endswith((".css", ".js")):
            raise AssetsSettingsError(
                f"assets: a template asks for {name!r} (| asset), which the theme's static "
                "folder does not have"
            )
        return relative


_build: dict[str, BuildState] = {}  # the current build (Pelican builds one site at a time)


def start_build(pelican: object) -> None:
    """``initialized``: check the settings and work out the hashed names."""
    settings = pelican.settings  # type: ignore[attr-defined]
    options = plugin_settings(settings)
    state = BuildState(options, settings.get("THEME_STATIC_DIR", "theme"), settings)
    if options["ASSET_FINGERPRINT"]:
        sources = theme_assets(Path(settings["THEME"]), settings.get("THEME_STATIC_PATHS", []))
        state.planned = plan_fingerprints(sources, state.static_dir)
    _build["current"] = state


def add_asset_filter(generator: object) -> None:
    """``generator_init``: templates write ``{{ SITEURL }}/{{ 'css/site.css' | asset }}``."""
    env = getattr(generator, "env", None)
    state = _build.get("current")
    if env is not None and state is not None:
        env.filters["asset"] = answered_when_rendered(state.asset_url)
        env.globals["csp_meta"] = state.csp_meta


def answered_when_rendered(build_filter: Callable[[str], str]) -> Callable[..., str]:
    """``build_filter`` as a template filter that Jinja calls when a page is rendered.

    Jinja works a filter of a constant (``'css/site.css' | asset``) out once, when it compiles
    the template, and writes the answer into the compiled code; compiled templates are kept
    under ``CACHE_PATH`` for the next build (``build_speed``), which may be the other kind:
    a preview after a publish linked the published build's hashed stylesheet (missing, so an
    unstyled page), a publish after a preview the unhashed one. Jinja never works out early a
    filter that takes the template's context.
    """

    @pass_context
    def rendered(_context: Context, value: str) -> str:
        return build_filter(value)

    return rendered


def finalize(pelican: object) -> None:
    """The ``finalized`` handler: hashed assets, the headers file, the rest precompressed."""
    settings = pelican.settings  # type: ignore[attr-defined]
    state = _build.get("current")
    if state is None:
        return
    options = state.options
    output = Path(settings["OUTPUT_PATH"])
    started = time.perf_counter()
    done = []
    if options["ASSET_FINGERPRINT"]:
        apply_fingerprints(output, state.planned)
        done.append(f"{len(state.planned)} asset(s) hashed")
    if options["SECURITY_HEADERS"]:
        (output / "_headers").write_text(
            headers.render_headers_file(state.rules(), output), encoding="utf-8"
        )
        done.append("_headers written")
    if options["CSP_META"]:
        pages = add_meta_policies(output, state.rules(), state.pages_with_policy)
        written = len(state.pages_with_policy)
        done.append(f"CSP meta element in {written} page(s) as written, {pages} after")
    if options["PRECOMPRESS"]:
        count = precompress(output, options["PRECOMPRESS_BROTLI_QUALITY"], state.static_dir)
        done.append(f"{count} file(s) precompressed")
    _build.pop("current", None)
    if done:
        logger.info("assets: %s in %.2f s", ", ".join(done), time.perf_counter() - started)


def head_start(html: str) -> tuple[int | None, bool]:
    """(the offset a meta policy goes at, whether the head already has one): just after
    ``<meta charset>``, else just after ``<head>``."""
    head: int | None = None
    after: int | None = None
    has_policy = False
    for event in html_events(html, convert_charrefs=False, stop_at="body"):
        if event.kind not in ("start", "startend"):
            continue
        if event.tag == "head" and head is None:
            head = event.tag_end
        elif event.tag == "meta" and head is not None and after is None:
            values = event.attributes()
            if "charset" in values:
                after = event.tag_end
            if (values.get("http-equiv") or "").lower() == "content-security-policy":
                has_policy = True
    return (after if after is not None else head), has_policy


def add_meta_policies(
    output: Path, rules: list[headers.HeaderRule], written: Iterable[str] = ()
) -> int:
    """Put each page's CSP, as its response header would have it, first in its ``<head>``
    (right after ``<meta charset>``: a meta policy covers only what comes after it), except
    in the ``written`` pages (output-relative paths), which the theme wrote with it."""
    count = 0
    skipped = set(written)
    for relative in _html_pages(output):
        if relative in skipped:
            continue
        page = output / relative
        url_path = "/" + relative
        text = page.read_text(encoding="utf-8")
        offset, has_policy = head_start(text)
        if offset is None or has_policy:
            continue
        element = headers.meta_element(rules, url_path)
        page.write_text(text[:offset] + element + text[offset:], encoding="utf-8")
        count += 1
    return count


def _html_pages(output: Path) -> list[str]:
    """The site's pages, output-relative ("a/index.html"), in order (os.walk and strings: a
    path object and ``relative_to`` for each of 1,000 pages took a third of the step)."""
    pages = []
    for folder, _, names in os.walk(output):
        prefix = os.path.relpath(folder, output).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        pages += (prefix + name for name in names if name.endswith(".html"))
    return sorted(pages, key=lambda relative: relative.split("/"))


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(start_build)
    signals.generator_init.connect(add_asset_filter)
    signals.finalized.connect(finalize)
