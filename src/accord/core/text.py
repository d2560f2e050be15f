"""Terminal-safe text: the one escape for user-controlled strings in text output.

Property names, messages and paths come from schemas and payloads. Printed raw, a
name holding ESC can clear the terminal and print a fake "all checks passed", NUL and
other controls can hide text, and bidi overrides can reorder what a reader sees. Every
such character becomes a visible ``\\uXXXX`` escape: readable in a terminal, and the
same character again inside a JSON string, so JSON output stays exact.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import TextIO

__all__ = [
    "ACCORD_SGR",
    "TerminalSafeWriter",
    "did_you_mean",
    "escape_control",
    "escape_output",
    "markdown_code",
    "markdown_text",
    "plural",
    "short_repr",
]

# C0 controls, DEL, C1 controls, the Unicode line and paragraph separators (line
# ends for str.splitlines and browsers), bidi embeddings/overrides and isolates, and
# lone surrogates: a file name that is not UTF-8 reaches Python through surrogateescape,
# and a UTF-8 stream refuses to write one (UnicodeEncodeError).
_UNSAFE = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_RE = re.compile(f"[{_UNSAFE}]")


def _visible(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_control(text: str) -> str:
    """``text`` with every control and bidi character written as ``\\uXXXX`` (newlines too).

    For one user-controlled field (a property name, a pointer, a message) so it cannot
    start a line of its own.

    >>> escape_control("a\\x1b[2Jb\\nc")
    'a\\\\u001b[2Jb\\\\u000ac'
    """
    return _UNSAFE_RE.sub(_visible, text)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 error``, ``2 errors`` (``nouns`` for an irregular plural: ``2 bodies``)."""
    return f"{count} {noun}" if count == 1 else f"{count} {nouns or noun + 's'}"


def markdown_code(text: str) -> str:
    """``text`` as one Markdown code span on one line (CommonMark): controls escaped, and
    fenced by more backticks than its longest run, so a backtick in a name cannot close
    the span and turn the rest into Markdown.

    >>> markdown_code("a`b")
    '`` a`b ``'
    """
    body = escape_control(text)
    runs = [len(run) for run in re.findall("`+", body)]
    if not runs:
        return f"`{body}`"
    fence = "`" * (max(runs) + 1)
    return f"{fence} {body} {fence}"  # the spaces are stripped: a leading ` stays content


# The ASCII characters with a meaning inside a line of GFM text: emphasis, links and
# images, raw HTML, entities, code, table cells, strikethrough, autolinks (``:`` and
# ``.`` of ``https://`` and ``www.``), @mentions and #references. Line-start syntax
# (headings, lists, a ``>`` quote) cannot occur: a newline is a space; so a ``>`` is
# left as it is (with every ``<`` escaped it opens no tag nor autolink): ``20 -> 10``.
_MARKDOWN_RE = re.compile(r"([\\`*_\[\]<!&|~.:@#])")


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown on one line (a table cell): controls escaped, a newline
    a space, and every character with a Markdown meaning backslash-escaped, so a name
    renders as itself (CommonMark lets any ASCII punctuation be escaped this way).

    >>> markdown_text("**ok** <b>")
    '\\\\*\\\\*ok\\\\*\\\\* \\\\<b>'
    """
    return _MARKDOWN_RE.sub(r"\\\1", escape_control(text.replace("\n", " ")))


def short_repr(value: object) -> str:
    """``value`` shown in at most about 60 characters, control characters escaped (for
    an error message naming a value the caller passed; reprlib survives a failing
    ``__repr__``)."""
    import reprlib

    short = reprlib.Repr()  # keyword arguments only from Python 3.12
    short.maxstring = short.maxother = 60
    return escape_control(short.repr(value))


def did_you_mean(name: str, known: Iterable[str], *, none: str = "none is recorded yet") -> str:
    """The hint that follows ``unknown <what> 'name'``: the closest known name, else the
    known names (the first 20), else ``none``; one place, so every command that names a
    consumer, provider, contract or environment hints alike.

    >>> did_you_mean("biling", ["billing", "crm"])
    "; did you mean 'billing'?"
    >>> did_you_mean("x", [], none="no consumer expects anything")
    '; no consumer expects anything'
    """
    import difflib

    choices = sorted(set(known))
    close = (
        difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
        or [c for c in choices if c.startswith(name) or name.startswith(c)][:1]
    )
    if close:
        return f"; did you mean {close[0]!r}?"
    if choices:
        return f"; known: {', '.join(choices[:20])}"
    return f"; {none}"


# What a whole rendered output may keep: newlines and tabs, and (only when colour is on,
# i.e. on a terminal) SGR colour sequences made of accord's own style parameters.
_OUTPUT_UNSAFE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SGR_RE = re.compile("(\x1b\\[[0-9;]{1,16}m)")
# bold, dim, red, green, yellow, cyan, reset: what cli._common.style and the gate use.
ACCORD_SGR = frozenset({"0", "1", "2", "31", "32", "33", "36"})


def escape_output(text: str, *, sgr: frozenset[str] = frozenset()) -> str:
    """A rendered output with every unsafe character escaped except ``\\n`` and ``\\t``.

    ``sgr`` lists the SGR parameters that may pass (accord's own colours, on a
    terminal); any other ESC is escaped.
    """
    if not sgr:
        return _OUTPUT_UNSAFE_RE.sub(_visible, text)
    parts = _SGR_RE.split(text)
    return "".join(
        part
        if i % 2 and set(part[2:-1].split(";")) <= sgr
        else _OUTPUT_UNSAFE_RE.sub(_visible, part)
        for i, part in enumerate(parts)
    )


class TerminalSafeWriter(io.TextIOBase):
    """A text stream writing through :func:`escape_output`: the CLI's stdout and stderr.

    Colour sequences pass only when the underlying stream is a terminal.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream
        isatty = getattr(stream, "isatty", None)
        self._tty = bool(isatty and isatty())
        self._sgr = ACCORD_SGR if self._tty else frozenset()

    def write(self, text: str) -> int:
        self._stream.write(escape_output(text, sgr=self._sgr))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._tty

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()
