"""Progress of long work, for whoever wants to show it.

Library functions that walk many contracts, versions or interactions take an optional
``progress`` callable and call it as ``progress(done, total, label)`` after each step.
Services pass nothing and pay nothing; the command line passes a terminal progress bar
(``accord.cli._progress``), drawn on stderr only when stderr is a terminal.

Layer: core; imports nothing from accord.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress", "report"]


class Progress(Protocol):
    """``progress(done, total, label)``: ``done`` of ``total`` steps finished, the last
    one named ``label`` (a contract id, a version reference, an interaction)."""

    def __call__(self, done: int, total: int, label: str) -> None: ...


def report(progress: Progress | None, done: int, total: int, label: str) -> None:
    """Call ``progress`` when there is one (the one line every caller would repeat)."""
    if progress is not None:
        progress(done, total, label)
