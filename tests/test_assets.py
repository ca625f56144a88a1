"""Hashed asset names, precompressed siblings, the headers files and the no-inline-code rule."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import brotli
import pytest
from assets import assets, headers, static_hosts
from assets.__main__ import project_settings
from assets.inline_code import find_inline_code
from conftest import PROJECT_ROOT, BuiltSite

ASSET_REFERENCE = re.compile(r"theme/(?:css|js)/[\w.-]+?\.(?:css|js)\b")


# --- Pure functions --------------------------------------------------------------------------


def test_hashed_name_carries_the_content_hash() -> None:
    name = assets.hashed_name("site.css", b"body{}")
    assert re.fullmatch(r"site\.[0-9a-f]{10}\.css", name)
    assert assets.is_hashed(name) and not assets.is_hashed("site.css")
    assert assets.hashed_name("site.css", b"body{color:red}") != name


@pytest.mark.parametrize(
    "reference",
    [
        'href="https://clinic.example/theme/css/site.css"',
        'href="/theme/css/site.css?v=1"',
        "href='../../theme/css/site.css'",
        'src="/theme/css/site.css#x"',
    ],
)
def test_every_form_of_reference_is_rewritten(reference: str) -> None:
    renames = {"theme/css/site.css": "theme/css/site.0123456789.css"}
    rewritten = assets.rewrite_references(reference, renames)
    assert "site.0123456789.css" in rewritten and "site.css" not in rewritten


def test_similar_names_are_left_alone() -> None:
    renames = {"theme/css/site.css": "theme/css/site.0123456789.css"}
    text = 'href="/theme/css/mysite.css" href="/theme/css/site.css.map"'
    assert assets.rewrite_references(text, renames) == text


def test_invalid_setting_names_the_setting() -> None:
    with pytest.raises(assets.AssetsSettingsError, match="PRECOMPRESS must be True or False"):
        assets.plugin_settings({"PRECOMPRESS": "yes"})


def test_fingerprints_are_planned_from_the_theme_imports_first(tmp_path: Path) -> None:
    css = tmp_path / "static" / "css"
    css.mkdir(parents=True)
    (css / "print.css").write_text("a{}", encoding="utf-8")
    (css / "site.css").write_text('@import url("print.css");', encoding="utf-8")
    sources = assets.theme_assets(tmp_path, ["static"])
    assert sorted(sources) == ["css/print.css", "css/site.css"]
    planned = assets.plan_fingerprints(sources, "theme")
    site, printed = planned["theme/css/site.css"], planned["theme/css/print.css"]
    assert printed.path.rpartition("/")[2] in site.data.decode("utf-8")
    assert site.path == "theme/css/" + assets.hashed_name("site.css", site.data)

    output = tmp_path / "output"
    shutil.copytree(tmp_path / "static", output / "theme")
    assets.apply_fingerprints(output, planned)
    assert (output / site.path).read_bytes() == site.data
    assert not (output / "theme/css/site.css").exists()


def test_an_asset_changed_after_planning_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static/js/search.js").write_text("let a;", encoding="utf-8")
    planned = assets.plan_fingerprints(assets.theme_assets(tmp_path, ["static"]), "theme")
    (tmp_path / "output/theme/js").mkdir(parents=True)
    (tmp_path / "output/theme/js/search.js").write_text("let b;", encoding="utf-8")
    with pytest.raises(assets.AssetsSettingsError, match=r"theme/js/search\.js changed"):
        assets.apply_fingerprints(tmp_path / "output", planned)


def test_asset_filter_refuses_an_asset_the_theme_lacks() -> None:
    state = assets.BuildState(assets.plugin_settings({"ASSET_FINGERPRINT": True}), "theme")
    state.planned = {"theme/css/site.css": assets.HashedAsset("theme/css/site.1.css", b"", b"")}
    assert state.asset_url("css/site.css") == "theme/css/site.1.css"
    assert state.asset_url("images/logo.svg") == "theme/images/logo.svg"
    with pytest.raises(assets.AssetsSettingsError, match=r"'css/sitte\.css'"):
        state.asset_url("css/sitte.css")


def test_the_theme_writes_the_meta_policy_and_the_pass_after_adds_it_elsewhere(
    tmp_path: Path,
) -> None:
    """Pages the theme wrote with ``csp_meta`` are not read again after the build; any other
    HTML page (a theme without the call, a copied file) gets the same element there."""
    settings = {**project_settings(), "SITEURL": "https://www.clinic.test"}
    options = assets.plugin_settings({**settings, "SECURITY_HEADERS": True})
    state = assets.BuildState(options, "theme", settings)
    element = state.csp_meta("search/index.html")
    assert element == headers.meta_element(state.rules(), "/search/index.html")
    assert "wasm-unsafe-eval" in element and state.pages_with_policy == {"search/index.html"}
    assert state.csp_meta(None) == ""  # a template rendered outside Pelican's writer
    page = '<html><head><meta charset="utf-8"><title>x</title></head><body></body></html>'
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "index.html").write_text(page.replace("</title>", "</title>!"))
    (tmp_path / "copied.html").write_text(page)
    assert assets.add_meta_policies(tmp_path, state.rules(), state.pages_with_policy) == 1
    assert (tmp_path / "search" / "index.html").read_text() == page.replace("</title>", "</title>!")
    expected = headers.meta_element(state.rules(), "/copied.html")
    assert (tmp_path / "copied.html").read_text() == page.replace('utf-8">', f'utf-8">{expected}')
    off = assets.BuildState(assets.plugin_settings(settings), "theme", settings)
    assert off.csp_meta("index.html") == "" and not off.pages_with_policy


def theme_assets_linked(output: Path) -> set[str]:
    """The theme's stylesheets and scripts the built pages link, output-relative."""
    linked = set()
    for page in output.rglob("*.html"):
        for reference in re.findall(r'(?:href|src)="([^"]*/theme/(?:css|js)/[^"]+)"',
                                    page.read_text(encoding="utf-8")):  # fmt: skip
            linked.add(reference.split("/theme/", 1)[1])
    return linked


def test_a_preview_and_a_publish_sharing_their_cache_each_link_their_own_stylesheet(
    tmp_path: Path,
) -> None:
    """Compiled templates are kept under ``CACHE_PATH`` for the next build, and previewing and
    publishing share it. Jinja used to work ``'css/site.css' | asset`` out when it compiled,
    so each build linked the stylesheet of the one before: a preview after a publish was
    unstyled, a publish after a preview linked a file it had renamed."""
    from conftest import run_production_build

    cache = tmp_path / "cache"

    def preview(name: str) -> Path:
        output = tmp_path / name
        subprocess.run(
            [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o",
             str(output), "-e", f'CACHE_PATH="{cache}"'],
            cwd=PROJECT_ROOT, check=True, capture_output=True,
        )  # fmt: skip
        return output

    first = preview("preview")
    stored = sorted(path.name for path in (cache / "templates").rglob("*") if path.is_file())
    assert stored, "no compiled template kept: the test shows nothing"
    published = tmp_path / "published"
    run_production_build(published, "https://www.clinic.test", f'CACHE_PATH="{cache}"')
    again = preview("preview-again")
    after = sorted(path.name for path in (cache / "templates").rglob("*") if path.is_file())
    assert after == stored, "the publish compiled its own templates: the cache was not shared"

    for output, hashed in ((first, False), (published, True), (again, False)):
        linked = theme_assets_linked(output)
        assert "css/site.css" in {re.sub(r"\.[0-9a-f]{10}\.", ".", name) for name in linked}
        for name in linked:
            assert (output / "theme" / name).is_file(), f"{output.name} links missing theme/{name}"
            assert assets.is_hashed(name) == hashed, f"{output.name}: theme/{name}"


def test_inline_code_finder() -> None:
    html = (
        '<p style="">x</p><style>p{}</style><script>alert(1)</script>'
        '<a href="javascript:void(0)" onclick="x()">y</a>'
        '<script type="application/ld+json">{}</script><script src="/theme/js/a.js"></script>'
    )
    found = " | ".join(find_inline_code(html))
    for kind in ("style attribute", "<style> element", "inline <script>", "onclick", "javascript:"):
        assert kind in found
    assert len(find_inline_code(html)) == 5


# --- The production build --------------------------------------------------------------------


def test_stylesheets_and_scripts_have_hashed_names(site: BuiltSite) -> None:
    files = [*site.path.glob("theme/css/*.css"), *site.path.glob("theme/js/*.js")]
    assert files, "no stylesheet in the build"
    for file in files:
        assert file.name == assets.hashed_name(re.sub(r"\.[0-9a-f]{10}\.", ".", file.name),
                                               file.read_bytes()), file.name  # fmt: skip


def test_every_page_links_the_hashed_stylesheet(site: BuiltSite) -> None:
    for path in site.page_paths():
        links = [link["href"] for link in site.soup(path).select('link[rel~="stylesheet"]')]
        ours = [href for href in links if "/theme/css/" in href]
        assert ours, f"{path} links no theme stylesheet"
        for href in ours:
            assert assets.is_hashed(href.rpartition("/")[2]), f"{path}: {href}"


def test_no_reference_to_an_unhashed_or_missing_asset(site: BuiltSite) -> None:
    problems = []
    for file in assets.text_files(site.path):
        for reference in ASSET_REFERENCE.findall(file.read_text(encoding="utf-8", errors="ignore")):
            if not assets.is_hashed(reference.rpartition("/")[2]):
                problems.append(f"{file.relative_to(site.path)}: {reference}")
            elif not (site.path / reference).is_file():
                problems.append(f"{file.relative_to(site.path)}: {reference} (missing)")
    assert not problems, "\n".join(problems)


def test_default_production_build_writes_no_precompressed_siblings(site: BuiltSite) -> None:
    """Common hosts compress by themselves: the published site carries no .gz/.br by default."""
    siblings = [path for path in site.path.rglob("*") if path.suffix in (".gz", ".br")]
    assert not siblings, siblings[:5]


def test_precompressed_siblings_match_their_files(build_small_site: Any) -> None:
    article = "Title: A guide\nDate: 2025-01-01\nCategory: Ketamine\nSummary: S.\n\n"
    built = build_small_site(
        {"articles/a.md": article + "Words and more words. " * 100},
        {"PRECOMPRESS": True, "SEARCH_INDEX": False},
    )
    checked = 0
    for file in assets.text_files(built.output):
        if file.stat().st_size < assets.PRECOMPRESS_MIN_BYTES:
            continue
        data = file.read_bytes()
        gz, br = Path(f"{file}.gz"), Path(f"{file}.br")
        assert gz.is_file() and br.is_file(), f"no .gz/.br beside {file}"
        assert gzip.decompress(gz.read_bytes()) == data
        assert brotli.decompress(br.read_bytes()) == data
        checked += 1
    assert checked > 5


def test_headers_file_sends_the_definition_on_every_path(site: BuiltSite) -> None:
    """Netlify and Cloudflare Pages, each merging as it does, send every built path exactly the
    headers of the definition."""
    rules = static_hosts.parse_headers_file((site.path / "_headers").read_text(encoding="utf-8"))
    definition = headers.header_rules({**project_settings(), "SITEURL": site.url})  # as built
    paths = headers.built_paths(site.path)
    assert "/" in paths and "/search/" in paths and "/pagefind/pagefind.js" in paths
    for path in paths:
        wanted = headers.headers_for_path(definition, path)
        assert static_hosts.netlify_headers(rules, path) == wanted, f"Netlify {path}"
        assert static_hosts.cloudflare_headers(rules, path) == wanted, f"Cloudflare {path}"


def test_headers_file_is_the_same_bytes_in_every_run(site: BuiltSite) -> None:
    """Python randomises set order per process; the same build must still write the same file."""
    script = (
        "import sys; sys.path.insert(0, 'plugins'); from pathlib import Path\n"
        "from assets import headers; from assets.__main__ import project_settings\n"
        "rules = headers.header_rules(project_settings())\n"
        f"print(headers.render_headers_file(rules, Path({str(site.path)!r})))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
            check=True, env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in (1, 2, 3, 4)
    }  # fmt: skip
    assert len(outputs) == 1


def test_search_page_alone_may_compile_webassembly(site: BuiltSite) -> None:
    definition = headers.header_rules(project_settings())
    search_csp = headers.headers_for_path(definition, "/search/")["Content-Security-Policy"]
    assert "'wasm-unsafe-eval'" in search_csp
    for path in site.page_paths():
        csp = headers.headers_for_path(definition, path)["Content-Security-Policy"]
        searching = path.startswith(("/search/", "/es/search/", "/pagefind/"))
        assert ("'wasm-unsafe-eval'" in csp) == searching, path
        assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp
        for directive in ("default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"):
            assert directive in csp


def test_deploy_snippets_are_up_to_date_with_the_definition() -> None:
    for name, text in headers.render_deploy_files(project_settings()).items():
        current = (PROJECT_ROOT / "deploy" / name).read_text(encoding="utf-8")
        assert current == text, (
            f"deploy/{name} is out of date: run `PYTHONPATH=plugins .venv/bin/python -m assets`"
        )


# --- The theme's no-inline rule, which the CSP enforces --------------------------------------


def test_no_page_has_inline_styles_or_scripts(site: BuiltSite) -> None:
    problems = [
        f"{path} {finding}"
        for path in site.page_paths()
        for finding in find_inline_code(site.file_for(path).read_text(encoding="utf-8"))
    ]
    assert not problems, "the CSP would block:\n" + "\n".join(problems)


def test_a_style_attribute_in_a_template_is_caught(tmp_path: Path, build_small_site) -> None:
    theme = tmp_path / "theme-copy"
    shutil.copytree(PROJECT_ROOT / "theme", theme)
    base = theme / "templates" / "base.html"
    html = base.read_text(encoding="utf-8")
    base.write_text(html.replace("<body", '<body style="color: red"', 1), encoding="utf-8")
    pages = {
        name: (PROJECT_ROOT / "content" / name).read_text(encoding="utf-8")
        for name in ("pages/medical-disclaimer.md", "pages/book-a-consultation.md")
    }
    small = build_small_site(pages, {"THEME": str(theme)})
    found = [
        finding
        for file in small.output.rglob("*.html")
        for finding in find_inline_code(file.read_text(encoding="utf-8"))
    ]
    assert any("style attribute on <body>" in finding for finding in found)
