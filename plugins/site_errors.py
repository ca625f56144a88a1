"""The one base class for the problems a writer or publisher can fix: a bad setting or source.

Every plugin's and command's known error derives from ``SiteError``, and its message names the
file or the setting and the fix. The tasks print such an error as one line; any other exception
is a bug, and the tasks print its traceback so that its file and line are seen.
"""

from __future__ import annotations


class SiteError(Exception):
    """A problem in the site's settings or content whose message says where it is and the fix."""
