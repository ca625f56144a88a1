"""Hashed asset names, precompressed files and the security headers (see ``assets.py``)."""

from .assets import register

__all__ = ["register"]
