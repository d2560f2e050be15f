"""Verification records and pending expectations.

Provider verification (``accord verify --provider``) writes one record per provider
version, ``<registry>/verifications/<provider>/<provider-version>.json``::

    {"format_version": 1,
     "provider": "users-service",
     "provider_version": "1.4.0",
     "verified_at": "2024-05-01T12:00:00Z",          # UTC, exactly this form
     "results": [
       {"consumer": "billing",
        "expectation": "consumers/billing/users.json",  # relative to the registry root
        "digest": "sha256:...",                          # ExpectationFile.digest
        "content_digest": "sha256:...",                  # ExpectationFile.content_digest
        "consumer_version": "1.4.0", "consumer_branch": "main",   # when the file has them
        "contracts": ["users.user@1.1.0"],               # the versions verified against
        "success": true,
        "interactions": [{"description": "get user 123", "success": true,
                          "mismatches": []}]}]}

Results are keyed by content: ``content_digest`` covers the interactions, reads and
matchers, not the consumer's version or branch, so a result applies to every consumer
version whose expectation content is identical (the Pact Broker's content-sha reuse).
A record holds one result per (consumer, expectation, digest): re-verifying a
provider version for a new consumer version adds a result, it never drops the
earlier ones. (Records written before ``content_digest`` match by ``digest`` alone.)

An expectation is *pending* until some record of its provider has a result with the
same consumer and content (or digest) and ``"success": true``: it is reported, but a
pending expectation does not fail the provider's gate (Pact broker's "pending pacts").
A change to what it expects (a new content digest) makes it pending again; a new
consumer version or branch alone does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeGuard

from accord.errors import AccordError, DocumentError

__all__ = [
    "MAX_RECORDS",
    "MAX_RECORDS_BYTES",
    "RECORD_FORMAT_VERSION",
    "VERIFICATIONS_DIR",
    "VERSION_LABEL",
    "check_case_twins",
    "check_records_cap",
    "check_version_label",
    "is_pending",
    "is_version_label",
    "load_records",
    "record_path",
    "verified_digests",
]

RECORD_FORMAT_VERSION = 1
VERIFICATIONS_DIR = "verifications"

#: Records accord reads or writes in one place (a records branch, a registry's
#: ``verifications/``): more is refused before any is read, as no registry's history
#: needs so many (each record is also under the file byte cap).
MAX_RECORDS = 100_000
#: Their total bytes: 1 GiB, against 100,000 records each near the 1 MiB file cap.
MAX_RECORDS_BYTES = 1 << 30


#: A service version as records spell it (deployment records too): a release or a
#: commit, and a file name on every system (no separator, space or control character;
#: :func:`is_version_label` also refuses Windows device names).
VERSION_LABEL = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,127}")

#: What a version label is, for messages.
VERSION_LABEL_RULE = (
    "letters, digits, '.', '_', '+', '-', starting with a letter or a digit; at most 128 "
    "characters; not a Windows device name such as CON, nul.1 or COM1"
)


def is_version_label(version: object) -> TypeGuard[str]:
    """Whether ``version`` is a version label: :data:`VERSION_LABEL`, and no Windows
    device name (``CON``, ``nul.1``, ``COM1``: ``<version>.json`` would be a device on
    Windows, so the record could not be written or read there)."""
    from accord.registry.names import is_windows_device_name

    return (
        isinstance(version, str)
        and VERSION_LABEL.fullmatch(version) is not None
        and not is_windows_device_name(version)
    )


def check_version_label(version: object) -> str:
    """``version`` when it is a version label (:func:`is_version_label`).

    Raises:
        DocumentError: ``record-bad-version``.
    """
    if not is_version_label(version):
        device = isinstance(version, str) and VERSION_LABEL.fullmatch(version)
        why = "a Windows device name" if device else "not a version label"
        raise DocumentError(
            f"provider version {version!r} is {why} ({VERSION_LABEL_RULE})",
            code="record-bad-version",
        )
    return version


def check_case_twins(paths: Iterable[str], *, against: Iterable[str] = ()) -> None:
    """Refuse a path of ``paths`` equal to another of them, or to one of ``against``,
    but for case: version labels differing only in case (``1.0.0-RC``, ``1.0.0-rc``)
    name one file on a case-insensitive file system (macOS, Windows), where one record
    would overwrite or merge into the other. The rule lint, check and ``accord package``
    apply (:func:`accord.registry.names.case_twins`: ``casefold``, so ``ß`` is ``SS``);
    two of ``against`` alone are not this call's to refuse.

    Raises:
        DocumentError: ``record-case-clash``.
    """
    from accord.registry.names import case_twins

    mine = set(paths)
    for earlier, later in case_twins(mine.union(against)):
        if earlier in mine or later in mine:
            path, other = (later, earlier) if later in mine else (earlier, later)
            raise DocumentError(
                f"records {other!r} and {path!r} differ only in case: on a case-insensitive "
                "file system (macOS, Windows) they are one file, so neither is read or "
                "written; record the version under one spelling and remove the other",
                code="record-case-clash",
                file=path,
            )


def check_records_cap(
    count: int,
    total_bytes: int,
    *,
    where: str,
    hint: str,
    error: type[AccordError] = DocumentError,
) -> None:
    """Refuse ``count`` records of ``total_bytes`` in all held by ``where`` when they are
    more than :data:`MAX_RECORDS` or :data:`MAX_RECORDS_BYTES`; ``hint`` says what to do.

    Raises:
        ``error``: ``records-too-many`` or ``records-too-large``, naming ``where``.
    """
    from accord.core.text import plural

    if count > MAX_RECORDS:
        raise error(
            f"{where} holds {plural(count, 'record')}, more than the {MAX_RECORDS} accord "
            f"reads: {hint}",
            code="records-too-many",
            file=where,
        )
    if total_bytes > MAX_RECORDS_BYTES:
        raise error(
            f"{where} holds {total_bytes} bytes of records, more than the "
            f"{MAX_RECORDS_BYTES} accord reads: {hint}",
            code="records-too-large",
            file=where,
        )


def record_path(root: Path, provider: str, provider_version: str) -> Path:
    """Where the record of ``provider`` at ``provider_version`` lives.

    Raises:
        InvalidReference: ``provider`` is not a service name.
        DocumentError: ``record-bad-version``: the version is not a version label.
    """
    from accord.registry.names import validate_name

    validate_name(provider, what="provider")
    check_version_label(provider_version)
    return root / VERIFICATIONS_DIR / provider / f"{provider_version}.json"


# The one form accord writes (provider._verify.now_rfc3339). Readers pick the latest
# result by comparing these as text, which is chronological only because every time has
# this fixed width, ASCII digits and UTC: "+02:00" or a fraction (".5Z" sorts before
# "Z") would sort out of time order, so any other form is refused, not normalised.
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z")


# What writers pass to strftime (provider._verify.now_rfc3339) and readers to strptime.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_TIME_RULE = "'verified_at' must be a UTC time written as YYYY-MM-DDTHH:MM:SSZ"


def _is_utc_time(value: object) -> bool:
    if not isinstance(value, str) or not _TIME.match(value):
        return False
    try:
        datetime.strptime(value, TIME_FORMAT)  # a real date and time of day
    except ValueError:
        return False
    return True


def _check(doc: Any, file: str) -> dict[str, Any]:
    def bad(why: str, pointer: str = "") -> DocumentError:
        return DocumentError(
            f"not a verification record: {why}", code="record-invalid", file=file, pointer=pointer
        )

    if not isinstance(doc, dict) or doc.get("format_version") != RECORD_FORMAT_VERSION:
        raise bad("format_version must be 1", "/format_version")
    for key in ("provider", "provider_version", "verified_at"):
        if not isinstance(doc.get(key), str):
            raise bad(f"{key!r} must be a string", f"/{key}")
    if not _is_utc_time(doc["verified_at"]):
        raise bad(_TIME_RULE, "/verified_at")
    # A record is the one of the provider version its path names (record_path): a
    # copied or renamed file claiming another version would otherwise stand for it (the
    # last file read wins), and a stale copy could answer for a newer failed one.
    parts = file.split("/")
    if len(parts) == 3 and parts[0] == VERIFICATIONS_DIR:
        if doc["provider"] != parts[1]:
            where = parts[1]
            raise bad(
                f"'provider' is {doc['provider']!r} but the record is under {where!r}", "/provider"
            )
        if f"{doc['provider_version']}.json" != parts[2]:
            raise bad(
                f"'provider_version' is {doc['provider_version']!r} but the file is {parts[2]!r}",
                "/provider_version",
            )
    results = doc.get("results")
    if not isinstance(results, list):
        raise bad("'results' must be a list", "/results")
    for n, r in enumerate(results):
        if not isinstance(r, dict) or not all(
            isinstance(r.get(k), str) for k in ("consumer", "digest")
        ):
            raise bad("each result needs 'consumer' and 'digest' strings", f"/results/{n}")
        if not isinstance(r.get("success"), bool):
            raise bad("'success' must be a boolean", f"/results/{n}/success")
        if "content_digest" in r and not isinstance(r["content_digest"], str):
            raise bad("'content_digest' must be a string", f"/results/{n}/content_digest")
        if "verified_at" in r and not _is_utc_time(r["verified_at"]):
            raise bad(_TIME_RULE, f"/results/{n}/verified_at")
    return doc


def check_record_bytes(raw: bytes, *, file: str) -> dict[str, Any]:
    """A verification record read from ``raw`` (a base commit's, in the gate).

    Raises:
        DocumentError: ``record-invalid`` or malformed JSON.
    """
    from accord.core.jsondoc import loads

    return _check(loads(raw, file=file), file)


def load_records(root: Path, provider: str | None = None) -> list[dict[str, Any]]:
    """Every verification record (of ``provider`` when given), sorted by file.

    Raises:
        DocumentError: ``record-invalid`` or malformed JSON; ``path-symlink`` for a
            symlinked directory on the way; ``records-too-many`` / ``records-too-large``
            (before any is read) for more than :data:`MAX_RECORDS` records or
            :data:`MAX_RECORDS_BYTES` in all.
    """
    from accord.core.jsondoc import load_path, refuse_links_below

    base = root / VERIFICATIONS_DIR
    # A linked verifications/ or verifications/<provider>/ would be followed by the
    # glob, and load_path refuses a link at the file's own name only.
    refuse_links_below(root, VERIFICATIONS_DIR, action="read")
    if not base.is_dir():
        return []
    pattern = f"{provider}/*.json" if provider else "*/*.json"
    paths = sorted(base.glob(pattern))
    check_records_cap(
        len(paths),
        sum(path.lstat().st_size for path in paths),
        where=base.relative_to(root).as_posix(),
        hint="nothing read (remove records that no longer matter)",
    )
    check_case_twins(path.relative_to(root).as_posix() for path in paths)
    records = []
    for path in paths:
        file = path.relative_to(root).as_posix()
        refuse_links_below(root, file, action="read")
        records.append(_check(load_path(path), file))
    return records


def verified_digests(records: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """``(consumer, digest)`` and ``(consumer, content digest)`` pairs some record shows
    verified successfully."""
    out: set[tuple[str, str]] = set()
    for rec in records:
        for r in rec["results"]:
            if r["success"]:
                out.add((r["consumer"], r["digest"]))
                if isinstance(r.get("content_digest"), str):
                    out.add((r["consumer"], r["content_digest"]))
    return out


def is_pending(
    consumer: str,
    digest: str,
    verified: set[tuple[str, str]],
    *,
    content_digest: str | None = None,
) -> bool:
    """Whether an expectation has never been verified successfully (pending): neither
    its digest nor (when given) its content digest is verified."""
    if content_digest and (consumer, content_digest) in verified:
        return False
    return (consumer, digest) not in verified
