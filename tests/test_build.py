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
    for path in site.page_paths()[:3]:
        response = page.goto(site.url + path)
        assert response is not None and response.status == 200
        assert page.locator("main").count() == 1
