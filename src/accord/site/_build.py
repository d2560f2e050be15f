"""Building the site: collect what the layers below compute, render it, swap it in.

:func:`render_site` is pure (registry in, ``{relative path: bytes}`` out, sorted and
byte-identical across runs: no timestamps, no absolute paths, every listing sorted);
:func:`build_site` writes that into a temporary directory beside ``out``, marks it with
:data:`MARKER` and swaps it in with two renames, so a reader never sees half a site and
a failed build leaves the old one. It refuses (``UsageError``, exit 2, nothing written)
an ``out`` that is a file or a symlink, the registry (or a directory inside it), the
working or home directory, an ancestor of any of them, a top-level directory (``/etc``,
``/tmp``), and a non-empty directory without the marker: it never replaces a directory
it did not build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.compat import Change
    from accord.consumers._model import ExpectationFile
    from accord.core.progress import Progress
    from accord.registry.model import Contract, ContractVersion, Registry
    from accord.versions import Version

__all__ = ["MARKER", "SiteResult", "build_site", "render_site", "with_records_branch"]

MARKER = ".accord-site"
_MARKER_TEXT = b"This directory was built by `accord site`; it replaces the whole directory.\n"
_ASSETS = ("site.css", "site.js")
_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")


@dataclass(frozen=True)
class SiteResult:
    """What :func:`build_site` wrote."""

    out: Path
    files: tuple[str, ...]

    @property
    def pages(self) -> int:
        """The number of HTML pages."""
        return sum(1 for f in self.files if f.endswith(".html"))


def slug(name: str) -> str:
    """A file name for ``name``: itself when it is a plain lower-case name, else a
    digest (names come from the registry and records: never trusted as paths)."""
    if _SLUG.fullmatch(name) and ".." not in name:
        return name
    return "x-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def _version_state(contract: Contract, version: ContractVersion) -> str:
    if version.yanked is not None:
        return "yanked"
    if version.draft:
        return "draft"
    if contract.meta.status in ("deprecated", "retired"):
        return str(contract.meta.status)
    return "published"


def _diffs(registry: Registry, contract: Contract) -> dict[str, dict[str, Any]]:
    """Each version's comparison with its previous version, by version string."""
    from accord.errors import AccordError
    from accord.gate.check import compare_versions
    from accord.versions import previous_version

    numbers = [v.version for v in contract.versions]
    by_number = {v.version: v for v in contract.versions}
    out: dict[str, dict[str, Any]] = {}
    for current in contract.versions:
        prev = previous_version(numbers, current.version, yanked=contract.yanked)
        if prev is None:
            continue
        try:
            check = compare_versions(registry, by_number[prev], current, mode=contract.meta.mode)
        except AccordError as exc:
            out[str(current.version)] = {"previous": str(prev), "error": str(exc)}
            continue
        report = check.report
        out[str(current.version)] = {
            "previous": str(prev),
            "error": None,
            "mode": str(contract.meta.mode),
            "required": str(check.required),
            "declared": str(check.declared),
            "compatible": report.compatible,
            "backward": report.backward,
            "forward": report.forward,
            "accepted": check.ok,
            "directions": _directions(report.direction),
            "changes": [_change(c, prev) for c in report.changes],
        }
    return out


def _witness(witness: Any) -> dict[str, Any] | None:
    if witness is None:
        return None
    return {
        "payload": _pretty(witness.payload),
        "accepted_by": witness.accepted_by,
        "rejected_by": witness.rejected_by,
    }


def _directions(direction: Any) -> list[dict[str, Any]]:
    """Each broken or undecided direction with what it rests on: its own witness, the
    named policy, or why it is unproven (a proven direction needs no line)."""
    out = []
    for name in ("backward", "forward"):
        result = direction(name)
        if result.status == "proven":
            continue
        out.append(
            {
                "direction": name,
                "status": result.status,
                "policy": result.policy,
                "reason": result.reason,
                "witness": _witness(result.witness),
            }
        )
    return out


def _change(change: Change, previous: Version) -> dict[str, Any]:
    """One change as the templates show it (the bump it needs alone: ``accord check``'s)."""
    from accord.consumers._impact import ConsumerImpact
    from accord.core.rules import CATALOGUE
    from accord.gate.check import change_bump

    witness = change.witness
    return {
        "rule": change.rule,
        "rule_known": change.rule in CATALOGUE,
        "severity": change.severity,
        "status": change.status,
        "schema_path": change.schema_path or "/",
        "instance_path": change.instance_path or "/",
        "breaks": list(change.breaks),
        "message": change.message,
        "bump": change_bump(change, previous),
        "directions": _directions(change.direction),
        "witness": None
        if witness is None
        else {
            "payload": _pretty(witness.payload),
            "accepted_by": witness.accepted_by,
            "rejected_by": witness.rejected_by,
        },
        "consumers": [
            {
                "consumer": i.consumer,
                "slug": slug(i.consumer),
                "status": i.status,
                "fields": list(i.fields),
                "pending": i.pending,
            }
            for i in change.consumers
            if isinstance(i, ConsumerImpact)
        ],
    }


# The inline Markdown ``accord changelog`` writes: a code span (fenced by a run of
# backticks longer than any inside it, padded by a space when so fenced:
# accord.core.text.markdown_code), a backslash-escaped ASCII punctuation character (what
# markdown_text makes of the schema's text), or **bold** (accord's own words).
#
# The pattern finds a fence's opening run only: a whole run of backticks (possessive,
# not preceded by an unescaped backtick). :func:`_inline` closes it at the next run of
# exactly its length, as CommonMark does, found by lookup: a run nothing closes is
# text. A pattern that also matched the code and the closing run tried every shorter
# fence at every start (cubic: 2,000 unmatched backticks took 16 s), and each unclosed
# run would still read to the end of the line.
_INLINE = re.compile(
    r"(?:(?<=\\`)|(?<!`))(?P<fence>`++)"
    r"|\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|\*\*(?P<bold>(?:\\.|[^*\\])+)\*\*"
)


def _inline(line: str) -> str:
    """HTML for one line of :data:`_INLINE`'s Markdown: every character of text shown as
    itself (HTML-escaped), never a tag, a link or emphasis made of a name."""
    from bisect import bisect_left

    from markupsafe import escape

    runs: dict[int, list[int]] = {}  # a run's length -> where each such run starts
    for run in re.finditer("`+", line):
        runs.setdefault(run.end() - run.start(), []).append(run.start())
    out: list[str] = []
    done = pos = 0
    while (match := _INLINE.search(line, pos)) is not None:
        pos = match.end()
        if match["fence"] is not None:
            starts = runs.get(len(match["fence"]), [])
            at = bisect_left(starts, pos)
            if at == len(starts):
                continue  # nothing closes it: text
            out.append(str(escape(line[done : match.start()])))
            code = line[pos : starts[at]]
            done = pos = starts[at] + len(match["fence"])
            if len(code) > 1 and code[0] == " " and code[-1] == " " and code.strip(" "):
                code = code[1:-1]  # CommonMark strips one space each side
            out.append(f"<code>{escape(code)}</code>")
            continue
        out.append(str(escape(line[done : match.start()])))
        done = pos
        if match["escaped"] is not None:
            out.append(str(escape(match["escaped"])))
        else:
            out.append(f"<strong>{_inline(match['bold'])}</strong>")
    out.append(str(escape(line[done:])))
    return "".join(out)


def _markdown(text: str) -> str:
    """HTML for the Markdown subset ``accord changelog`` writes (headings, bullets,
    paragraphs and the inline forms of :data:`_INLINE`), every text HTML-escaped."""
    inline = _inline

    out: list[str] = []
    in_list = False
    for line in text.splitlines():
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{inline(line[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        heading = re.match(r"(#{2,4}) (.*)", line)
        if heading:
            level = len(heading[1])  # "## contract" becomes the page's h2
            out.append(f"<h{level}>{inline(heading[2])}</h{level}>")
        elif line.strip():
            out.append(f"<p>{inline(line)}</p>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def _expectations(registry: Registry) -> list[ExpectationFile]:
    from accord.consumers._model import discover

    return discover(registry.root)


def _expectation_page(ef: ExpectationFile) -> str:
    parts = ef.file.removeprefix("consumers/").removesuffix(".json").split("/")
    # "--" stands for "/"; a part holding "--" itself would make two files one page
    # (consumers/a/b--c.json, consumers/a--b/c.json), so such a file is named by the
    # digest of its path (which holds "/", so it is never another file's joined name).
    name = ef.file if any("--" in part for part in parts) else "--".join(parts)
    return f"expectations/{slug(name)}.html"


def _deployments(registry: Registry) -> list[dict[str, Any]]:
    """Per environment: what runs there, and the can-i-deploy matrix of every live
    provider version (each pair once)."""
    from accord.provider._deploy import can_i_deploy, environment_names, load_environment

    envs: list[dict[str, Any]] = []
    for name in environment_names(registry.root):
        env = load_environment(registry.root, name)
        services = [
            {
                "name": svc,
                "slug": slug(svc),
                "deployed": list(env.live(svc, "deployed")),
                "released": list(env.live(svc, "released")),
            }
            for svc in sorted(env.services)
        ]
        rows: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
        notes: set[str] = set()
        for svc in sorted(env.services):
            for version in env.live(svc):
                decision = can_i_deploy(registry, svc, version, name)
                notes.update(decision.notes)
                for row in decision.matrix:
                    if row.provider != svc:
                        continue
                    key = (
                        row.provider,
                        row.provider_version,
                        row.consumer,
                        row.consumer_version,
                        row.expectation or "",
                    )
                    rows[key] = row.to_json() | {
                        "consumer_slug": slug(row.consumer),
                        "provider_slug": slug(row.provider),
                    }
        envs.append(
            {
                "name": name,
                "services": services,
                "matrix": [rows[k] for k in sorted(rows)],
                "notes": sorted(notes),
            }
        )
    return envs


def _verifications(registry: Registry) -> list[dict[str, Any]]:
    from accord.consumers._records import load_records
    from accord.versions import Version

    def order(rec: dict[str, Any]) -> tuple[str, Any, str]:
        text = str(rec["provider_version"])
        try:
            return (rec["provider"], (0, Version.parse(text)), text)
        except ValueError:
            return (rec["provider"], (1, text), text)

    return [
        {
            "provider": rec["provider"],
            "provider_slug": slug(rec["provider"]),
            "provider_version": rec["provider_version"],
            "verified_at": rec.get("verified_at"),
            "results": sorted(
                (
                    {
                        "consumer": r["consumer"],
                        "consumer_slug": slug(r["consumer"]),
                        "consumer_version": r.get("consumer_version"),
                        "expectation": r.get("expectation"),
                        "success": bool(r.get("success")),
                        "verified_at": r.get("verified_at") or rec.get("verified_at"),
                        "contracts": list(r.get("contracts") or []),
                    }
                    for r in rec["results"]
                ),
                key=lambda r: (r["consumer"], str(r["consumer_version"]), str(r["expectation"])),
            ),
        }
        for rec in sorted(load_records(registry.root), key=order)
    ]


class _Pages:
    """Renders templates into ``{path: bytes}``, each page knowing its depth."""

    def __init__(self, common: Mapping[str, Any]) -> None:
        import jinja2

        here = Path(__file__).parent
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(here / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["pretty"] = _pretty
        self.env.globals["slug"] = slug
        self.common = dict(common)
        self.files: dict[str, bytes] = {}

    def page(self, path: str, template: str, **context: Any) -> None:
        root = "../" * path.count("/")
        html = self.env.get_template(template).render(
            **self.common, **context, root=root, here=path
        )
        # A file name whose bytes are not UTF-8 reaches here with surrogate escapes
        # (an expectation file's path): each is shown as its escape, \udcff.
        self.files[path] = html.encode("utf-8", "backslashreplace")


def render_site(registry: Registry, *, progress: Progress | None = None) -> dict[str, bytes]:
    """Every file of the site of ``registry``: ``{relative path: content}``, sorted.

    ``progress`` is told after each contract's pages (:mod:`accord.core.progress`).

    Raises:
        AccordError: an invalid expectation or record (the same errors ``accord
            consumers`` and ``accord can-i-deploy`` raise).
    """
    import accord.compat  # noqa: F401 - registers the compat rules in the catalogue
    from accord._version import __version__
    from accord.consumers._impact import field_usage
    from accord.core.progress import report
    from accord.core.rules import CATALOGUE, FAMILY_TITLES, rules
    from accord.gate.changelog import contract_changelog
    from accord.provider._interactions import provider_of
    from accord.registry.model import registry_argument
    from accord.site._network import Network, edges_from, render_svg
    from accord.site._tree import schema_tree

    registry = registry_argument(registry)

    contracts = list(registry)
    expectations = _expectations(registry)
    pages = _Pages({"accord_version": __version__})

    # Who reads what, from which provider: one row per (consumer, contract, provider).
    reads: set[tuple[str, str, str]] = set()
    exp_pages: list[dict[str, Any]] = []
    for ef in expectations:
        interactions = ef.doc.get("interactions", [])
        named = sorted({p for i in interactions if (p := provider_of(registry, ef, i))})
        provider = str(ef.doc.get("provider") or (named[0] if len(named) == 1 else ""))
        bodies = []
        for body in ef.bodies():
            cid = body.contract.split("@")[0] if body.contract else None
            if cid is not None:
                reads.add((ef.consumer, cid, str(ef.doc.get("provider") or "")))
            bodies.append(
                {
                    "label": body.label,
                    "role": body.role,
                    "contract": body.contract,
                    "contract_id": cid if cid in registry else None,
                    "fields": [
                        {"path": f.get("path", ""), "match": f.get("match", "any"), "raw": f}
                        for f in body.fields
                    ],
                }
            )
        exp_pages.append(
            {
                "file": ef.file,
                "page": _expectation_page(ef),
                "consumer": ef.consumer,
                "consumer_slug": slug(ef.consumer),
                "consumer_version": ef.doc.get("consumer", {}).get("version"),
                "provider": provider,
                "provider_slug": slug(provider) if provider else "",
                "digest": ef.digest,
                "bodies": bodies,
                "raw": _pretty(ef.doc),
            }
        )
    page_of_file = {e["file"]: e["page"] for e in exp_pages}

    providers = {c.id: c.meta.provider for c in contracts}
    from accord.provider._deploy import known_services

    services = sorted(known_services(registry) | {c for c, _, _ in reads})
    network = Network(tuple(services), edges_from(sorted(reads), providers=providers))
    svg = render_svg(
        network,
        service_href=lambda name: f"services/{slug(name)}.html",
        contract_href=lambda cid: f"contracts/{slug(cid)}.html",
    )
    deployments = _deployments(registry)
    verifications = _verifications(registry)

    index_rows = []
    for contract in contracts:
        latest = contract.latest()
        index_rows.append(
            {
                "id": contract.id,
                "slug": slug(contract.id),
                "owner": contract.meta.owner,
                "kind": contract.meta.kind,
                "provider": contract.meta.provider,
                "provider_slug": slug(contract.meta.provider) if contract.meta.provider else "",
                "status": contract.meta.status,
                "latest": str(latest.version) if latest is not None else None,
                "description": contract.meta.description or "",
                "tags": list(contract.meta.tags),
                "versions": len(contract.versions),
            }
        )
    statuses = sorted({str(c.meta.status) for c in contracts})
    kinds = sorted({str(c.meta.kind) for c in contracts})
    pages.page(
        "index.html",
        "index.html.j2",
        title="Contracts",
        rows=index_rows,
        statuses=statuses,
        kinds=kinds,
    )

    for done, (contract, row) in enumerate(zip(contracts, index_rows, strict=True), start=1):
        diffs = _diffs(registry, contract)
        versions = [
            {
                "version": str(v.version),
                "state": _version_state(contract, v),
                "yanked": v.yanked,
                "draft": v.draft,
                "file": v.file,
                "digest": v.digest,
                "tree": schema_tree(v.document),
                "raw": v.raw.decode("utf-8", "replace"),
                "diff": diffs.get(str(v.version)),
            }
            for v in reversed(contract.versions)
        ]
        usage = [
            r.to_json()
            | {
                "consumer_slug": slug(r.consumer),
                "range": r.contract.partition("@")[2] or "*",
                "page": page_of_file.get(r.file),
            }
            for r in field_usage(registry.root, contract.id, expectations=expectations)
        ]
        pages.page(
            f"contracts/{row['slug']}.html",
            "contract.html.j2",
            title=contract.id,
            c=row,
            meta=contract.meta,
            versions=versions,
            usage=usage,
        )
        pages.page(
            f"changelog/{row['slug']}.html",
            "changelog.html.j2",
            title=f"{contract.id} changelog",
            c=row,
            body=_markdown(contract_changelog(registry, contract)),
        )
        report(progress, done, len(contracts), contract.id)

    for e in exp_pages:
        pages.page(e["page"], "expectation.html.j2", title=f"{e['consumer']}: {e['file']}", e=e)

    for name in services:
        pages.page(
            f"services/{slug(name)}.html",
            "service.html.j2",
            title=f"service {name}",
            name=name,
            provides=[r for r in index_rows if r["provider"] == name],
            reads=[e for e in exp_pages if e["consumer"] == name],
            served=[e for e in exp_pages if e["provider"] == name],
            edges_in=[e for e in network.edges if e.consumer == name],
            edges_out=[e for e in network.edges if e.provider == name],
            deployed=[
                (env["name"], s)
                for env in deployments
                for s in env["services"]
                if s["name"] == name
            ],
            verifications=[v for v in verifications if v["provider"] == name],
        )

    pages.page(
        "network.html",
        "network.html.j2",
        title="Network",
        svg=svg,
        edges=[
            {"provider": e.provider, "consumer": e.consumer, "contracts": e.contracts}
            for e in network.edges
        ],
        services=services,
        slug=slug,
    )
    pages.page(
        "deployments.html",
        "deployments.html.j2",
        title="Deployments",
        envs=deployments,
        verifications=verifications,
    )
    all_rules = list(rules())
    pages.page(
        "rules/index.html",
        "rules.html.j2",
        title="Rules",
        families=[
            (fam, title, [r for r in all_rules if r.family == fam])
            for fam, title in FAMILY_TITLES.items()
        ],
    )
    for spec in all_rules:
        example = None
        if spec.example is not None:
            example = {"old": _pretty(spec.example[0]), "new": _pretty(spec.example[1])}
        pages.page(
            f"rules/{slug(spec.id)}.html",
            "rule.html.j2",
            title=f"rule {spec.id}",
            r=spec,
            example=example,
            family_title=FAMILY_TITLES[spec.family],
            mirror_known=spec.mirror in CATALOGUE if spec.mirror else False,
        )

    assets = Path(__file__).parent / "assets"
    for name in _ASSETS:
        pages.files[f"assets/{name}"] = (assets / name).read_bytes()
    return dict(sorted(pages.files.items()))


# -- records from git ---------------------------------------------------------------------


@contextmanager
def with_records_branch(
    root: Path, *, branch: str, remote: str | None, repo: Path | None = None
) -> Iterator[Registry]:
    """The registry at ``root`` as if ``accord records pull`` had copied ``branch`` into
    it, without writing into it: a temporary copy of the registry (its own
    ``verifications/`` and ``environments/`` left out) receives the branch's records
    through the same checked reader (:func:`accord.distribution.records.read_records`),
    then is loaded. The copy is removed when the block ends.

    Raises:
        UsageError, AccordError: what ``accord records pull`` raises (no such branch, a
            file that is not a record, a bad remote); what loading raises.
    """
    from accord.distribution.records import read_records
    from accord.registry.model import Registry

    with tempfile.TemporaryDirectory(prefix="accord-site-") as tmp:
        copy = Path(tmp) / "registry"
        try:
            shutil.copytree(
                root,
                copy,
                symlinks=True,
                ignore=lambda d, names: _copied_names(Path(root), Path(d), names),
                copy_function=lambda src, dst: _copy_regular(Path(root), src, dst),
            )
        except (shutil.Error, OSError) as exc:
            # A file gone or unreadable since it was listed: copytree gathers each
            # OSError into one shutil.Error of (source, target, reason) triples.
            raise _uncopied(Path(root), exc) from None
        read_records(repo if repo is not None else root, copy, branch=branch, remote=remote)
        yield Registry.load(copy)


def _uncopied(root: Path, exc: OSError) -> Exception:
    from accord.core.text import plural
    from accord.errors import DocumentError

    failures = exc.args[0] if isinstance(exc, shutil.Error) and exc.args else None
    if isinstance(failures, list) and failures:
        source, _target, reason = failures[0]
        more = f" (and {plural(len(failures) - 1, 'other file')})" if len(failures) > 1 else ""
    else:
        source, reason, more = getattr(exc, "filename", None) or root, str(exc), ""
    try:
        where = Path(source).relative_to(root).as_posix()
    except ValueError:
        where = str(source)
    return DocumentError(
        f"the registry could not be copied for --records-branch: {reason}{more}",
        code="file-unreadable",
        file=where,
    )


def _special_file(root: Path, path: str | os.PathLike[str], symlink: bool) -> Exception:
    from accord.errors import DocumentError

    rel = Path(path).relative_to(root).as_posix()
    if symlink:
        return DocumentError(
            "symlinks are not allowed in a registry (they can point outside it)",
            code="path-symlink",
            file=rel,
        )
    return DocumentError(
        "only regular files and directories are allowed in a registry",
        code="path-special-file",
        file=rel,
    )


def _copied_names(root: Path, directory: Path, names: list[str]) -> list[str]:
    """copytree's ``ignore``: the names left out of the copy (the registry's own records
    and ``.git``); a symlink or special file is refused as the registry load refuses it
    (copytree would copy the link, fail on a FIFO or read a device without end)."""
    left_out = ["verifications", "environments", ".git"] if directory == root else []
    for name in names:
        if name in left_out:
            continue
        mode = os.lstat(directory / name).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise _special_file(root, directory / name, stat.S_ISLNK(mode))
    return [name for name in names if name in left_out]


def _copy_regular(root: Path, src: str, dst: str) -> None:
    """copytree's ``copy_function``: copy a regular file through the registry's one safe
    read, which refuses what took its place since it was listed (a symlink, a FIFO)."""
    from accord.core.jsondoc import read_regular
    from accord.errors import DocumentError

    rel = Path(src).relative_to(root).as_posix()
    Path(dst).write_bytes(read_regular(src, display=rel, max_bytes=None, error=DocumentError))


# -- writing ------------------------------------------------------------------------------


def _refuse(message: str, code: str) -> Exception:
    from accord.errors import UsageError

    return UsageError(message, code=code)


def check_out(out: Path, registry_root: Path) -> Path:
    """The absolute ``out`` when ``accord site`` may (re)build it there.

    Raises:
        UsageError: ``site-out-not-directory`` (a file or symlink),
            ``site-out-hostile`` (the registry or a directory inside it, the working or
            home directory, an ancestor of any of them, a filesystem root or a top-level
            directory such as ``/etc`` or ``/tmp``), ``site-out-not-site`` (a non-empty directory
            without the marker).
    """
    from accord.core.jsondoc import check_out_dir

    shown = str(out)
    if not shown.strip() or "\x00" in shown:
        raise _refuse(f"--out {shown!r}: not a usable path", "site-out-hostile")
    target = Path(os.path.abspath(out))
    if os.path.islink(target):
        raise _refuse(
            f"--out {shown}: is a symlink; give a plain directory", "site-out-not-directory"
        )
    if target.exists() and not target.is_dir():
        raise _refuse(f"--out {shown}: is not a directory", "site-out-not-directory")
    real = Path(os.path.realpath(target))
    guarded = {
        "the registry": Path(os.path.realpath(registry_root)),
        "the working directory": Path(os.path.realpath(Path.cwd())),
        "the home directory": Path(os.path.realpath(Path.home())),
    }
    for what, path in guarded.items():
        if real == path or path.is_relative_to(real):
            raise _refuse(
                f"--out {shown}: is {what} or holds it; give a directory of its own (e.g. site/)",
                "site-out-hostile",
            )
    if real.is_relative_to(guarded["the registry"]):
        raise _refuse(f"--out {shown}: is inside the registry", "site-out-hostile")
    if len(real.parts) <= 2:  # "/", "/etc", "/tmp", "/home": never a site of its own
        raise _refuse(
            f"--out {shown}: is a filesystem root or a top-level directory", "site-out-hostile"
        )
    check_out_dir(target)
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise _refuse(
            f"--out {shown}: is a non-empty directory `accord site` did not build (no "
            f"{MARKER} marker); refusing to replace it",
            "site-out-not-site",
        )
    return target


def _write_tree(base: Path, files: Mapping[str, bytes]) -> None:
    for rel, data in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.chmod(path, 0o644)
    (base / MARKER).write_bytes(_MARKER_TEXT)


def build_site(
    registry: Registry, out: str | os.PathLike[str], *, progress: Progress | None = None
) -> SiteResult:
    """Render the site of ``registry`` and swap it in at ``out`` atomically (``progress``:
    see :func:`render_site`).

    Raises:
        UsageError: ``out`` is refused (see :func:`check_out`); nothing is written.
        AccordError: what :func:`render_site` raises; nothing is written.
    """
    from accord.core.jsondoc import path_argument
    from accord.registry.model import registry_argument

    registry = registry_argument(registry)
    target = check_out(path_argument(out, "out"), registry.root)
    files = render_site(registry, progress=progress)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
    old: Path | None = None
    try:
        os.chmod(scratch, 0o755)  # noqa: S103 - a website: readable by the web server
        _write_tree(scratch, files)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rmdir(old)
            os.rename(target, old)
        os.rename(scratch, target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        if old is not None and not target.exists():
            os.rename(old, target)
            old = None
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return SiteResult(target, (*sorted(files), MARKER))
