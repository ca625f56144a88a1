"""The writer's check: one command reports everything wrong with the content.

A library that ``invoke check`` (or ``python -m commands.check``: commands/check.py) runs. It
checks the Markdown sources against the one metadata schema (plugins/content_check/schema.py),
review dates, references, claims, readability and links. ``html_checks`` validates a built
site (Nu HTML Checker, axe-core).
"""
