"""After the build: hashed asset names, precompressed siblings and the ``_headers`` file.

Runs on Pelican's ``finalized`` signal, on the written output, so it does not depend on how
the templates refer to the stylesheet and scripts:

1. ``ASSET_FINGERPRINT``: every ``theme/css/*.css`` and ``theme/js/*.js`` is renamed
   ``name.<hash>.ext`` (the first 10 hex digits of its SHA-256), and every reference to it in
   the site's text files (HTML, feeds, CSS, JS, JSON, XML...) is rewritten to the new name.
   The unhashed file is removed, so a reference this step missed shows as a broken link.
2. ``SECURITY_HEADERS``: writes ``_headers`` (Netlify, Cloudflare Pages) from the definition
   in ``headers.py``; ``python -m assets`` writes the nginx and Apache snippets in deploy/.
3. ``PRECOMPRESS``: writes ``.gz`` and ``.br`` siblings of text files for hosts that serve
   precompressed files (nginx ``gzip_static``, ``brotli_static``).

All three are off by default (development builds) and switched on in publishconf.py.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import mmap
import os
import re
import time
import zlib
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pelican import signals

from . import headers

logger = logging.getLogger(__name__)

# Files in which references to assets are rewritten, and which are precompressed.
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
}


class AssetsSettingsError(Exception):
    """An assets setting has a value the plugin cannot use."""


def plugin_settings(settings: Mapping) -> dict:
    """The plugin's settings: defaults merged with what the settings files set, validated."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    for key in ("ASSET_FINGERPRINT", "PRECOMPRESS", "SECURITY_HEADERS"):
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


def find_assets(output: Path, static_dir: str) -> list[Path]:
    """The stylesheets and scripts under the theme's static folder that need a hash."""
    found: list[Path] = []
    for folder, pattern in (("css", "*.css"), ("js", "*.js")):
        found += sorted(
            path
            for path in (output / static_dir / folder).glob(pattern)
            if path.is_file() and not is_hashed(path.name)
        )
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


def mentions_any(path: Path, names: Iterable[bytes]) -> bool:
    """Whether the file's bytes contain any of ``names``, without reading it into memory.

    Files that name no asset (the full-content feed, the sitemap) are then neither decoded nor
    rewritten: a large feed read as text took more memory than the rest of the build.
    """
    with path.open("rb") as file:
        if os.fstat(file.fileno()).st_size == 0:
            return False
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return any(data.find(name) >= 0 for name in names)


def fingerprint(output: Path, static_dir: str) -> dict[str, str]:
    """Give each theme stylesheet and script a hashed name; rewrite all references to them.

    Assets that refer to other assets (a stylesheet importing another) are rewritten first,
    so that every hash covers the final bytes. Returns {old path: new path}.
    """
    assets = {path.relative_to(output).as_posix(): path for path in find_assets(output, static_dir)}
    renames: dict[str, str] = {}
    pending = dict(assets)
    while pending:
        ready = [
            rel
            for rel, path in pending.items()
            if not any(
                other != rel and other.split("/")[-1] in path.read_text(encoding="utf-8")
                for other in pending
            )
        ] or sorted(pending)  # a cycle: hash what is left as it is
        for rel in ready:
            path = pending.pop(rel)
            text = rewrite_references(
                path.read_text(encoding="utf-8"), renames, rel.rpartition("/")[0]
            )
            data = text.encode("utf-8")
            new_path = path.with_name(hashed_name(path.name, data))
            new_path.write_bytes(data)
            path.unlink()
            renames[rel] = new_path.relative_to(output).as_posix()
    if not renames:
        return renames
    hashed = set(renames.values())
    names = {old.rpartition("/")[2].encode("utf-8") for old in renames}
    for file in text_files(output):
        relative = file.relative_to(output).as_posix()
        if relative in hashed or not mentions_any(file, names):
            continue
        text = file.read_text(encoding="utf-8", errors="surrogateescape")
        new_text = rewrite_references(text, renames, relative.rpartition("/")[0])
        if new_text != text:
            file.write_text(new_text, encoding="utf-8", errors="surrogateescape")
    return renames


# Files this large (the full-content feeds) are compressed a piece at a time: compressing a
# 10 MB feed in one call holds several times its size in memory.
STREAM_FROM_BYTES = 1 << 20
STREAM_CHUNK_BYTES = 1 << 18


def _compress_streaming(path: str, quality: int) -> int:
    import brotli

    gz = zlib.compressobj(9, zlib.DEFLATED, 31)  # what gzip.compress(mtime=0) writes
    br = brotli.Compressor(quality=quality)
    size = 0
    with (
        open(path, "rb") as source,
        open(path + ".gz", "wb") as gz_file,
        open(path + ".br", "wb") as br_file,
    ):
        while chunk := source.read(STREAM_CHUNK_BYTES):
            size += len(chunk)
            gz_file.write(gz.compress(chunk))
            br_file.write(br.process(chunk))
        gz_file.write(gz.flush())
        br_file.write(br.finish())
    return size


def compress_file(path_and_quality: tuple[str, int]) -> int:
    """Write ``path.gz`` and ``path.br`` beside one file; return the bytes it read."""
    import brotli  # only production builds need it

    path, quality = path_and_quality
    if os.path.getsize(path) >= STREAM_FROM_BYTES:
        return _compress_streaming(path, quality)
    data = Path(path).read_bytes()
    Path(path + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    Path(path + ".br").write_bytes(brotli.compress(data, quality=quality))
    return len(data)


def precompress(
    output: Path, quality: int, static_dir: str = "theme", workers: int | None = None
) -> int:
    """Write ``.gz`` and ``.br`` siblings of every text file worth compressing; count them."""
    assets = output / static_dir
    jobs, large = [], []
    for path in text_files(output):
        size = path.stat().st_size
        if size >= PRECOMPRESS_MIN_BYTES:
            job = (str(path), 11 if path.is_relative_to(assets) else quality)
            (large if size >= STREAM_FROM_BYTES else jobs).append(job)
    for job in large:  # one at a time, a piece at a time: little memory
        compress_file(job)
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        for job in jobs:
            compress_file(job)
    else:
        # Threads: zlib and brotli release the GIL while they compress, and, unlike forked
        # processes, threads do not each carry a copy of the whole build's memory.
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(compress_file, jobs))
    return len(jobs) + len(large)


def finalize(pelican: object) -> None:
    """The ``finalized`` handler: hash, write the headers file, precompress (as set)."""
    settings = pelican.settings  # type: ignore[attr-defined]
    options = plugin_settings(settings)
    output = Path(settings["OUTPUT_PATH"])
    started = time.perf_counter()
    done = []
    if options["ASSET_FINGERPRINT"]:
        renames = fingerprint(output, settings.get("THEME_STATIC_DIR", "theme"))
        done.append(f"{len(renames)} asset(s) hashed")
    if options["SECURITY_HEADERS"]:
        rules = headers.header_rules(settings)
        (output / "_headers").write_text(
            headers.render_headers_file(rules, output), encoding="utf-8"
        )
        done.append("_headers written")
    if options["PRECOMPRESS"]:
        count = precompress(
            output, options["PRECOMPRESS_BROTLI_QUALITY"], settings.get("THEME_STATIC_DIR", "theme")
        )
        done.append(f"{count} file(s) precompressed")
    if done:
        logger.info("assets: %s in %.2f s", ", ".join(done), time.perf_counter() - started)


def check_settings(pelican: object) -> None:
    """Fail the build at start-up on an invalid setting."""
    plugin_settings(pelican.settings)  # type: ignore[attr-defined]


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(check_settings)
    signals.finalized.connect(finalize)
