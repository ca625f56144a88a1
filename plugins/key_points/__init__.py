"""The key points box's links: resolved like the body's, once every page is known.

plugins/article_markup takes the ``!!! key-points`` box out of the body into the ``key_points``
metadata; Pelican resolves ``{filename}`` links only in the body, so this does it for the box.
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican_compat import all_content, resolve_links, use_build_context


def resolve_key_points(generators: list[Any]) -> None:
    """``all_generators_finalized``: each key point's links point at the built pages."""
    for generator in generators:
        for content in all_content([generator]):
            key_points = getattr(content, "key_points", None)
            if not key_points or not key_points.get("points"):
                continue
            use_build_context(content, generator.context)
            resolved = {
                **key_points,
                "points": [resolve_links(content, point) for point in key_points["points"]],
            }
            content.key_points = content.metadata["key_points"] = resolved


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.all_generators_finalized.connect(resolve_key_points)
