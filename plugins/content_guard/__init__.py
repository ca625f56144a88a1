"""Refuses content the writer's check cannot vouch for (see ``content_guard.py``)."""

from .content_guard import (
    ContentFile,
    ContentGuardError,
    Refusal,
    content_files,
    content_root,
    format_refusal,
    links_outside,
    refusal_report,
    register,
    source_formats,
    static_files_outside,
    static_folders,
    unsafe_static_files,
    unsafe_theme_files,
    unvouched_content,
)

__all__ = [
    "ContentFile",
    "ContentGuardError",
    "Refusal",
    "content_files",
    "content_root",
    "format_refusal",
    "links_outside",
    "refusal_report",
    "register",
    "source_formats",
    "static_files_outside",
    "static_folders",
    "unsafe_static_files",
    "unsafe_theme_files",
    "unvouched_content",
]
