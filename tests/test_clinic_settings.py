"""The CLINIC setting: safe web addresses only, and no example placeholder goes live (issue 13)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from assets import headers
from clinic import ClinicSettingsError, example_values, form_origins, https_origin
from conftest import PROJECT_ROOT, SmallSite, languages_with

Builder = Callable[..., SmallSite]

# A clinic that has supplied its details (test data; `.test` is a reserved top-level domain).
SUPPLIED_CLINIC = {
    "name": "Westside Pain Specialists",
    "offices": [
        {
            "name": "North Office",
            "street": "1 Main St",
            "locality": "Santa Monica",
            "region": "CA",
            "postal_code": "90401",
            "country": "US",
            "phone": "(310) 555-2368",
        },
    ],
    "booking_url": "https://booking.clinic.test/westside",
    "contact_url": "https://forms.clinic.test/westside/contact",
}
# What else a clinic supplies or confirms before publishing (test data): its reviewers, its
# writers, its rules and the language-help wording. Production refuses the example entries of each.
SUPPLIED_WORDING = {
    "REVIEWERS": {
        "test-reviewer": {"name": "Test Reviewer", "credentials": "MD", "role": "clinician"}
    },
    "AUTHORS": {"editorial-team": {"name": "Westside Pain Specialists editorial team"}},
    "LANGUAGES": languages_with(
        en={"clinic_rules": {"after_treatment": {"heading": "Rest today",
                                                 "text": ["Confirmed text."]}}},
        es={"clinic_rules": {"after_treatment": {"heading": "Descanse hoy",
                                                 "text": ["Texto confirmado."]}}},
    ),
    "LANGUAGE_HELP": {"en": {"name": "English", "link": "Language help", "text": "Ask us."},
                      "es": {"name": "Español", "link": "Ayuda con el idioma", "text": "Pida."}},
}  # fmt: skip
INJECTED = "https://booking.test; frame-ancestors *; script-src 'unsafe-inline'"
PAGES = {
    name: (PROJECT_ROOT / "content" / name).read_text(encoding="utf-8")
    for name in ("pages/medical-disclaimer.md", "pages/book-a-consultation.md")
}


def clinic_with(**changes: object) -> dict:
    """The supplied clinic with some top-level fields changed."""
    return {**SUPPLIED_CLINIC, **changes}


# --- Web addresses that reach the Content-Security-Policy ------------------------------------


def test_a_booking_url_that_injects_csp_directives_fails_the_build(
    build_small_site: Builder,
) -> None:
    with pytest.raises(ClinicSettingsError) as raised:
        build_small_site(PAGES, {"CLINIC": clinic_with(booking_url=INJECTED)})
    message = str(raised.value)
    assert "CLINIC['booking_url']" in message
    assert repr(INJECTED) in message  # the bad value, as written
    assert "';'" in message and "https://" in message  # what is wrong, and the fix


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("https://forms.test/contact,https://evil.test", "','"),
        ("https://forms.test/a b", "' '"),
        ("https://forms.test/\tx", r"'\t'"),
        ("https://forms.test/\x00", r"'\x00'"),
        ("https://forms.test/'self'", '"\'"'),
        ('https://forms.test/"x', "'\"'"),
        ("http://forms.test/contact", "must start with https://"),
        ("//forms.test/contact", "must start with https://"),
        ("forms.test/contact", "must start with https://"),
        ("https://user:secret@forms.test/", "user name or password"),
        ("https://localhost/contact", "not a domain name"),
        ("https://10.0.0.1/contact", "not a domain name"),
        ("https://[::1]/contact", "not a domain name"),
        ("https://forms..test/", "not a domain name"),
        ("https://-forms.test/", "not a domain name"),
        ("https://forms.test:0/", "port"),
        ("https://forms.test:99999/", "port"),
        ("https://forms.test:http/", "port"),
        (None, "not text"),
    ],
)
def test_an_unsafe_contact_url_is_refused_with_its_setting_named(
    value: object, problem: str
) -> None:
    with pytest.raises(ClinicSettingsError) as raised:
        https_origin(value, "CLINIC['contact_url']")
    message = str(raised.value)
    assert message.startswith(f"clinic: CLINIC['contact_url'] = {value!r} ")
    assert problem in message, message
    assert "https://booking.your-clinic.org/book" in message  # the fix, by example


def test_every_url_field_of_the_clinic_is_checked(build_small_site: Builder) -> None:
    clinic = clinic_with(privacy_url="javascript:alert(1)")
    with pytest.raises(ClinicSettingsError, match=r"CLINIC\['privacy_url'\] = 'javascript:"):
        build_small_site(PAGES, {"CLINIC": clinic})


def test_form_origins_are_rebuilt_from_the_parsed_address() -> None:
    clinic = clinic_with(
        booking_url="https://Booking.Clinic.TEST:8443/book?who=new#top",
        contact_url="https://bücher.test:443/contact",
    )
    assert form_origins(clinic) == [
        "https://booking.clinic.test:8443",
        "https://xn--bcher-kva.test",
    ]


def test_the_csp_cannot_be_given_a_directive_even_without_the_clinic_plugin() -> None:
    """``python -m assets`` reads pelicanconf.py without running the plugins: the header code
    checks the same way, so an injected address stops it before any directive is added."""
    settings = {"CLINIC": clinic_with(booking_url=INJECTED)}
    with pytest.raises(ClinicSettingsError, match=r"CLINIC\['booking_url'\]"):
        headers.header_rules(settings)
    policy = headers.content_security_policy({"CLINIC": SUPPLIED_CLINIC})
    assert "form-action 'self' https://booking.clinic.test https://forms.clinic.test;" in policy
    assert "/westside" not in policy


def test_the_real_settings_give_a_policy_of_origins_only() -> None:
    from assets.__main__ import project_settings

    policy = headers.content_security_policy(project_settings())
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert len(directives) == policy.count(";") + 1  # no directive hides in another's value
    for source in directives["form-action"].split():
        assert source == "'self'" or source.count("/") == 2, source  # "https://host" only


# --- Example placeholders --------------------------------------------------------------------


def test_example_region_and_postal_code_are_placeholders() -> None:
    office = {**SUPPLIED_CLINIC["offices"][0], "region": "EX", "postal_code": "00000"}
    found = example_values(clinic_with(offices=[office]))
    assert found == [
        ("CLINIC['offices'][0]['region']", "EX"),
        ("CLINIC['offices'][0]['postal_code']", "00000"),
    ]
    assert example_values(SUPPLIED_CLINIC) == []  # a real region and ZIP code are not flagged


def test_production_refuses_the_example_region_and_postal_code(build_small_site: Builder) -> None:
    office = {**SUPPLIED_CLINIC["offices"][0], "region": "EX", "postal_code": "00000-0000"}
    settings = {"CLINIC": clinic_with(offices=[office]), "REFUSE_EXAMPLE_CLINIC_DETAILS": True}
    with pytest.raises(ClinicSettingsError) as raised:
        build_small_site(PAGES, settings)
    message = str(raised.value)
    assert "CLINIC['offices'][0]['region'] = 'EX'" in message
    assert "CLINIC['offices'][0]['postal_code'] = '00000-0000'" in message


def test_the_supplied_clinic_builds_in_production(build_small_site: Builder) -> None:
    settings = {"CLINIC": SUPPLIED_CLINIC, "REFUSE_EXAMPLE_CLINIC_DETAILS": True,
                **SUPPLIED_WORDING}  # fmt: skip
    built = build_small_site(PAGES, settings)
    assert (built.output / "book-a-consultation" / "index.html").is_file()


@pytest.mark.parametrize(
    ("siteurl", "refused"),
    [
        # the docs' and messages' own examples, copied as they are
        ("https://www.your-clinic.org", "SITEURL = 'https://www.your-clinic.org'"),
        ("https://www.westsidepain.example", "SITEURL = 'https://www.westsidepain.example'"),
        ("https://example.com/guides", "SITEURL = 'https://example.com/guides'"),
        # the site's own address over plain http
        ("http://www.westside-pain.org", "an http:// address"),
    ],
)
def test_production_refuses_an_example_or_insecure_site_address(
    build_small_site: Builder, siteurl: str, refused: str
) -> None:
    settings = {"CLINIC": SUPPLIED_CLINIC, "REFUSE_EXAMPLE_CLINIC_DETAILS": True,
                **SUPPLIED_WORDING, "SITEURL": siteurl}  # fmt: skip
    with pytest.raises(ClinicSettingsError) as raised:
        build_small_site(PAGES, settings)
    assert refused in str(raised.value)
    assert "SITEURL" in str(raised.value)
