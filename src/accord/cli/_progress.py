"""A progress bar on stderr for long commands, only where a person is watching.

Shown when stderr is a terminal (and ``TERM`` is not ``dumb``), never in CI logs, pipes
or ``--format json`` runs read by machines; ``ACCORD_PROGRESS=0`` turns it off and
``ACCORD_PROGRESS=1`` forces it on. tqdm is imported here only, when a bar is drawn,
so neither services nor short commands pay for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from accord.core.progress import Progress
from accord.core.text import escape_control

__all__ = ["progress_bar", "wanted"]


def wanted(stream: TextIO) -> bool:
    """Whether to draw a bar on ``stream``."""
    forced = os.environ.get("ACCORD_PROGRESS")
    if forced is not None:
        return forced not in ("", "0")
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def progress_bar(
    description: str, *, unit: str = "contract", stream: TextIO | None = None
) -> Iterator[Progress | None]:
    """A :class:`~accord.core.progress.Progress` drawing a bar, or ``None`` when no one
    watches (callers pass it on as is). The bar is removed when the block ends."""
    stream = stream if stream is not None else sys.stderr
    if not wanted(stream):
        yield None
        return
    from tqdm import tqdm  # type: ignore[import-untyped]  # no type information shipped

    bar: Any = None

    def report(done: int, total: int, label: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(
                total=total,
                desc=description,
                unit=unit,
                file=stream,
                leave=False,
                dynamic_ncols=True,
                mininterval=0.1,
            )
        bar.total = total
        bar.n = done
        # Labels come from the registry and expectations: no terminal escapes.
        bar.set_postfix_str(escape_control(label)[:60], refresh=False)
        bar.refresh()

    try:
        yield report
    finally:
        if bar is not None:
            bar.close()
