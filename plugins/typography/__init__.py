"""Typogrify's typography without paying for it on every build (see ``typography.py``)."""

from .typography import register

__all__ = ["register"]
