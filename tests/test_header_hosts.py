"""The same security headers on every response on every host (issue 13).

``_headers`` is read as Netlify and Cloudflare Pages read it (``assets.static_hosts`` follows
their published code); nginx and Apache run for real, with the generated files, when they are
installed (Debian: ``apt-get install nginx apache2``), and those tests are skipped otherwise.
"""

from __future__ import annotations

import grp
import http.client
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from assets import headers, static_hosts
from assets.__main__ import project_settings
from conftest import PROJECT_ROOT, BuiltSite, SmallSite, free_port, needs

Builder = Callable[..., SmallSite]
UNKNOWN_PATH = "/no-such-page/"
NGINX = shutil.which("nginx")
APACHE = shutil.which("apache2")
APACHE_MODULES = Path("/usr/lib/apache2/modules")
needs_nginx = needs("nginx", NGINX is not None, "apt-get install -y nginx (./quickstart test)")
needs_apache = needs(
    "Apache",
    APACHE is not None and APACHE_MODULES.is_dir(),
    "apt-get install -y apache2 (./quickstart test)",
)


def definition(siteurl: str = "") -> list[headers.HeaderRule]:
    """The header rules for the project's own settings (at ``siteurl``, as a built site is)."""
    return headers.header_rules({**project_settings(), "SITEURL": siteurl})


# --- The hosts' merging, as their published code does it -------------------------------------


def test_cloudflare_drops_a_detached_header_before_setting_its_own() -> None:
    """Cloudflare's documented example: ``! Name`` removes what a broader rule set."""
    rules = static_hosts.parse_headers_file(
        "/*\n  Content-Security-Policy: default-src 'self'\n  X-Frame-Options: DENY\n"
        "/*.jpg\n  ! Content-Security-Policy\n"
        "/search/*\n  ! Content-Security-Policy\n  Content-Security-Policy: default-src 'none'\n"
    )
    assert static_hosts.cloudflare_headers(rules, "/a.jpg") == {"X-Frame-Options": "DENY"}
    assert static_hosts.cloudflare_headers(rules, "/search/")["Content-Security-Policy"] == (
        "default-src 'none'"
    )


def test_the_hosts_merge_a_repeated_header_differently() -> None:
    """Without ``!``, Cloudflare sends both values (both CSPs enforced); Netlify the later one."""
    rules = static_hosts.parse_headers_file(
        "/*\n  Cache-Control: no-cache\n/theme/*\n  Cache-Control: max-age=60\n"
    )
    assert static_hosts.cloudflare_headers(rules, "/theme/a.css") == {
        "Cache-Control": "no-cache, max-age=60"
    }
    assert static_hosts.netlify_headers(rules, "/theme/a.css") == {"Cache-Control": "max-age=60"}
    assert static_hosts.cloudflare_headers(rules, "/nope/", status=404) == {
        "Cache-Control": "no-store"
    }


def test_a_netlify_splat_also_matches_longer_names() -> None:
    """``/search/*`` is ``^/search/?(.*)/?$`` on Netlify (case-insensitive), exact on Cloudflare."""
    for path in ("/search/", "/search", "/searching/", "/SEARCH/x"):
        assert static_hosts.netlify_pattern("/search/*").match(path), path
    assert not static_hosts.cloudflare_pattern("/search/*").match("/searching/")
    assert not static_hosts.netlify_pattern("/search/").match("/searching/")


# --- _headers: a bounded file, the same headers on both hosts --------------------------------


def page(number: int, slug: str) -> str:
    return f"Title: Guide {number}\nSlug: {slug}\nSummary: Guide number {number}.\n\nText.\n"


@pytest.mark.slow
def test_a_site_of_500_pages_gets_a_few_rules_and_the_same_headers_on_both_hosts(
    build_small_site: Builder,
) -> None:
    pages = {f"pages/guide-{number}.md": page(number, f"guide-{number}") for number in range(499)}
    # A page whose address starts like the search page's: Netlify's /search/* catches it.
    pages["pages/searching.md"] = page(499, "searching-for-care")
    for name in ("pages/medical-disclaimer.md", "pages/book-a-consultation.md"):
        pages[name] = (PROJECT_ROOT / "content" / name).read_text(encoding="utf-8")
    built = build_small_site(
        pages, {"SECURITY_HEADERS": True, "ASSET_FINGERPRINT": True, "SEARCH_INDEX": True}
    )
    text = (built.output / "_headers").read_text(encoding="utf-8")
    rules = static_hosts.parse_headers_file(text)
    rule_definition = headers.header_rules(built.settings)
    corrections = sorted(rule.pattern for rule in rules[len(rule_definition) :])
    assert corrections == ["/searching-for-care/", "/searching-for-care/index.html"]
    assert len(rules) == len(rule_definition) + 2 < static_hosts.CLOUDFLARE_MAX_RULES
    assert static_hosts.cloudflare_problems(text) == []

    paths = headers.built_paths(built.output)
    assert len([path for path in paths if path.startswith("/guide-")]) == 2 * 499
    assert "/pagefind/pagefind.js" in paths
    wrong = paths_sent_other_headers(rules, rule_definition, [*paths, UNKNOWN_PATH])
    assert not wrong, wrong


def paths_sent_other_headers(
    rules: list[static_hosts.HeadersFileRule], rule_definition: list, paths: list[str]
) -> list[str]:
    """Each path (and host) that a ``_headers`` file sends other headers than the definition."""
    return [
        f"{host} {path}"
        for path in paths
        for host, sent in (
            ("Netlify", static_hosts.netlify_headers(rules, path)),
            ("Cloudflare Pages", static_hosts.cloudflare_headers(rules, path)),
        )
        if sent != headers.headers_for_path(rule_definition, path)
    ]


def test_the_headers_file_is_the_same_size_for_any_number_of_pages(tmp_path: Path) -> None:
    """The rules come from the definition, not from the folders of the built site."""
    rules = definition()
    sizes = []
    for count in (1, 300):
        output = tmp_path / str(count)
        for number in range(count):
            (output / f"guide-{number}").mkdir(parents=True)
            (output / f"guide-{number}" / "index.html").write_text("<p>x</p>", encoding="utf-8")
        sizes.append(len(headers.render_headers_file(rules, output)))
    assert sizes[0] == sizes[1]


def test_a_file_the_hosts_would_read_differently_is_refused(tmp_path: Path) -> None:
    """A header only an exception sets cannot be taken back from a path Netlify's looser
    pattern catches: the build stops rather than write a file the hosts disagree on."""
    (tmp_path / "searching").mkdir()
    (tmp_path / "searching" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    rules = [
        headers.HeaderRule("/", {"X-Site": "1"}),
        headers.HeaderRule("/search/", {"X-Search-Only": "1"}),
    ]
    with pytest.raises(headers.HeadersSettingsError, match=r"/searching/ on Netlify"):
        headers.render_headers_file(rules, tmp_path)


def test_too_many_pages_named_like_the_search_page_are_refused_by_name(tmp_path: Path) -> None:
    for number in range(60):
        (tmp_path / f"search-tips-{number}").mkdir()
        (tmp_path / f"search-tips-{number}" / "index.html").write_text("x", encoding="utf-8")
    with pytest.raises(headers.HeadersSettingsError, match=r"1[0-9][0-9] rules.*/search-tips-0/"):
        headers.render_headers_file(definition(), tmp_path)


# --- Real servers ----------------------------------------------------------------------------


def readable_copy(source: Path, destination: Path) -> Path:
    """Copy a built site where a server's unprivileged worker can read it."""
    shutil.copytree(source, destination)
    for folder, _, files in os.walk(destination):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    return destination


@pytest.fixture(scope="module")
def public_root(site: BuiltSite) -> Iterator[Path]:
    """The production build, copied into a world-readable temporary folder."""
    holder = Path(tempfile.mkdtemp(prefix="clinic-headers-"))
    holder.chmod(0o755)
    try:
        yield readable_copy(site.path, holder / "root")
    finally:
        shutil.rmtree(holder)


@contextmanager
def running(command: list[str], port: int, log: Path) -> Iterator[None]:
    """Run a server until the block ends; fail with its log if it never listens."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                details = log.read_text(errors="replace") if log.exists() else ""
                pytest.fail(f"{command[0]} did not start:\n{details}")
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(timeout=15)


def fetch(port: int, path: str) -> tuple[int, http.client.HTTPMessage, str]:
    """Status, headers and body of a GET for ``path``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        return response.status, response.headers, body
    finally:
        connection.close()


def fetch_headers(port: int, path: str) -> tuple[int, http.client.HTTPMessage]:
    """Status and headers of a GET for ``path``."""
    status, message, _ = fetch(port, path)
    return status, message


def sent_headers(message: http.client.HTTPMessage, names: list[str]) -> dict[str, str]:
    """The values of ``names`` in a response; a header sent twice is a failure."""
    for name in names:
        assert len(message.get_all(name) or []) <= 1, f"{name} sent twice"
    return {name: message[name] for name in names if message[name] is not None}


def paths_to_check(root: Path) -> list[str]:
    """A page, an article, the search page, Pagefind, a hashed stylesheet, 404s."""
    stylesheet = next(root.glob("theme/css/*.css")).relative_to(root).as_posix()
    article = next(root.glob("articles/*/index.html")).parent.relative_to(root).as_posix()
    return [
        "/",
        f"/{article}/",
        "/search/",
        "/pagefind/pagefind.js",
        f"/{stylesheet}",
        "/404.html",
        UNKNOWN_PATH,
    ]


NGINX_CONFIG = """
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {prefix}/temp;
    proxy_temp_path {prefix}/temp;
    fastcgi_temp_path {prefix}/temp;
    uwsgi_temp_path {prefix}/temp;
    scgi_temp_path {prefix}/temp;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        include snippets/clinic.conf;
        {own_location}
    }}
}}
"""
OWN_LOCATION_WITH_INCLUDE = """location / {
            add_header X-Site-Own "1" always;
            include snippets/clinic-headers.conf;
        }"""
OWN_LOCATION_WITHOUT_INCLUDE = """location / {
            add_header X-Site-Own "1" always;
        }"""


@contextmanager
def nginx_serving(root: Path, prefix: Path, own_location: str) -> Iterator[int]:
    """nginx serving ``root`` with the generated snippets and the site's own ``location``."""
    (prefix / "snippets").mkdir(parents=True, exist_ok=True)
    (prefix / "temp").mkdir(exist_ok=True)
    files = headers.render_deploy_files(project_settings())
    (prefix / "snippets" / "clinic.conf").write_text(files["nginx.conf"], encoding="utf-8")
    (prefix / "snippets" / "clinic-headers.conf").write_text(
        files["nginx-headers.conf"], encoding="utf-8"
    )
    port = free_port()
    config = NGINX_CONFIG.format(prefix=prefix, port=port, root=root, own_location=own_location)
    (prefix / "nginx.conf").write_text(config, encoding="utf-8")
    command = [NGINX or "nginx", "-p", f"{prefix}/", "-c", "nginx.conf", "-e", "error.log"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    with running(command, port, prefix / "error.log"):
        yield port


@needs_nginx
@pytest.mark.parametrize("own_location", ["", OWN_LOCATION_WITH_INCLUDE])
def test_nginx_sends_the_definition_on_every_path(
    public_root: Path, tmp_path: Path, own_location: str
) -> None:
    """``nginx -t`` accepts the snippets; each path gets exactly the definition's headers, with
    or without a location of the site's own that has an add_header and includes the file."""
    rules = definition()
    with nginx_serving(public_root, tmp_path, own_location) as port:
        for path in paths_to_check(public_root):
            status, message = fetch_headers(port, path)
            wanted = headers.headers_for_path(rules, path)
            assert sent_headers(message, list(wanted)) == wanted, f"{path} ({status})"
            assert (message["X-Site-Own"] == "1") == bool(own_location), path


@needs_nginx
def test_nginx_drops_the_headers_in_a_location_that_does_not_include_them(
    public_root: Path, tmp_path: Path
) -> None:
    """Why the snippet warns: one add_header in the site's own location loses all of ours."""
    with nginx_serving(public_root, tmp_path, OWN_LOCATION_WITHOUT_INCLUDE) as port:
        _, message = fetch_headers(port, "/")
    assert message["X-Site-Own"] == "1"
    assert message["Content-Security-Policy"] is None
    snippet = headers.render_deploy_files(project_settings())["nginx.conf"]
    assert "WARNING: nginx drops EVERY add_header" in snippet
    assert "include snippets/clinic-headers.conf;" in snippet


APACHE_CONFIG = """
ServerRoot {prefix}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {prefix}/httpd.pid
ErrorLog {prefix}/error.log
{user}
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule headers_module {modules}/mod_headers.so
LoadModule mime_module {modules}/mod_mime.so
LoadModule dir_module {modules}/mod_dir.so
TypesConfig /etc/mime.types
DocumentRoot {root}
DirectoryIndex index.html
<Directory {root}>
    AllowOverride FileInfo
    Require all granted
</Directory>
"""


def apache_user() -> str:
    """The User/Group lines Apache needs when started as root (it refuses to serve as root)."""
    if os.geteuid() != 0:
        return ""
    nobody = pwd.getpwnam("nobody")
    return f"User nobody\nGroup {grp.getgrgid(nobody.pw_gid).gr_name}"


@contextmanager
def apache_serving(root: Path, prefix: Path) -> Iterator[int]:
    """Apache serving ``root`` with the generated .htaccess."""
    htaccess = headers.render_deploy_files(project_settings())["apache.htaccess"]
    (root / ".htaccess").write_text(htaccess, encoding="utf-8")
    (root / ".htaccess").chmod(0o644)
    port = free_port()
    config = APACHE_CONFIG.format(
        prefix=prefix, port=port, root=root, modules=APACHE_MODULES, user=apache_user()
    )
    (prefix / "httpd.conf").write_text(config, encoding="utf-8")
    command = [APACHE or "apache2", "-f", str(prefix / "httpd.conf"), "-DFOREGROUND"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    try:
        with running(command, port, prefix / "error.log"):
            yield port
    finally:
        (root / ".htaccess").unlink()


@needs_apache
def test_apache_sends_the_definition_on_every_path(public_root: Path, tmp_path: Path) -> None:
    rules = definition()
    with apache_serving(public_root, tmp_path) as port:
        for path in paths_to_check(public_root):
            status, message = fetch_headers(port, path)
            wanted = headers.headers_for_path(rules, path)
            assert sent_headers(message, list(wanted)) == wanted, f"{path} ({status})"


# --- A path the site does not have (the host serves 404.html) --------------------------------


def headers_of_unknown_path(host: str, site: BuiltSite, public_root: Path, work: Path) -> dict:
    """The headers each host sends for a path the site does not have (it answers 404)."""
    names = list(headers.headers_for_path(definition(), UNKNOWN_PATH))
    if host in ("Netlify", "Cloudflare Pages"):
        text = (site.path / "_headers").read_text(encoding="utf-8")
        rules = static_hosts.parse_headers_file(text)
        if host == "Netlify":
            return static_hosts.netlify_headers(rules, UNKNOWN_PATH)
        return static_hosts.cloudflare_headers(rules, UNKNOWN_PATH, status=404)
    if host == "nginx":
        serving = nginx_serving(public_root, work, "")
    else:
        serving = apache_serving(public_root, work)
    with serving as port:
        status, message = fetch_headers(port, UNKNOWN_PATH)
    assert status == 404
    return sent_headers(message, names)


@pytest.mark.parametrize(
    "host",
    ["Netlify", "Cloudflare Pages", pytest.param("nginx", marks=needs_nginx),
     pytest.param("Apache", marks=needs_apache)],
)  # fmt: skip
def test_an_unknown_path_gets_the_site_headers_on_every_host(
    host: str, site: BuiltSite, public_root: Path, tmp_path: Path
) -> None:
    # _headers is written for the site's address (script-src names it); the deploy/ snippets
    # are rendered from pelicanconf.py, without one.
    siteurl = site.url if host in ("Netlify", "Cloudflare Pages") else ""
    wanted = headers.headers_for_path(definition(siteurl), UNKNOWN_PATH)
    sent = headers_of_unknown_path(host, site, public_root, tmp_path)
    if host == "Cloudflare Pages":  # its own rule for every 404: never cached
        wanted["Cache-Control"] = static_hosts.CLOUDFLARE_NOT_FOUND_CACHE_CONTROL
    assert sent == wanted
    assert "default-src 'none'" in sent["Content-Security-Policy"]


@pytest.mark.parametrize(
    "host", [pytest.param("nginx", marks=needs_nginx), pytest.param("Apache", marks=needs_apache)]
)
def test_a_missing_address_gets_the_page_not_found_in_its_language(
    host: str, public_root: Path, tmp_path: Path
) -> None:
    """A reader who follows a broken Spanish link reads "page not found" in Spanish: the
    deploy/ files send /es/404.html under /es/ and /404.html elsewhere, with status 404."""
    english = (public_root / "404.html").read_text(encoding="utf-8")
    spanish = (public_root / "es" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="es"' in spanish and '<html lang="en"' in english
    serving = (
        nginx_serving(public_root, tmp_path, OWN_LOCATION_WITH_INCLUDE)
        if host == "nginx"
        else apache_serving(public_root, tmp_path)
    )
    with serving as port:
        for path, page in (
            (UNKNOWN_PATH, english),
            ("/es/no-such-page/", spanish),
            ("/es/articles/no-such-guide/", spanish),
            ("/articles/no-such-guide/", english),
        ):
            status, _, body = fetch(port, path)
            assert (status, body) == (404, page), path


# --- Cross-Origin-Resource-Policy and HSTS ---------------------------------------------------


def test_every_rendering_sends_cross_origin_resource_policy(site: BuiltSite) -> None:
    rules = static_hosts.parse_headers_file((site.path / "_headers").read_text(encoding="utf-8"))
    for path in ("/", "/search/", "/pagefind/pagefind.js", UNKNOWN_PATH):
        assert static_hosts.netlify_headers(rules, path)["Cross-Origin-Resource-Policy"] == (
            "same-origin"
        )
    files = headers.render_deploy_files(project_settings())
    assert (
        'add_header Cross-Origin-Resource-Policy "same-origin" always;'
        in (files["nginx-headers.conf"])
    )
    assert (
        'Header always set Cross-Origin-Resource-Policy "same-origin"' in (files["apache.htaccess"])
    )


def test_hsts_includes_subdomains_unless_turned_off() -> None:
    settings = project_settings()
    assert headers.strict_transport_security(settings) == "max-age=63072000; includeSubDomains"
    off = {**settings, "HSTS_INCLUDE_SUBDOMAINS": False}
    assert headers.strict_transport_security(off) == "max-age=63072000"
    for name, text in headers.render_deploy_files(off).items():
        assert "includeSubDomains" not in text, name
    preload = {**settings, "HSTS_PRELOAD": True}
    assert headers.strict_transport_security(preload).endswith("; includeSubDomains; preload")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"HSTS_INCLUDE_SUBDOMAINS": "no"}, r"HSTS_INCLUDE_SUBDOMAINS must be True or False"),
        ({"HSTS_PRELOAD": 1}, r"HSTS_PRELOAD must be True or False, not 1"),
        ({"HSTS_MAX_AGE": "2 years"}, r"HSTS_MAX_AGE must be a whole number of seconds"),
        ({"HSTS_MAX_AGE": -1}, r"HSTS_MAX_AGE must be a whole number of seconds"),
        ({"HSTS_PRELOAD": True, "HSTS_INCLUDE_SUBDOMAINS": False},
         r"HSTS_PRELOAD = True needs HSTS_INCLUDE_SUBDOMAINS = True"),
        ({"SEARCH_URL": 'search" always; add_header X "'}, r"SEARCH_URL = .* must be a folder"),
    ],
)  # fmt: skip
def test_an_invalid_header_setting_is_refused_by_name(change: dict, message: str) -> None:
    with pytest.raises(headers.HeadersSettingsError, match=message):
        headers.header_rules({**project_settings(), **change})


def test_turning_off_include_subdomains_reaches_the_built_headers_file(
    build_small_site: Builder,
) -> None:
    pages = {
        name: (PROJECT_ROOT / "content" / name).read_text(encoding="utf-8")
        for name in ("pages/medical-disclaimer.md", "pages/book-a-consultation.md")
    }
    settings = {"SECURITY_HEADERS": True, "HSTS_INCLUDE_SUBDOMAINS": False}
    built = build_small_site(pages, settings)
    rules = static_hosts.parse_headers_file((built.output / "_headers").read_text("utf-8"))
    sent = static_hosts.cloudflare_headers(rules, "/book-a-consultation/")
    assert sent["Strict-Transport-Security"] == "max-age=63072000"


# --- Hosts without headers (GitHub Pages): the policy in every page, script-src narrowed -------

SITE_PAGES = ("pages/medical-disclaimer.md", "pages/book-a-consultation.md")


def test_script_src_names_the_theme_scripts_and_pagefind_only() -> None:
    settings = {**project_settings(), "SITEURL": "https://www.clinic.test"}
    for search in (False, True):
        policy = headers.content_security_policy(settings, search=search)
        [script_src] = [d for d in policy.split("; ") if d.startswith("script-src ")]
        assert script_src.startswith(
            "script-src https://www.clinic.test/theme/js/ https://www.clinic.test/pagefind/"
        )
        assert "'self'" not in script_src


@pytest.mark.parametrize(
    "siteurl", ["https://x.test; script-src *", "https://x.test/'unsafe-inline'", "javascript:1"]
)
def test_a_siteurl_cannot_add_to_the_policy(siteurl: str) -> None:
    with pytest.raises(headers.HeadersSettingsError, match="SITEURL"):
        headers.header_rules({**project_settings(), "SITEURL": siteurl})


def test_every_page_carries_its_policy_as_a_meta_element(build_small_site: Builder) -> None:
    """GitHub Pages sends no headers: each page carries the policy its header would have, first
    in <head>, without what a meta element cannot carry."""
    pages = {name: (PROJECT_ROOT / "content" / name).read_text("utf-8") for name in SITE_PAGES}
    settings = {"SECURITY_HEADERS": True, "SITEURL": "https://www.clinic.test"}
    built = build_small_site(pages, settings)
    rules = headers.header_rules(built.settings)
    files = sorted(built.output.rglob("*.html"))
    assert len(files) >= 4 and (built.output / "search" / "index.html") in files
    for file in files:
        url_path = "/" + file.relative_to(built.output).as_posix()
        soup = built.soup(file.relative_to(built.output).as_posix())
        head = [tag for tag in soup.head.children if getattr(tag, "name", None)]
        assert head[0].get("charset") == "utf-8"
        assert head[1].get("http-equiv") == "Content-Security-Policy", url_path
        policy = head[1]["content"]
        header = headers.headers_for_path(rules, url_path)["Content-Security-Policy"]
        assert policy == headers.meta_policy(header)
        assert "frame-ancestors" not in policy and "default-src 'none'" in policy
        assert ("'wasm-unsafe-eval'" in policy) == url_path.endswith("/search/index.html")


def test_no_meta_policy_without_security_headers(build_small_site: Builder) -> None:
    pages = {name: (PROJECT_ROOT / "content" / name).read_text("utf-8") for name in SITE_PAGES}
    built = build_small_site(pages)
    assert "Content-Security-Policy" not in (built.output / "index.html").read_text("utf-8")


@pytest.mark.browser
def test_on_a_host_without_headers_a_stray_script_never_runs(
    build_small_site: Builder, page
) -> None:
    """A plain static server (as GitHub Pages: no headers). A same-origin script that reached
    the output is blocked by the page's meta policy; the theme's own script still runs."""
    from content_check.html_checks import serve_folder

    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    pages = {name: (PROJECT_ROOT / "content" / name).read_text("utf-8") for name in SITE_PAGES}
    built = build_small_site(
        pages, {"SECURITY_HEADERS": True, "ASSET_FINGERPRINT": True, "SITEURL": siteurl}
    )
    (built.output / "extra").mkdir(exist_ok=True)
    (built.output / "extra" / "app.js").write_text("document.title = 'take three doses';")
    disclaimer = built.output / "medical-disclaimer" / "index.html"
    text = disclaimer.read_text("utf-8")
    disclaimer.write_text(text.replace("</body>", f'<script src="{siteurl}/extra/app.js">'
                                       "</script></body>"), "utf-8")  # fmt: skip
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(
        'document.addEventListener("securitypolicyviolation", (e) => '
        "console.error(`violation ${e.violatedDirective} ${e.blockedURI}`));"
    )
    with serve_folder(built.output, port):
        page.goto(f"{siteurl}/medical-disclaimer/")
        page.wait_for_timeout(200)
        assert page.title() != "take three doses"
        assert any("violation script-src" in m and "/extra/app.js" in m for m in messages)
        messages.clear()
        theme_scripts = []
        page.on("response", lambda r: theme_scripts.append(r.url) if "/theme/js/" in r.url else 0)
        page.goto(f"{siteurl}/search/")
        page.wait_for_timeout(200)
        assert theme_scripts, "the search page loads the theme's script"
        assert not [m for m in messages if "violation script-src" in m and "/theme/js/" in m]
