"""`invoke serve`, `invoke preview` and `invoke new`: the writer's loop on 127.0.0.1."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import http.server
import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pelican_compat
from assets.preview import preview_handler
from content_check.checks import SLUG_RE  # the writer's check's own rules for slugs
from content_check.settings import check_settings
from content_check.source import as_read, parse_text
from invoke import Exit

from commands import handouts
from commands.browsers import BrowserPages, noting_pages_sent
from commands.build import (
    build_site,
    load_and_build,
    refuse_unsafe_output,
    stopped_by_ctrl_c_says_so,
)
from commands.check import report_fast_check
from commands.in_use import holding, served_at
from commands.live_rebuild import LiveRebuild, Rebuilt, prompt_watcher
from commands.new_article import NEW_ARTICLE_TEMPLATE
from commands.project import ARTICLES_DIR, CONTENT_DIR, PROJECT_ROOT, load_settings

# What `invoke serve` watches: a change to any of them rebuilds the site.
WATCHED = ("content", "theme", "plugins", "pelicanconf.py")


def refuse_busy_port(port: int, task_name: str) -> None:
    """Stop, in one line, when another program already listens on ``port`` of 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers bind (tornado, http.server): a port whose last connections are still
        # closing (TIME_WAIT, up to a minute after Ctrl-C) is free to serve on again.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", int(port)))
        except OSError as error:
            if error.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
            raise Exit(
                f"Port {port} is in use (another `invoke serve` or `invoke preview`?): stop it "
                f"with Ctrl+C in its terminal, or pick another port: {launcher()} {task_name} "
                f"--port {int(port) + 10}",
                code=1,
            ) from None


def launcher() -> str:
    """How the writer started this task: ``./quickstart`` (which says so in ``KIT_LAUNCHER``;
    ``invoke`` is not on the PATH until the virtual environment is activated) or ``invoke``."""
    return os.environ.get("KIT_LAUNCHER") or "invoke"


def preview_address(path: Path, port: int | str, settings: dict) -> str:
    """Where `invoke serve` shows a content file: drafts under /drafts/, translations under
    their language, each by the URL settings Pelican uses for it."""
    text = as_read(path.read_text(encoding="utf-8", errors="replace"))  # a BOM, Windows lines
    source = parse_text(path, path.name, "", text)
    slug = source.meta("slug") or path.stem
    lang = source.meta("lang") or settings["DEFAULT_LANG"]
    article = path.resolve().is_relative_to(ARTICLES_DIR.resolve())
    name = "DRAFT" if source.meta("status").lower() == "draft" else "ARTICLE"
    if not article:
        name = "DRAFT_PAGE" if name == "DRAFT" else "PAGE"
    if lang != settings["DEFAULT_LANG"]:
        name += "_LANG"
    url = settings[f"{name}_URL"].format(slug=slug, lang=lang)
    return f"http://127.0.0.1:{port}/{url}"


class Rebuilder:
    """`invoke serve`'s rebuild: the settings read again (the writer may have changed
    pelicanconf.py), only the pages the saved files touch written again
    (commands/live_rebuild.py), each file just saved named with its address.

    Rebuilds run in a thread of their own, so that the server sends the saved article's new page
    while the lists showing it are still being written; each browser is told to reload when the
    page it shows is written (commands/browsers.py).
    """

    def __init__(self, output: Path, port: int, browsers: BrowserPages | None = None) -> None:
        self.output, self.port, self.browsers = output, port, browsers
        self.live = LiveRebuild([PROJECT_ROOT / name for name in WATCHED], CONTENT_DIR)
        self.settings: dict | None = None
        self._lock = threading.Lock()
        self._running = self._again = False
        self._loop: Any = None

    def running(self) -> bool:
        """Whether a rebuild runs now."""
        with self._lock:
            return self._running

    def _build(self) -> bool:
        self.settings, built = load_and_build(self.output, fatal_warnings=False)
        return built

    def __call__(self) -> None:
        """livereload's task (in the server's loop) for each watched path that changed: start a
        rebuild in the background, or ask for one more after the rebuild running now."""
        from tornado.ioloop import IOLoop

        self._loop = IOLoop.current()
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        threading.Thread(target=self._rebuild_until_current, daemon=True).start()

    def _rebuild_until_current(self) -> None:
        """Rebuild, then again while files were saved during the last rebuild; then the
        writer's check of every file saved (not before: it would slow the next rebuild)."""
        saved: set[Path] = set()
        try:
            while True:
                rebuilt = self.rebuild(self._file_written)
                saved.update(rebuilt.saved)
                if self.browsers is not None:
                    self._loop.add_callback(self.browsers.build_ended, rebuilt)
                with self._lock:
                    if not self._again:
                        break
                    self._again = False
        finally:
            with self._lock:
                self._running = False
        check_in_background(sorted(saved))

    def _file_written(self, path: str) -> None:
        if self.browsers is not None:
            self._loop.add_callback(self.browsers.file_written, path)

    def rebuild(self, on_written: Callable[[str], None] | None = None) -> Rebuilt:
        """Rebuild now; a failed build is said in one line (a bug: its traceback)."""
        started = dt.datetime.now()
        rebuilt = self.live.run(self._build, on_written)
        if rebuilt.built:
            seconds = (dt.datetime.now() - started).total_seconds()
            print(f"Rebuilt in {seconds:.1f} s ({len(rebuilt.written)} pages written)")
        saved = rebuilt.saved
        for path in saved if self.settings is not None else []:
            address = preview_address(path, self.port, self.settings)
            name = path.relative_to(PROJECT_ROOT)
            if rebuilt.built and path.is_file() and os.path.realpath(path) not in rebuilt.read:
                # Pelican left the file out (a bad date, say): its page is the last good one.
                print(f"Saved {name}: NOT rebuilt: the build left it out (the lines above say "
                      f"why; `invoke check {name}` says how to fix it). {address} still "
                      "shows its last version that built.")  # fmt: skip
            else:
                print(f"Saved {name}: see it at {address}")
        return rebuilt


def check_in_background(saved: list[Path]) -> None:
    """The writer's check of the saved files (all files: none named), in a thread of its own
    so that serving and the next rebuild go on."""
    threading.Thread(target=report_fast_check, args=(saved,), daemon=True).start()


def serve(port: int = 8000) -> None:
    """`invoke serve`: the site on 127.0.0.1, rebuilt and refreshed on every save."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    refuse_busy_port(port, "serve")
    output = PROJECT_ROOT / "output"
    refuse_unsafe_output(output)
    # The writer's preview: no other task writes it (and `invoke new` names its address).
    with holding(output, "serve", where=f"http://127.0.0.1:{port}/"):
        browsers = BrowserPages(output, LiveReloadHandler.waiters)
        pelican_compat.on_browser_connected(browsers.connected)
        rebuild = Rebuilder(output, port, browsers)
        with stopped_by_ctrl_c_says_so(output):  # the first build, at 1,000 articles seconds long
            check_in_background(rebuild.rebuild().saved)
        server = Server(watcher=prompt_watcher(busy=rebuild.running))
        # livereload gives its loggers (and tornado's) a handler of their own when it starts
        # serving; passed on to Pelican's too, each of their lines was printed twice.
        for name in ("livereload", "tornado"):
            logging.getLogger(name).propagate = False
        server.SFH = noting_pages_sent(pelican_compat.site_not_found_handler(), browsers)
        for watched in WATCHED:
            server.watch(str(PROJECT_ROOT / watched), rebuild, delay=0)
        print(f"\nServing the site at http://127.0.0.1:{port}/  (Ctrl+C to stop)", flush=True)
        print(f"Drafts are at http://127.0.0.1:{port}/drafts/SLUG/ (pages: /drafts/pages/SLUG/)\n",
              flush=True)  # fmt: skip
        server.serve(host="127.0.0.1", port=int(port), root=str(output), open_url_delay=None)


def preview(port: int = 8001) -> None:
    """`invoke preview`: the production build (search index included) on 127.0.0.1, with the
    headers production sends (Content-Security-Policy, HSTS...)."""
    refuse_busy_port(port, "preview")
    output = PROJECT_ROOT / "output-preview"
    refuse_unsafe_output(output)
    with holding(output, "preview"):
        os.environ["SITEURL"] = f"http://127.0.0.1:{port}"
        # A local preview may still carry the example clinic details that publishing refuses.
        overrides = {"REFUSE_EXAMPLE_CLINIC_DETAILS": False, **handouts.handout_overrides()}
        settings = load_settings(True, overrides)
        with stopped_by_ctrl_c_says_so(output):
            if not build_site(settings, output):
                raise Exit(code=1)
            if not handouts.write_handouts_if_on(settings, output):
                raise Exit(code=1)
        handler = preview_handler(output, settings)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), handler)
        print(f"\nPreviewing the production build at http://127.0.0.1:{port}/  (Ctrl+C to stop)")
        print("with the headers production sends (plugins/assets/headers.py: the same definition "
              "as _headers, nginx and Apache), and the site's 404 page.")  # fmt: skip
        print(example_values_line(settings) + "\n")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


def example_values_line(settings: dict) -> str:
    """What the preview shows that publishing refuses: the example clinic details left in the
    settings (a preview allows them, so that a site can be seen before they are known)."""
    from clinic.clinic import example_settings_values

    left = len(example_settings_values(settings))
    if not left:
        return "No example clinic details are left: publishing will not refuse any."
    return (
        f"It shows {left} example clinic detail{'s' * (left != 1)} that publishing refuses: "
        "`invoke check --production` lists them, with every page still due a review."
    )


def refuse_unusable_slug(title: str, slug: str, settings: dict) -> None:
    """Stop ``invoke new`` when ``title`` gives no slug that the check and the disk accept."""
    most = check_settings(settings)["CHECK_MAX_SLUG"]
    if not any(character.isalnum() for character in slug):
        raise Exit(
            f'The title "{title}" has no letters or numbers, so it gives no file name: '
            'nothing was created. Use words, for example: invoke new "Ketamine and sleep"',
            code=1,
        )
    if len(slug) > most:
        raise Exit(
            f"The title gives a file name (slug) of {len(slug)} characters; the most is "
            f"{most} (CHECK_MAX_SLUG): nothing was created. Use a shorter title (under 70 "
            "characters reads best in search results).",
            code=1,
        )
    if not SLUG_RE.match(slug):
        raise Exit(
            f'The title "{title}" gives the file name (slug) "{slug}", which the writer\'s check '
            'refuses (lower-case words and numbers joined by "-"): nothing was created. '
            'Leave out "_" and other symbols.',
            code=1,
        )


def new(title: str) -> None:
    """`invoke new`: a new draft article in content/articles/, every metadata field filled in."""
    from pelican.utils import slugify

    settings = load_settings()
    title = " ".join(title.split())
    if not title:
        raise Exit('Give the article a title: invoke new "Your title"', code=1)
    slug = slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    refuse_unusable_slug(title, slug, settings)
    path = ARTICLES_DIR / f"{slug}.md"
    if path.exists():
        raise Exit(
            f"{path.relative_to(PROJECT_ROOT)} already exists: nothing was changed. "
            "Choose another title, or edit that file.",
            code=1,
        )
    path.write_text(
        NEW_ARTICLE_TEMPLATE.format(
            title=title.replace("\n", " "),
            slug=slug,
            today=dt.date.today().isoformat(),
            category=settings["ALLOWED_CATEGORIES"][0],
            tag=settings["ALLOWED_TAGS"][0],
        ),
        encoding="utf-8",
    )
    name = path.relative_to(PROJECT_ROOT)
    print(f"Created {name} (a draft).")
    served = served_at(PROJECT_ROOT / "output")  # the running `invoke serve`'s address
    if served is None:
        address = preview_address(path, 8000, settings)
        print(f"Preview it with `{launcher()} serve`, at {address}")
    else:
        address = preview_address(path, urlsplit(served).port or 8000, settings)
        print(f"Your running preview shows it at {address}")
    print(f"See what to fix with `{launcher()} check {name}`.")
