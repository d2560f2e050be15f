"""accord's ``format`` checkers, agreeing with the reference validator.

docs/design.md asserts ``format`` for every format JSON Schema 2020-12 defines, with the
meaning the reference validator (jsonschema-rs, formats on) gives it. python-jsonschema
explains failures, so it must reach the same verdicts: its own format checkers depend
on optional third-party packages (absent means "anything goes") and differ from
jsonschema-rs in many corners (leap seconds, zone ids, trailing dots, ...).

The checkers here are small, dependency-free implementations of the RFC grammars,
tuned against jsonschema-rs on a corpus of tricky values
(:data:`accord.validation.probe.FORMAT_CORPUS`).
They follow the RFCs, not one release of the reference: where the installed reference
reads a corpus value differently (jsonschema-rs before 0.61 accepted ``2020-01-0/`` as a
date), :func:`accord.validation.probe.format_disagreements` says so, and no backend but the
reference decides that format. Where matching the reference exactly is impractical, the format
is listed in :data:`FORMATS_ROUTED_TO_REFERENCE` and its checker asks jsonschema-rs
itself, so the verdict is the reference's by construction.

Non-string instances always pass: ``format`` only constrains strings.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any

__all__ = [
    "CHECKERS",
    "FORMATS",
    "FORMATS_ROUTED_TO_REFERENCE",
    "check_format",
    "format_checker",
]

FORMATS: frozenset[str] = frozenset(
    {
        "date-time",
        "date",
        "time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uuid",
        "uri-template",
        "json-pointer",
        "relative-json-pointer",
        "regex",
    }
)
"""Every format JSON Schema 2020-12 defines; any other name is an annotation."""

FORMATS_ROUTED_TO_REFERENCE: frozenset[str] = frozenset(
    {"email", "idn-email", "idn-hostname", "regex"}
)
"""Formats whose verdict is taken from jsonschema-rs instead of a local checker.

- ``email``: jsonschema-rs parses RFC 5322 addresses, not only RFC 5321 mailboxes: it
  accepts the name-addr form (``A <a@example.com>``) and tabs inside quoted local parts,
  and refuses some quoted strings containing ``" <"``. A local grammar either rejects
  what the reference accepts or copies a parser's accidents.
- ``idn-hostname`` and ``idn-email``: validity depends on the IDNA2008 and Unicode
  tables (disallowed code points, bidi and contextual rules, NFC); reproducing them
  needs the ``idna`` package, which accord does not depend on.
- ``regex``: jsonschema-rs checks ECMA-262 syntax with its own translator, which
  differs from ``regress`` in corners (it accepts ``\\-`` and ``\\_`` and unknown
  ``\\p{..}`` names, refuses ``\\b+``). ``regress`` is still what accord uses to compile
  ``pattern`` (see :mod:`accord.validation.dialect`), but a payload's ``format: regex`` verdict
  is the reference's.

``hostname`` is checked locally except for ``xn--`` labels, whose punycode payload is
an IDNA U-label: those labels are routed to the reference for the same reason.
"""

# --- dates and times (RFC 3339 section 5.6) ------------------------------------------

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_TIME = re.compile(
    r"(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_date(text: str) -> bool:
    match = _DATE.fullmatch(text)
    if match is None:
        return False
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = 29 if month == 2 and leap else _DAYS[month - 1]
    return 1 <= day <= last


def _valid_time(text: str) -> bool:
    match = _TIME.fullmatch(text)
    if match is None:
        return False
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    if hour > 23 or minute > 59 or second > 60:
        return False
    off_hour = int(match[5]) if match[4] else 0
    off_minute = int(match[6]) if match[4] else 0
    if off_hour > 23 or off_minute > 59:
        return False
    if second == 60:
        # A leap second is only ever inserted at 23:59:60 UTC.
        sign = -1 if match[4] == "+" else 1
        utc = (hour * 60 + minute + sign * (off_hour * 60 + off_minute)) % (24 * 60)
        return utc == 23 * 60 + 59
    return True


def _is_date_time(value: str) -> bool:
    if len(value) < 20 or value[10] not in "Tt":
        return False
    return _valid_date(value[:10]) and _valid_time(value[11:])


def _is_date(value: str) -> bool:
    return _valid_date(value)


def _is_time(value: str) -> bool:
    return _valid_time(value)


# RFC 3339 appendix A: each unit in order, no gaps after the first, weeks alone.
_DUR_TIME = r"T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)"
_DURATION = re.compile(
    rf"P(?:(?:\d+Y(?:\d+M(?:\d+D)?)?|\d+M(?:\d+D)?|\d+D)(?:{_DUR_TIME})?|{_DUR_TIME}|\d+W)",
    re.ASCII,
)


def _is_duration(value: str) -> bool:
    return _DURATION.fullmatch(value) is not None


# --- IP addresses --------------------------------------------------------------------

_DEC_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])"
_IPV4_TEXT = rf"{_DEC_OCTET}(?:\.{_DEC_OCTET}){{3}}"
_H16 = r"[0-9A-Fa-f]{1,4}"
_LS32 = rf"(?:{_H16}:{_H16}|{_IPV4_TEXT})"
# RFC 3986 IPv6address: the RFC 4291 text forms, no zone id (RFC 6874 is URI-only).
_IPV6_TEXT = (
    rf"(?:(?:{_H16}:){{6}}{_LS32}"
    rf"|::(?:{_H16}:){{5}}{_LS32}"
    rf"|(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}"
    rf"|(?:(?:{_H16}:){{0,1}}{_H16})?::(?:{_H16}:){{3}}{_LS32}"
    rf"|(?:(?:{_H16}:){{0,2}}{_H16})?::(?:{_H16}:){{2}}{_LS32}"
    rf"|(?:(?:{_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}"
    rf"|(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}"
    rf"|(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}"
    rf"|(?:(?:{_H16}:){{0,6}}{_H16})?::)"
)
_IPV4 = re.compile(_IPV4_TEXT)
_IPV6 = re.compile(_IPV6_TEXT)


def _is_ipv4(value: str) -> bool:
    return _IPV4.fullmatch(value) is not None


def _is_ipv6(value: str) -> bool:
    return _IPV6.fullmatch(value) is not None


# --- hostnames ---------------------------------------------------------------------

_LDH_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", re.ASCII)


def _is_hostname(value: str) -> bool:
    # RFC 1123 labels, 253 characters in all, no trailing dot (as the reference), and
    # the IDNA2008 rule that "--" in positions 3-4 marks an A-label.
    if not value or len(value) > 253:
        return False
    for label in value.split("."):
        if _LDH_LABEL.fullmatch(label) is None:
            return False
        if label[2:4] == "--":
            if label[:4].lower() != "xn--":
                return False
            if not _reference_verdict("hostname", label):
                return False
    return True


# --- URIs and IRIs (RFC 3986, RFC 3987) ----------------------------------------------


@lru_cache(maxsize=2)
def _uri_regexes(iri: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(absolute, reference) regexes; compiled on first use (tens of ms: the IRI
    ranges), so importing the module stays cheap."""
    ucs = (
        "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
        "\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd"
        "\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
        "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd"
        "\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
        "\U000d0000-\U000dfffd\U000e1000-\U000efffd"
        if iri
        else ""
    )
    private = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd" if iri else ""
    unreserved = rf"A-Za-z0-9\-._~{ucs}"
    sub_delims = r"!$&'()*+,;="
    pct = r"%[0-9A-Fa-f]{2}"
    pchar = rf"(?:[{unreserved}{sub_delims}:@]|{pct})"
    ipfuture = rf"[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~{sub_delims}:]+"
    ip_literal = rf"\[(?:{_IPV6_TEXT}|{ipfuture})\]"
    reg_name = rf"(?:[{unreserved}{sub_delims}]|{pct})*"
    userinfo = rf"(?:[{unreserved}{sub_delims}:]|{pct})*"
    authority = rf"(?:{userinfo}@)?(?:{ip_literal}|{reg_name})(?::[0-9]*)?"
    segment = rf"{pchar}*"
    segment_nz = rf"{pchar}+"
    segment_nz_nc = rf"(?:[{unreserved}{sub_delims}@]|{pct})+"
    path_abempty = rf"(?:/{segment})*"
    path_absolute = rf"/(?:{segment_nz}(?:/{segment})*)?"
    path_rootless = rf"{segment_nz}(?:/{segment})*"
    path_noscheme = rf"{segment_nz_nc}(?:/{segment})*"
    query = rf"(?:{pchar}|[/?{private}])*"
    fragment = rf"(?:{pchar}|[/?])*"
    scheme = r"[A-Za-z][A-Za-z0-9+\-.]*"
    hier = rf"(?://{authority}{path_abempty}|{path_absolute}|{path_rootless}|)"
    absolute = rf"{scheme}:{hier}(?:\?{query})?(?:\#{fragment})?"
    relative_part = rf"(?://{authority}{path_abempty}|{path_absolute}|{path_noscheme}|)"
    relative = rf"{relative_part}(?:\?{query})?(?:\#{fragment})?"
    return re.compile(absolute), re.compile(rf"{absolute}|{relative}")


def _is_uri(value: str) -> bool:
    return _uri_regexes(iri=False)[0].fullmatch(value) is not None


def _is_uri_reference(value: str) -> bool:
    return _uri_regexes(iri=False)[1].fullmatch(value) is not None


def _is_iri(value: str) -> bool:
    return _uri_regexes(iri=True)[0].fullmatch(value) is not None


def _is_iri_reference(value: str) -> bool:
    return _uri_regexes(iri=True)[1].fullmatch(value) is not None


# RFC 6570 level 4 syntax. Literals are as lenient as the reference's: the apostrophe
# (which RFC 6570 excludes) and every non-ASCII character (not only ucschar/iprivate)
# are accepted.
_VARCHAR = r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})"
_VARNAME = rf"{_VARCHAR}(?:\.?{_VARCHAR})*"
_VARSPEC = rf"{_VARNAME}(?::[1-9][0-9]{{0,3}}|\*)?"
_EXPRESSION = rf"\{{[+#./;?&=,!@|]?{_VARSPEC}(?:,{_VARSPEC})*\}}"
_LITERALS = (
    r"(?:[\x21\x23\x24\x26-\x3b\x3d\x3f-\x5b\x5d\x5f\x61-\x7a\x7e\u0080-\U0010ffff]"
    r"|%[0-9A-Fa-f]{2})"
)
_URI_TEMPLATE = re.compile(rf"(?:{_LITERALS}|{_EXPRESSION})*")


def _is_uri_template(value: str) -> bool:
    return _URI_TEMPLATE.fullmatch(value) is not None


# --- identifiers and pointers --------------------------------------------------------

_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_JSON_POINTER = re.compile(r"(?:/(?:[^~/]|~[01])*)*", re.DOTALL)
_RELATIVE_JSON_POINTER = re.compile(r"(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~[01])*)*)", re.DOTALL)


def _is_uuid(value: str) -> bool:
    return _UUID.fullmatch(value) is not None


def _is_json_pointer(value: str) -> bool:
    return _JSON_POINTER.fullmatch(value) is not None


def _is_relative_json_pointer(value: str) -> bool:
    return _RELATIVE_JSON_POINTER.fullmatch(value) is not None


# --- the reference, for routed formats -----------------------------------------------

_ref_lock = threading.Lock()
_ref_validators: dict[str, Any] = {}


def _reference_verdict(format_name: str, value: str) -> bool:
    """What jsonschema-rs says about ``value`` under ``{"format": format_name}``."""
    validator = _ref_validators.get(format_name)
    if validator is None:
        from accord.validation.offline import rs_validator

        with _ref_lock:
            validator = _ref_validators.get(format_name)
            if validator is None:
                validator = rs_validator({"format": format_name}, validate_formats=True)
                _ref_validators[format_name] = validator
    return bool(validator.is_valid(value))


def _routed(format_name: str) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        return _reference_verdict(format_name, value)

    check.__name__ = f"_is_{format_name.replace('-', '_')}"
    check.__doc__ = f"``{format_name}``, as the reference validator decides it."
    return check


CHECKERS: dict[str, Callable[[str], bool]] = {
    "date-time": _is_date_time,
    "date": _is_date,
    "time": _is_time,
    "duration": _is_duration,
    "email": _routed("email"),
    "idn-email": _routed("idn-email"),
    "hostname": _is_hostname,
    "idn-hostname": _routed("idn-hostname"),
    "ipv4": _is_ipv4,
    "ipv6": _is_ipv6,
    "uri": _is_uri,
    "uri-reference": _is_uri_reference,
    "iri": _is_iri,
    "iri-reference": _is_iri_reference,
    "uuid": _is_uuid,
    "uri-template": _is_uri_template,
    "json-pointer": _is_json_pointer,
    "relative-json-pointer": _is_relative_json_pointer,
    "regex": _routed("regex"),
}
"""Format name -> predicate on strings (the caller handles non-strings)."""


def check_format(format_name: str, value: Any) -> bool:
    """Whether ``value`` conforms to ``format_name`` (unknown formats always conform).

    >>> check_format("date", "2024-02-29"), check_format("date", "2023-02-29")
    (True, False)
    """
    checker = CHECKERS.get(format_name)
    if checker is None or not isinstance(value, str):
        return True
    return checker(value)


@lru_cache(maxsize=1)
def format_checker() -> Any:
    """A ``jsonschema.FormatChecker`` asserting every 2020-12 format accord's way.

    Shared and immutable after construction, so safe to use from many threads.
    """
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    for name, predicate in CHECKERS.items():
        checker.checks(name)(_string_only(predicate))
    return checker


def _string_only(predicate: Callable[[str], bool]) -> Callable[[object], bool]:
    def check(instance: object) -> bool:
        return not isinstance(instance, str) or predicate(instance)

    return check
