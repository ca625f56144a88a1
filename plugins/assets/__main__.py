"""Write (or check) the nginx and Apache header files in deploy/ from the one definition.

    .venv/bin/python -m assets            # from plugins/ on PYTHONPATH: rewrite deploy/*
    .venv/bin/python -m assets --check    # exit 1 when deploy/ differs from the definition

Run from the project root. The settings are pelicanconf.py's (the clinic's booking and contact
services appear in the CSP's form-action; the HSTS_* settings shape Strict-Transport-Security).
An invalid setting prints the plugin's message, names the setting, and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_config import SettingsError

from .headers import HeadersSettingsError, render_deploy_files

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIR = PROJECT_ROOT / "deploy"


def project_settings() -> dict:
    """pelicanconf.py's settings, as Pelican reads them."""
    from pelican.settings import read_settings

    return read_settings(str(PROJECT_ROOT / "pelicanconf.py"))


def main(argv: list[str] | None = None) -> int:
    """Write the deploy/ files, or with --check report which are out of date."""
    parser = argparse.ArgumentParser(prog="python -m assets", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    try:
        rendered = render_deploy_files(project_settings())
    except (SettingsError, HeadersSettingsError) as error:
        print(error, file=sys.stderr)
        return 2
    stale = []
    for name, text in rendered.items():
        path = DEPLOY_DIR / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            DEPLOY_DIR.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote deploy/{name}")
    if args.check and stale:
        print("out of date: " + ", ".join(f"deploy/{name}" for name in stale), file=sys.stderr)
        print("run: PYTHONPATH=plugins .venv/bin/python -m assets", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
