"""The real site builds with the production settings, with no warnings."""

from conftest import BuiltSite


def test_production_build_writes_every_page_type(site: BuiltSite) -> None:
    paths = set(site.page_paths())
    for expected in ("/", "/topics/", "/tags/", "/archives/", "/search/", "/404.html"):
        assert expected in paths
    assert site.article_paths(), "no article was built"
    assert "/book-a-consultation/" in paths
    assert "/medical-disclaimer/" in paths


def test_every_page_is_served(site: BuiltSite, page) -> None:
    """Every page the build wrote answers 200 with an HTML page holding one <main>."""
    paths = site.page_paths()
    assert len(paths) > 20
    for path in paths:
        response = page.request.get(site.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        assert response.headers["content-type"].startswith("text/html"), path
        assert response.text().count("<main") == 1, path
