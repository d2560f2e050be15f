"""``python -m accord``: the same as the ``accord`` command."""

from __future__ import annotations

import sys

from accord.cli import main

if __name__ == "__main__":
    sys.exit(main())
