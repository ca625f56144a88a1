"""Markdown converted on every core in production builds (see ``parallel_read.py``)."""

from .parallel_read import register

__all__ = ["register"]
