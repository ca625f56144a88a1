"""One settings owner (plugins/site_config.py, issue 23): checked once, one line per mistake."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import site_config as config_module
from conftest import PROJECT_ROOT, SmallSite, languages_with, small_site_settings
from consult_cta import ConsultCtaError, resolve_settings
from site_config import MOVED_SETTINGS, SettingsError, site_config
from site_errors import SiteError

Builder = Callable[..., SmallSite]
PAGES = {
    name: (PROJECT_ROOT / "content" / name).read_text(encoding="utf-8")
    for name in ("pages/medical-disclaimer.md", "pages/book-a-consultation.md")
}
ARTICLE = "Title: A guide\nDate: 2026-01-10\nSlug: a-guide\nSummary: A short guide.\n\nText.\n"
SPANISH = "Title: Una guía\nDate: 2026-01-10\nSlug: a-guide\nLang: es\nSummary: Corta.\n\nTexto.\n"


def refusal(settings: dict) -> str:
    """The one-line message ``site_config`` refuses ``settings`` with."""
    with pytest.raises(SettingsError) as refused:
        site_config(settings)
    message = str(refused.value)
    assert "\n" not in message, message
    assert isinstance(refused.value, SiteError)  # the tasks print it as one line
    return message


# --- One line naming the setting, the value and the fix -------------------------------------


@pytest.mark.parametrize("name", sorted(MOVED_SETTINGS))
def test_an_old_parallel_setting_is_refused_with_where_it_moved(name: str) -> None:
    message = refusal({"LANGUAGES": languages_with(), name: {"es": {}}})
    field = MOVED_SETTINGS[name]
    assert f"{name} has moved" in message
    assert f"LANGUAGES['en'][{field!r}]" in message and f"delete {name}" in message


def test_a_clinic_that_keeps_an_old_by_lang_setting_cannot_build(build_small_site: Builder) -> None:
    old = {"es": {"infusions": {"heading": "Pregúntenos"}}}
    with pytest.raises(SettingsError, match=r"CTA_VARIANTS_BY_LANG has moved.*'cta_variants'"):
        build_small_site({**PAGES, "articles/a.md": ARTICLE}, {"CTA_VARIANTS_BY_LANG": old})


def test_a_wrong_type_names_the_setting_and_the_value() -> None:
    languages = languages_with(es={"categories": "Ketamina"})
    message = refusal({"LANGUAGES": languages})
    assert "LANGUAGES['es']['categories'] must be a dict, not 'Ketamina'" in message


def test_an_unknown_key_in_a_language_names_the_accepted_keys() -> None:
    message = refusal({"LANGUAGES": languages_with(es={"date-format": "d MMMM y"})})
    assert "LANGUAGES['es'] has unknown key(s) 'date-format'" in message
    assert "date_format" in message and "cta_variants" in message


def test_a_language_without_its_name_locale_or_date_format_is_refused() -> None:
    message = refusal({"LANGUAGES": {"en": {"name": "English"}}})
    assert "LANGUAGES['en'] lacks locale, date_format" in message


def test_the_default_language_must_be_one_of_the_languages() -> None:
    message = refusal({"DEFAULT_LANG": "fr", "LANGUAGES": languages_with()})
    assert "includes DEFAULT_LANG ('fr')" in message


def test_a_funding_disclosure_without_its_link_is_refused() -> None:
    languages = languages_with(es={"funding_disclosure": {"text": "Sin enlace.", "policy": "x"}})
    message = refusal({"LANGUAGES": languages})
    assert "LANGUAGES['es']['funding_disclosure']" in message and "'{policy}' once" in message


def test_a_bad_absolute_claim_list_names_its_language() -> None:
    languages = languages_with(es={"absolute_claims": {"cura": {"why": "w"}}})
    assert "LANGUAGES['es']['absolute_claims']" in refusal({"LANGUAGES": languages})


def test_a_clinics_own_wording_with_no_translation_names_where_to_add_it() -> None:
    languages = languages_with(
        en={"cta_variants": {"infusions": {"heading": "Ask us about infusions"}}},
        es={"cta_variants": {}},
    )
    resolved = resolve_settings({**small_site_settings(PROJECT_ROOT), "LANGUAGES": languages})
    with pytest.raises(ConsultCtaError) as refused:
        resolved.words("cta", "infusions", "es")
    assert str(refused.value) == (
        "consult_cta: LANGUAGES['en']['cta_variants']['infusions']['heading'] has no 'es' "
        "wording: add LANGUAGES['es']['cta_variants']['infusions']['heading'] to pelicanconf.py"
    )


# --- One language's settings in one place -----------------------------------------------------


def test_each_language_has_its_own_wording_and_the_default_comes_first() -> None:
    reviewers = {
        "jane": {"name": "Jane", "role": "clinician",
                 "credentials": {"en": "MD, pain medicine", "es": "médica, medicina del dolor"}},
        "sam": {"name": "Sam", "role": "editor", "credentials": "RN"},
    }  # fmt: skip
    settings = small_site_settings(PROJECT_ROOT, {"REVIEWERS": reviewers})
    config = site_config(settings)
    assert config.codes == ["en", "es"] and config.default.code == "en"
    spanish = config.language("es")
    assert spanish.categories == {"Ketamine": "Ketamina"}
    assert spanish.clinic_rules["after_treatment"]["heading"].startswith("El consejo")
    assert spanish.funding_disclosure["policy"] == "política editorial"
    assert spanish.language_help["link"] == "Ayuda con el idioma"
    assert spanish.reviewer_credentials == {"jane": "médica, medicina del dolor", "sam": "RN"}
    assert config.language(None) is config.default
    with pytest.raises(SettingsError, match=r"language 'fr' is not in LANGUAGES \(en, es\)"):
        config.language("fr")


def test_the_language_help_may_name_languages_the_site_has_no_pages_in() -> None:
    help_lines = {
        "vi": {"name": "Tiếng Việt", "link": "Hỗ trợ ngôn ngữ", "text": "Gọi cho chúng tôi."}
    }
    config = site_config({"LANGUAGES": languages_with(), "LANGUAGE_HELP": help_lines})
    assert list(config.language_help) == ["vi"] and config.codes == ["en", "es"]


# --- Checked once -------------------------------------------------------------------------------


def test_a_copy_of_the_settings_gets_the_same_configuration() -> None:
    settings = small_site_settings(PROJECT_ROOT)
    config = site_config(settings)
    assert site_config(dict(settings)) is config  # Pelican's context and each page's are copies
    assert site_config({**settings, "CLINIC": config.clinic}) is config  # the templates' copy
    changed = {**settings, "LANGUAGES": languages_with(es={"tagline": "Otra"})}
    assert site_config(changed) is not config
    assert site_config(changed).language("es").tagline == "Otra"


def test_a_build_checks_its_settings_once(build_small_site: Builder) -> None:
    """Every plugin, template and page of a build reads one configuration."""
    before = config_module.BUILD_COUNT["value"]
    site = build_small_site({**PAGES, "articles/a.md": ARTICLE, "articles/es/a.md": SPANISH})
    assert (site.output / "es" / "articles" / "a-guide" / "index.html").is_file()
    assert config_module.BUILD_COUNT["value"] - before == 1
    assert re.search(r"Ayuda con el idioma", (site.output / "index.html").read_text())
