"""``python -m content_check`` (with plugins/ on the path) or ``python plugins/content_check``.

Run from the project root. Exit status 1 when there is an error, 0 with only warnings.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as `python plugins/content_check`: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from content_check.cli import main

if __name__ == "__main__":
    sys.exit(main())
