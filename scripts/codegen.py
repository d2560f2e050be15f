"""Generate the typed model package: the same entry point as ``accord codegen``.

Usage: python scripts/codegen.py [--registry DIR] [--out DIR] [--package NAME] [--check]
"""

from __future__ import annotations

import sys

from accord.cli import main

if __name__ == "__main__":
    sys.exit(main(["codegen", *sys.argv[1:]]))
