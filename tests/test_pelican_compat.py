"""The one module that touches private internals says which Pelican it was tested with, and
no other plugin touches them."""

from __future__ import annotations

import re

import pelican
from conftest import PROJECT_ROOT
from pelican_compat import (
    TESTED_INVOKE_VERSIONS,
    TESTED_PELICAN_VERSIONS,
    untested_invoke_version,
    untested_pelican_version,
)

PRIVATE_USE = re.compile(
    r"\._(?:content|context|summary|update_content|parse_metadata|md|source_path|get_content)\b"
    r"|\bmemoized\b|_raised_messages|_group_count|\bfatal_lvl\b|DEFAULT_RELOAD_TIME"
    r"|missing_positional_args"
)


def test_pelican_is_a_tested_version() -> None:
    assert untested_pelican_version() is None, (
        f"Pelican {pelican.__version__} is not among the versions plugins/pelican_compat.py "
        f"was tested with ({', '.join(TESTED_PELICAN_VERSIONS)}): check each internal it "
        "names still works, then add the version."
    )


def test_invoke_is_a_tested_version() -> None:
    """`invoke review --due` works through invoke's parser internals (pelican_compat.py)."""
    assert untested_invoke_version() is None, (
        f"invoke {untested_invoke_version()} is not among the versions plugins/pelican_compat.py "
        f"was tested with ({', '.join(TESTED_INVOKE_VERSIONS)}): check that `invoke review "
        "--due` still runs without FILE, then add the version."
    )


def test_only_the_compatibility_module_touches_private_internals() -> None:
    offenders = []
    ours = [*(PROJECT_ROOT / "plugins").rglob("*.py"), *(PROJECT_ROOT / "commands").rglob("*.py")]
    for path in [*ours, PROJECT_ROOT / "tasks.py"]:
        if path.name == "pelican_compat.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PRIVATE_USE.search(line):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_no_regular_expression_edits_rendered_html() -> None:
    """Markup is made on Markdown's tree or placed by an HTML parser, never by regex over tags."""
    # A pattern on the same line that contains a tag ("<a", "</", "<!"), not a lookbehind
    # "(?<" or a named group "(?P<".
    html_regex = re.compile(
        r"re\.(?:compile|sub|subn|search|match|finditer|findall|split)\(\s*r?[\"'][^\"']*"
        r"(?<!\(\?)(?<!\?P)<[a-z/!]"
    )
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}: {line.strip()}"
        for path in (PROJECT_ROOT / "plugins").rglob("*.py")
        if "content_check" not in path.parts
        # Writer's notes are removed from the Markdown source, before any HTML exists.
        and path.name != "source_text.py"
        for line in path.read_text("utf-8").splitlines()
        if html_regex.search(line)
    ]
    assert not offenders, offenders
