"""One media type, read as RFC 9110 (section 8.3.1) writes it.

``Content-Type`` holds exactly one media type: ``type "/" subtype`` and parameters,
``*( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )``. A value that is anything
else (a list, ``application/json; charset=utf-8, text/html``, junk after a parameter, a
quote left open) is no media type at all: :func:`parse_media_type` answers ``None``, and
each caller decides what that means on its side of the wire (refused as JSON, or read
as JSON so it is checked). Clients read such values differently (browsers take the last
type of a list, most libraries the text before the first ``;``), so no reading of them
is trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MediaType", "parse_media_type"]

_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_OWS = " \t"


@dataclass(frozen=True)
class MediaType:
    """A parsed media type: type, subtype and parameter names lower case.

    Attributes:
        type: ``application`` in ``application/json``.
        subtype: ``json`` in ``application/json``.
        parameters: ``(name, value)`` pairs in order, quoted values unquoted.
    """

    type: str
    subtype: str
    parameters: tuple[tuple[str, str], ...] = ()

    @property
    def essence(self) -> str:
        """``type/subtype``."""
        return f"{self.type}/{self.subtype}"

    def parameter(self, name: str) -> str | None:
        """The value of parameter ``name`` (any case), or ``None``."""
        name = name.lower()
        return next((value for key, value in self.parameters if key == name), None)

    def is_json(self) -> bool:
        """``application/json`` or an ``application/*+json`` type (RFC 6839)."""
        return self.type == "application" and (
            self.subtype == "json" or self.subtype.endswith("+json")
        )


def _token(text: str, at: int) -> int:
    """The end of the token starting at ``at`` (``at`` itself when there is none)."""
    end = at
    while end < len(text) and text[end] in _TOKEN:
        end += 1
    return end


def _quoted(text: str, at: int) -> tuple[str, int] | None:
    """The unquoted value and end of the quoted-string starting at ``at`` (a ``"``)."""
    out: list[str] = []
    i = at + 1
    while i < len(text):
        c = text[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\":
            i += 1
            if i == len(text) or not _qd(text[i], escaped=True):
                return None
            out.append(text[i])
        elif not _qd(c, escaped=False):
            return None
        else:
            out.append(c)
        i += 1
    return None  # the quote is never closed


def _qd(c: str, *, escaped: bool) -> bool:
    """qdtext (or, ``escaped``, what a quoted-pair may hold): HTAB, SP, visible ASCII
    but ``"`` and ``\\`` unless escaped, and obs-text (0x80-0xFF)."""
    code = ord(c)
    if c in _OWS or 0x80 <= code <= 0xFF:
        return True
    if not 0x21 <= code <= 0x7E:
        return False
    return escaped or c not in '"\\'


def parse_media_type(value: str | bytes) -> MediaType | None:
    """``value`` (a ``Content-Type`` field value) as one media type, or ``None`` when it
    is not exactly one: a list, junk after it, a parameter with no ``=`` or no value, an
    unclosed quote, two parameters of one name (readers differ on which one wins).

    Empty parameters (``application/json;;charset=utf-8``, a trailing ``;``) are
    allowed, as RFC 9110 allows them. Bytes are read as Latin-1 (a header's octets).

    Example:
        >>> parse_media_type('APPLICATION/JSON ; charset="utf-8"').parameter("charset")
        'utf-8'
        >>> parse_media_type("application/json; charset=utf-8, text/html") is None
        True
    """
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip(_OWS)
    slash = _token(text, 0)
    if slash == 0 or slash == len(text) or text[slash] != "/":
        return None
    end = _token(text, slash + 1)
    if end == slash + 1:
        return None
    parameters: list[tuple[str, str]] = []
    i = end
    while i < len(text):
        while i < len(text) and text[i] in _OWS:
            i += 1
        if i == len(text) or text[i] != ";":
            return None
        i += 1
        while i < len(text) and text[i] in _OWS:
            i += 1
        if i == len(text) or text[i] == ";":
            continue  # an empty parameter
        name_end = _token(text, i)
        if name_end == i or name_end == len(text) or text[name_end] != "=":
            return None
        name = text[i:name_end].lower()
        if text.startswith('"', name_end + 1):
            quoted = _quoted(text, name_end + 1)
            if quoted is None:
                return None
            parameter, i = quoted
        else:
            i = _token(text, name_end + 1)
            if i == name_end + 1:
                return None
            parameter = text[name_end + 1 : i]
        if any(key == name for key, _ in parameters):
            return None
        parameters.append((name, parameter))
    return MediaType(text[:slash].lower(), text[slash + 1 : end].lower(), tuple(parameters))
