"""Extract the public JSON Schema compatibility suites into tests/compat/suites/.

Each suite's schema pairs and its own labels are read from a snapshot of its
repository (a git directory: pass ``--mirror NAME=PATH``), turned into the shared case
format (``tests/compat/data/compat.json``: ``old``, ``new``, ``set`` labels per
direction, ``witnesses``), then adjudicated: accord runs on every case and, where its
verdict differs from the suite's label, the disagreement is settled by a payload the
reference validator (jsonschema-rs) accepts under one schema and rejects under the
other. Only test *data* is extracted (schemas, labels, example payloads), from suites
under Apache-2.0 or MIT, with the licence and a NOTICE kept beside it; no code.

Usage (from the repository root, with the snapshots fetched):

    python scripts/extract_suites.py --mirror jsoncompat=/path/ostrowr+jsoncompat/repo \\
        --mirror jsonsubschema=/path/IBM+jsonsubschema/repo

Suites and what their labels mean (all are set inclusion, per direction):

- ``apicurio`` (Apicurio/apicurio-registry, Apache-2.0): the JSON Schema
  ``compatibility-test-data.json``; ``backward`` (backward holds, forward does not),
  ``both``, ``none``. Apicurio's checker diffs keywords: each disagreement with set
  inclusion is adjudicated.

- ``jsoncompat`` (ostrowr/jsoncompat, MIT): ``tests/fixtures/backcompat/*``;
  ``deserializer`` = every OLD value is valid under NEW (backward), ``serializer`` =
  every NEW value is valid under OLD (forward); ``examples.json`` gives witnesses.
- ``jsonsubschema`` (IBM/jsonsubschema, Apache-2.0): ``test/*.py``;
  ``isSubschema(s1, s2)`` asserted true or false, read with :mod:`ast` from literal
  schemas (pairs built by code are left out). jsonsubschema reads draft-04: a schema
  using draft-04-only syntax (boolean ``exclusiveMinimum``/``exclusiveMaximum``,
  array-form ``items``) gets ``$schema`` draft-04, the dialect the suite means.
- ``sentry`` (getsentry/json-schema-diff, Apache-2.0 per its Cargo.toml):
  ``tests/fixtures/**`` (``lhs``/``rhs``) with the change lists of their insta
  snapshots; a pair is backward compatible when no change is breaking by the tool's
  ``is_breaking`` table (restated here as data). Its table is keyword-based: each
  disagreement with set inclusion is adjudicated.
- ``karapace`` (Aiven-Open/karapace, Apache-2.0):
  ``tests/unit/compatibility/jsonschema/test_jsonschema_compatibility.py`` with the
  schemas of ``tests/schemas/json_schemas.py``; ``compatibility(reader=R, writer=W)``
  asserted compatible or not, read with :mod:`ast` (loops over the schema tuples
  expanded). Karapace reads draft-07 (every schema gets that ``$schema``), and its labels
  follow its keyword table, not set inclusion: each disagreement is adjudicated.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "tests" / "compat" / "suites"
D4 = "http://json-schema.org/draft-04/schema#"

SOURCES = {
    "apicurio": ("https://github.com/Apicurio/apicurio-registry", "Apache-2.0", "LICENSE"),
    "jsoncompat": ("https://github.com/ostrowr/jsoncompat", "MIT", "LICENSE"),
    "jsonsubschema": ("https://github.com/IBM/jsonsubschema", "Apache-2.0", "LICENSE.txt"),
    "karapace": ("https://github.com/Aiven-Open/karapace", "Apache-2.0", "LICENSE"),
    # No LICENSE file: Cargo.toml declares Apache-2.0; its text is Karapace's LICENSE
    # (the same Apache License 2.0), given with --licence-text.
    "sentry": ("https://github.com/getsentry/json-schema-diff", "Apache-2.0", ""),
}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def _files(repo: Path, under: str) -> list[str]:
    return _git(repo, "ls-tree", "-r", "--name-only", "HEAD", under).split()


def _show(repo: Path, path: str) -> str:
    return _git(repo, "show", f"HEAD:{path}")


def _record(
    pairs: dict[str, dict[str, Any]],
    case_id: str,
    title: str,
    source: str,
    pair: tuple[Any, Any, bool],
) -> None:
    """Record "every ``old`` value is a ``new`` value: ``holds``" as the backward label
    of the pair, or the forward label of the pair seen the other way round."""
    old, new, holds = pair
    key = json.dumps([old, new], sort_keys=True)
    swapped = json.dumps([new, old], sort_keys=True)
    if key in pairs:
        pairs[key]["label"]["backward"] = holds
    elif swapped in pairs:
        pairs[swapped]["label"]["forward"] = holds
    else:
        pairs[key] = {
            "id": case_id,
            "title": title,
            "source": source,
            "old": old,
            "new": new,
            "label": {"backward": holds, "forward": None},
            "witnesses": {"old_only": [], "new_only": [], "both": []},
        }


def _numbered(cases: list[dict[str, Any]], *, first: bool) -> list[dict[str, Any]]:
    """One test may assert several pairs: ``#n`` after an id seen before (and after
    the first too when ``first``)."""
    seen: dict[str, int] = {}
    for case in cases:
        n = seen[case["id"]] = seen.get(case["id"], 0) + 1
        if first or n > 1:
            case["id"] += f"#{n}"
    return cases


# --- jsoncompat ----------------------------------------------------------------------


def jsoncompat(repo: Path) -> list[dict[str, Any]]:
    base = "tests/fixtures/backcompat"
    dirs = sorted({f.rsplit("/", 1)[0] for f in _files(repo, base) if f.endswith("expect.json")})
    cases = []
    for d in dirs:
        expect = json.loads(_show(repo, f"{d}/expect.json"))
        try:
            examples = json.loads(_show(repo, f"{d}/examples.json"))
        except subprocess.CalledProcessError:
            examples = {"old_only": [], "new_only": [], "both": []}
        name = d.rsplit("/", 1)[1]
        cases.append(
            {
                "id": f"jsoncompat/{name}",
                "title": name.replace("_", " "),
                "source": f"{d}/",
                "old": json.loads(_show(repo, f"{d}/old.json")),
                "new": json.loads(_show(repo, f"{d}/new.json")),
                "label": {"backward": expect["deserializer"], "forward": expect["serializer"]},
                **({"allowed_failure": True} if expect.get("allowed_failure") else {}),
                "witnesses": {k: examples.get(k, []) for k in ("old_only", "new_only", "both")},
            }
        )
    return cases


# --- jsonsubschema -------------------------------------------------------------------


def _literal(node: ast.AST, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name) and node.id in env:
        return env[node.id]
    return ast.literal_eval(node)


def _subschema_asserts(body: list[ast.stmt], env: dict[str, Any]) -> list[tuple[Any, Any, bool]]:
    found: list[tuple[Any, Any, bool]] = []
    for stmt in body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                try:
                    env[target.id] = _literal(stmt.value, env)
                except (ValueError, SyntaxError, TypeError):
                    env.pop(target.id, None)
        elif isinstance(stmt, ast.With):
            found += _subschema_asserts(stmt.body, env)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            func = call.func
            if not (
                isinstance(func, ast.Attribute)
                and func.attr in ("assertTrue", "assertFalse")
                and len(call.args) == 1
                and isinstance(call.args[0], ast.Call)
                and isinstance(call.args[0].func, ast.Name)
                and call.args[0].func.id == "isSubschema"
                and len(call.args[0].args) == 2
            ):
                continue
            try:
                s1, s2 = (_literal(a, env) for a in call.args[0].args)
            except (ValueError, SyntaxError, TypeError):
                continue
            found.append((s1, s2, func.attr == "assertTrue"))
    return found


def _draft_04_only(schema: Any) -> bool:
    if isinstance(schema, dict):
        if isinstance(schema.get("exclusiveMinimum"), bool) or isinstance(
            schema.get("exclusiveMaximum"), bool
        ):
            return True
        if isinstance(schema.get("items"), list):
            return True
        return any(_draft_04_only(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_draft_04_only(v) for v in schema)
    return False


def _dialect(schema: Any, draft_04: bool) -> Any:
    if draft_04 and isinstance(schema, dict) and "$schema" not in schema:
        return {"$schema": D4, **schema}
    return schema


def jsonsubschema(repo: Path) -> list[dict[str, Any]]:
    pairs: dict[str, dict[str, Any]] = {}
    for path in sorted(_files(repo, "test")):
        if not path.endswith(".py"):
            continue
        tree = ast.parse(_show(repo, path))
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef)):
                if not fn.name.startswith("test"):
                    continue
                for s1, s2, holds in _subschema_asserts(fn.body, {}):
                    draft_04 = _draft_04_only(s1) or _draft_04_only(s2)
                    old, new = _dialect(s1, draft_04), _dialect(s2, draft_04)
                    stem = path.rsplit("/", 1)[1].removesuffix(".py")
                    # isSubschema(s1, s2): every s1 value is an s2 value.
                    _record(
                        pairs,
                        f"jsonsubschema/{stem}/{cls.name}.{fn.name}",
                        f"{cls.name}.{fn.name}",
                        path,
                        (old, new, holds),
                    )
    return _numbered(list(pairs.values()), first=False)


# --- apicurio -----------------------------------------------------------------------

_APICURIO_LABELS = {
    "backward": (True, False),
    "both": (True, True),
    "none": (False, False),
}


def apicurio(repo: Path) -> list[dict[str, Any]]:
    path = (
        "schema-util/json/src/test/resources/io/apicurio/registry/rules/compatibility/"
        "jsonschema/compatibility-test-data.json"
    )
    cases = []
    seen: set[str] = set()
    for test in json.loads(_show(repo, path))["tests"]:
        if not test.get("enabled", True):
            continue
        backward, forward = _APICURIO_LABELS[test["compatibility"]]
        case_id = f"apicurio/{test['id']}"
        while case_id in seen:
            case_id += "'"
        seen.add(case_id)
        cases.append(
            {
                "id": case_id,
                "title": test["id"],
                "source": path,
                "old": test["original"],
                "new": test["updated"],
                # BACKWARD: NEW reads what OLD wrote; the executor asserts the pair of
                # results (backward only, both, none).
                "label": {"backward": backward, "forward": forward},
                "witnesses": {"old_only": [], "new_only": [], "both": []},
            }
        )
    return cases


# --- getsentry json-schema-diff ----------------------------------------------------

# Whether each change kind breaks (``ChangeKind::is_breaking`` in src/types.rs, restated
# as a table of facts about the labels: backward, "a reader on rhs rejects what lhs
# accepted"); a callable reads the change's own fields.
_SENTRY_BREAKING: dict[str, Any] = {
    "TypeAdd": False,
    "TypeRemove": True,
    "ConstAdd": True,
    "ConstRemove": False,
    "PropertyAdd": lambda f: f["lhs_additional_properties"] == "true",
    "PropertyRemove": lambda f: f["lhs_additional_properties"] != "true",
    "RangeAdd": True,
    "RangeRemove": False,
    "RangeChange": lambda f: _sentry_range_breaks(f["old_value"], f["new_value"]),
    "TupleToArray": False,
    "ArrayToTuple": True,
    "TupleChange": True,
    "RequiredRemove": False,
    "RequiredAdd": True,
    "FormatAdd": True,
    "FormatRemove": False,
    "FormatChange": True,
    "EnumAdd": lambda f: f["lhs_has_no_enum"] == "true",
    "EnumRemove": lambda f: f["rhs_has_no_enum"] != "true",
    "PatternAdd": True,
    "PatternRemove": False,
    "PatternChange": True,
    "MinLengthAdd": True,
    "MinLengthRemove": False,
    "MinLengthChange": lambda f: float(f["new_value"]) > float(f["old_value"]),
    "MaxLengthAdd": True,
    "MaxLengthRemove": False,
    "MaxLengthChange": lambda f: float(f["new_value"]) < float(f["old_value"]),
}


def _sentry_range_breaks(old: str, new: str) -> bool:
    (old_kind, old_v), (new_kind, new_v) = (
        (m.group(1), float(m.group(2)))
        for m in (re.match(r"(\w+)\(\s*([-\d.e+]+)", v) for v in (old, new))
        if m is not None
    )
    relaxes = {
        ("ExclusiveMinimum", "Minimum"): old_v >= new_v,
        ("ExclusiveMaximum", "Maximum"): old_v <= new_v,
        ("Minimum", "Minimum"): old_v >= new_v,
        ("ExclusiveMinimum", "ExclusiveMinimum"): old_v >= new_v,
        ("Maximum", "Maximum"): old_v <= new_v,
        ("ExclusiveMaximum", "ExclusiveMaximum"): old_v <= new_v,
    }
    return not relaxes.get((old_kind, new_kind), False)


def _sentry_changes(snapshot: str) -> list[tuple[str, dict[str, str]]]:
    body = snapshot.split("\n---\n", 2)[-1]
    changes = []
    for block in re.split(r"\n    Change \{", body)[1:]:
        kind = re.search(r"change: (\w+)", block)
        if kind is None:
            continue
        fields = dict(re.findall(r"(\w+): (true|false|-?[\d.]+),", block))
        for name in ("old_value", "new_value"):
            value = re.search(name + r": (\w+\(\s*[-\d.e+]+)", block)
            if value is not None:
                fields[name] = value.group(1)
        changes.append((kind.group(1), fields))
    return changes


def sentry(repo: Path) -> list[dict[str, Any]]:
    cases = []
    for path in sorted(_files(repo, "tests/fixtures")):
        if not path.endswith(".json"):
            continue
        fixture = json.loads(_show(repo, path))
        rel = path.removeprefix("tests/fixtures/")
        snap = "tests/snapshots/test__from_fixtures@" + rel.replace("/", "__") + ".snap"
        breaking = False
        for kind, fields in _sentry_changes(_show(repo, snap)):
            rule = _SENTRY_BREAKING[kind]
            breaking = breaking or (rule(fields) if callable(rule) else rule)
        cases.append(
            {
                "id": f"sentry/{rel.removesuffix('.json')}",
                "title": rel.removesuffix(".json").replace("/", ": ").replace("_", " "),
                "source": f"{path} ({snap})",
                "old": fixture["lhs"],
                "new": fixture["rhs"],
                # A breaking change: a reader on rhs rejects what lhs accepted.
                "label": {"backward": not breaking, "forward": None},
                "witnesses": {"old_only": [], "new_only": [], "both": []},
            }
        )
    return cases


# --- karapace -----------------------------------------------------------------------

D7 = "http://json-schema.org/draft-07/schema#"


def _karapace_schemas(source: str) -> dict[str, Any]:
    """``NAME = parse_jsonschema_definition('<json>')`` and tuples of such names."""
    env: dict[str, Any] = {}
    for stmt in ast.parse(source).body:
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name)):
            continue
        name, value = stmt.targets[0].id, stmt.value
        if isinstance(value, ast.Call) and len(value.args) == 1:
            schema = json.loads(ast.literal_eval(value.args[0]))
            # Karapace reads every schema as draft-07 (Draft7Validator).
            env[name] = {"$schema": D7, **schema} if isinstance(schema, dict) else schema
        elif isinstance(value, ast.Tuple | ast.List):
            env[name] = [env[e.id] for e in value.elts if isinstance(e, ast.Name)]
    return env


def _karapace_eval(node: ast.AST, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _karapace_eval(node.left, env) + _karapace_eval(node.right, env)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = _karapace_eval(node.left, env), _karapace_eval(node.comparators[0], env)
        if isinstance(node.ops[0], ast.Eq):
            return left == right
        if isinstance(node.ops[0], ast.NotEq):
            return left != right
    raise ValueError(ast.dump(node))


def _karapace_calls(body: list[ast.stmt], env: dict[str, Any]) -> list[tuple[Any, Any, bool]]:
    found: list[tuple[Any, Any, bool]] = []
    for stmt in body:
        if isinstance(stmt, ast.For) and isinstance(stmt.target, ast.Name):
            for item in _karapace_eval(stmt.iter, env):
                found += _karapace_calls(stmt.body, {**env, stmt.target.id: item})
        elif isinstance(stmt, ast.If):
            branch = stmt.body if _karapace_eval(stmt.test, env) else stmt.orelse
            found += _karapace_calls(branch, env)
        elif (
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Name)
            and stmt.value.func.id in ("schemas_are_compatible", "not_schemas_are_compatible")
        ):
            kw = {k.arg: k.value for k in stmt.value.keywords}
            reader, writer = _karapace_eval(kw["reader"], env), _karapace_eval(kw["writer"], env)
            found.append((writer, reader, stmt.value.func.id == "schemas_are_compatible"))
    return found


def karapace(repo: Path) -> list[dict[str, Any]]:
    env = _karapace_schemas(_show(repo, "tests/schemas/json_schemas.py"))
    path = "tests/unit/compatibility/jsonschema/test_jsonschema_compatibility.py"
    tree = ast.parse(_show(repo, path))
    pairs: dict[str, dict[str, Any]] = {}
    for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        if not fn.name.startswith("test"):
            continue
        for writer, reader, holds in _karapace_calls(fn.body, env):
            # compatibility(reader=NEW, writer=OLD): every OLD value is read by NEW.
            _record(
                pairs,
                f"karapace/{fn.name}",
                fn.name.replace("_", " "),
                path,
                (writer, reader, holds),
            )
    return _numbered(list(pairs.values()), first=True)


# --- adjudication --------------------------------------------------------------------


def accord_answer(old: Any, new: Any) -> dict[str, Any]:
    """accord's answer, as ``accord.diff`` reads its inputs (set semantics): refused
    (the code), or per direction holds (None: unproven), witness and reason."""
    from accord.compat._engine import compare
    from accord.errors import SchemaError
    from accord.validation.dialect import fold_dependencies, normalize, unnormalised_assertion
    from accord.validation.offline import rs_metaschema_error

    # What ``accord.diff(old_schema=, new_schema=)`` refuses as invalid input: a dialect
    # accord does not read, a schema jsonschema-rs will not compile under its declared
    # dialect, a document normalisation refuses. (``accord diff`` on files also refuses
    # what ``accord lint`` calls errors, unknown keywords among them.)
    for schema in (old, new):
        try:
            normalize(schema)
        except SchemaError as exc:
            return {"refused": exc.code}
        if rs_metaschema_error(schema) is not None:
            return {"refused": "schema-invalid"}
    result = compare(
        fold_dependencies(normalize(old)), fold_dependencies(normalize(new)), semantics="set"
    )
    out: dict[str, Any] = {}
    # As accord.diff: nothing is claimed while the declared dialect asserts a keyword
    # the normalised form cannot express (draft-06/07 content keywords).
    blind = unnormalised_assertion(old) or unnormalised_assertion(new)
    for direction in ("backward", "forward"):
        verdict = getattr(result, direction)
        out[direction] = {
            "holds": None if blind and verdict.holds is True else verdict.holds,
            "witness": verdict.witness if verdict.has_witness else None,
            "reason": verdict.reason,
        }
    return out


def _breaks(writer: Any, reader: Any, payload: Any) -> bool:
    """Accepted by ``writer`` and rejected by ``reader``, both read *as written* by the
    reference in their declared dialect (the suites' own meaning)."""
    from accord.validation.reference import is_valid_declared

    return is_valid_declared(writer, payload) and not is_valid_declared(reader, payload)


def _search_witness(writer: Any, reader: Any) -> list[Any]:
    """A payload that breaks writer -> reader, from simple values and the generator."""
    from accord.payloads import generate
    from accord.validation.dialect import fold_dependencies, normalize

    candidates: list[Any] = [None, True, 0, 0.5, "", "a", "!!", "{", [], {}]
    norm_writer = fold_dependencies(normalize(writer))
    norm_reader = fold_dependencies(normalize(reader))
    candidates += generate.valid_payloads(norm_writer, n=60, seed=7)
    candidates += [m.payload for m in generate.invalid_payloads(norm_reader, n=60, seed=7)]
    return [p for p in candidates if _breaks(writer, reader, p)][:1]


def adjudicate(case: dict[str, Any]) -> dict[str, Any]:
    """Fill ``set`` (the adjudicated truth), ``accord`` and ``adjudication``."""
    from accord.validation.reference import is_valid_declared

    answer = accord_answer(case["old"], case["new"])
    if "refused" in answer:
        case["accord"] = {"refused": answer["refused"]}
        case["set"] = {"backward": None, "forward": None}
        case["adjudication"] = (
            f"accord refuses the input ({answer['refused']}): invalid under its declared "
            "(or the default, 2020-12) dialect"
        )
        return case
    old, new = case["old"], case["new"]
    notes = []
    truth: dict[str, bool | None] = {}
    accord: dict[str, bool | None] = {}
    w = case["witnesses"]
    for direction, writer, reader, listed in (
        ("backward", old, new, "old_only"),
        ("forward", new, old, "new_only"),
    ):
        verdict = answer[direction]
        accord[direction] = verdict["holds"]
        label = case["label"][direction]
        breaking = [p for p in w[listed] if _breaks(writer, reader, p)]
        if verdict["witness"] is not None:
            payload = verdict["witness"]
            if _breaks(writer, reader, payload):
                if payload not in w[listed]:
                    w[listed].append(payload)
                breaking = breaking or [payload]
        if not breaking and (label is False or verdict["holds"] is not True):
            breaking = _search_witness(writer, reader)
            if breaking:
                w[listed].append(breaking[0])
        if breaking:
            truth[direction] = False
            if label is True:
                side = "old" if direction == "backward" else "new"
                notes.append(
                    f"{direction}: the suite says it holds; the reference accepts "
                    f"{json.dumps(breaking[0])} under the {side} schema and rejects it "
                    "under the other"
                )
            if verdict["holds"] is True:
                notes.append(f"{direction}: UNSOUND: accord proves it, a witness breaks it")
        elif verdict["holds"] is True and label is not None:
            truth[direction] = True
            if label is False:
                notes.append(
                    f"{direction}: the suite says it breaks (its keyword table); accord proves "
                    "inclusion and no generated payload breaks it"
                )
        else:
            truth[direction] = label
    # Witnesses listed by the suite must behave as stated under the reference.
    w["old_only"] = [p for p in w["old_only"] if _breaks(old, new, p)]
    w["new_only"] = [p for p in w["new_only"] if _breaks(new, old, p)]
    w["both"] = [p for p in w["both"] if is_valid_declared(old, p) and is_valid_declared(new, p)]
    case["set"] = truth
    case["accord"] = accord
    if notes:
        case["adjudication"] = "; ".join(notes)
    return case


EXTRACTORS = {
    "apicurio": apicurio,
    "jsoncompat": jsoncompat,
    "jsonsubschema": jsonsubschema,
    "karapace": karapace,
    "sentry": sentry,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", action="append", default=[], metavar="SUITE=GITDIR")
    parser.add_argument(
        "--licence-text",
        type=Path,
        help="the licence text for a suite whose repository has no LICENSE file",
    )
    args = parser.parse_args(argv)
    for item in args.mirror:
        suite, _, gitdir = item.partition("=")
        repo = Path(gitdir)
        url, licence, licence_file = SOURCES[suite]
        commit = _git(repo, "rev-parse", "HEAD").strip()
        cases = [adjudicate(c) for c in EXTRACTORS[suite](repo)]
        OUT.mkdir(parents=True, exist_ok=True)
        document = {
            "about": {
                "suite": suite,
                "source": url,
                "commit": commit,
                "licence": licence,
                "extracted_by": "scripts/extract_suites.py",
                "labels": "label: the suite's own answer per direction (backward: every OLD "
                "payload is valid under NEW; forward: every NEW payload is valid under OLD; "
                "null: the suite does not say); set: the adjudicated truth under the reference "
                "validator (a listed witness decides a break); accord: accord's answer when "
                "extracted (true proven, false refuted, null unproven)",
            },
            "cases": cases,
        }
        (OUT / f"{suite}.json").write_text(
            json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        text = (
            _show(repo, licence_file)
            if licence_file
            else args.licence_text.read_text(encoding="utf-8")
        )
        (OUT / f"{suite}.LICENSE").write_text(text, encoding="utf-8")
        (OUT / f"{suite}.NOTICE").write_text(
            f"The schema pairs, labels and example payloads in {suite}.json are test data\n"
            f"from {url} (commit {commit}),\nlicensed under {licence} (see {suite}.LICENSE "
            "beside this file).\nThey were extracted and reformatted (no code was copied) by\n"
            "scripts/extract_suites.py; the 'set', 'accord', 'adjudication' fields and any\n"
            "witness payloads not in the original are accord's own.\n"
            + (
                ""
                if licence_file
                else "The repository has no LICENSE file; its Cargo.toml declares "
                f"{licence}, whose text is {suite}.LICENSE.\n"
            ),
            encoding="utf-8",
        )
        print(f"{suite}: {len(cases)} cases -> {(OUT / suite).relative_to(ROOT)}.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
