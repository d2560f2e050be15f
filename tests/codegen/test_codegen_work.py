"""How much work a full codegen run does: counted, not timed.

One generator call per version, one parse of each module for every check, each distinct
pattern probed once per run (and nothing memoised outside a run), and the generator's
quotes exactly as its own ``use_double_quotes``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.codegen import _render, generate_package
from accord.errors import CodegenError
from accord.registry.model import Registry
from accord.validation import backends, probe

PATTERNED = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "kind": {"enum": ["a", "b's"]},
        "id": {"type": "string", "pattern": "^[a-z]+-[0-9]{2}$"},
    },
}


def _registry(root: Path, count: int) -> Registry:
    lock = []
    for i in range(count):
        directory = root / "ns" / f"c{i}"
        directory.mkdir(parents=True)
        (directory / "contract.toml").write_text('owner = "t"\nkind = "event"\n')
        raw = json.dumps(
            {"$schema": "https://json-schema.org/draft/2020-12/schema", **PATTERNED}
        ).encode()
        (directory / "1.0.0.schema.json").write_bytes(raw)
        lock.append(f"ns.c{i} 1.0.0 sha256:{hashlib.sha256(raw).hexdigest()}\n")
    (root / "accord.lock").write_text("".join(sorted(lock)))
    return Registry.load(root)


def _count(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Any]:
    calls: list[Any] = []
    real = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_full_run_does_each_piece_of_work_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = _registry(tmp_path / "contracts", 4)
    generated = _count(monkeypatch, _render, "_generate")
    parsed = _count(monkeypatch, _render, "parse_source")
    probed = _count(monkeypatch, probe, "pattern_disagreement")
    result = generate_package(registry, tmp_path / "out")
    assert len(result.regenerated) == 4
    assert len(generated) == 4  # one generator call per version
    assert len(parsed) == 4  # one parse per model module, for both checks
    assert sorted(args[0] for args in probed) == ["^[A-Z]{3}$", "^[a-z]+-[0-9]{2}$"]
    # outside a run nothing is memoised: the probe answers for the reference installed now
    backends.fast_refusals(PATTERNED)
    backends.fast_refusals(PATTERNED)
    assert len(probed) == 2 + 2 * 2


def test_the_quotes_are_the_generators_own_double_quotes(tmp_path: Path) -> None:
    registry = _registry(tmp_path / "contracts", 1)
    version = next(iter(registry.versions()))
    text = _render.render_version(
        registry.bundle(version),
        contract_id="ns.c0",
        name="c0",
        version="1.0.0",
        source=version.file,
        digest=version.digest,
        package="accord_models",
    )
    assert 'Literal["a", "b\'s"]' in text
    assert "'a'" not in text
    # the same text as the generator's own use_double_quotes=True
    prepared = _render.prepare(registry.bundle(version), file=version.file)
    from datamodel_code_generator import generate

    from accord.codegen._prepare import Prepared

    assert isinstance(prepared, Prepared)
    own = _own_double_quotes(generate, prepared)
    assert _render._body(own) in text


def _own_double_quotes(generate: Any, prepared: Any) -> str:
    output = generate(
        prepared.schema,
        **_render.generator_options(double_quotes=True),
        class_name="C0",
        aliases=prepared.aliases or None,
        custom_file_header="# accord",
    )
    assert isinstance(output, str)
    return output


def test_a_generator_without_the_private_quote_step_is_asked_for_double_quotes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The quote step is a private function of the pinned generator: a release without it
    # must give the same module (the generator's own use_double_quotes), not an ImportError.
    registry = _registry(tmp_path / "contracts", 1)
    version = next(iter(registry.versions()))

    def render() -> str:
        return _render.render_version(
            registry.bundle(version),
            contract_id="ns.c0",
            name="c0",
            version="1.0.0",
            source=version.file,
            digest=version.digest,
            package="accord_models",
        )

    fast = render()
    monkeypatch.setattr(_render, "_quote_normaliser", lambda: None)
    assert render() == fast


# Pieces of generated-looking Python, each of the tokenizer's edge cases among them.
_PIECES = st.sampled_from(
    ["'", '"', "\\", "#", "\n", " ", "    ", "\n    ", "\n        ", "\t", "\f", "\r",
     "\\\n", "'''", '""', "''", "a", "r", "f", "b", "é", "1", "(", ")", "[", "]", ":",
     ",", "x = ", "class B(A):\n    x: int = 1\n", "if x:\n", "\n# c's\n", "  # 'q'\n",
     "Literal['a', \"b\"]", "'x\\''", "'y\\\\'", "\x0b", "\u2028"]
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_the_plain_quote_step_writes_what_the_generators_tokenizer_writes(text: str) -> None:
    from datamodel_code_generator._builtin_formatter import _normalize_string_quotes

    plain = _render._plain_double_quotes(text)
    if plain is None:
        return  # left to the tokenizer
    try:
        expected = _normalize_string_quotes(text)
    except Exception:  # noqa: BLE001 - does not tokenize: render_version asks the tokenizer
        return
    assert plain == expected


# _LEXEME as first written, each quote's "no prefix" test looking back from the quote.
_LEXEME_LOOKING_BACK_FROM_THE_QUOTE = re.compile(
    r"#[^\n]*"
    r"|(?<!\w)'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    r'|(?<!\w)"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|['\"]"
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_the_lexeme_scan_finds_what_the_look_back_from_the_quote_finds(text: str) -> None:
    # _LEXEME's branches each start with a literal (so the engine skips ahead to the
    # next candidate); it must find the same tokens at the same places.
    def tokens(pattern: re.Pattern[str]) -> list[tuple[int, str]]:
        return [(m.start(), m.group()) for m in pattern.finditer(text)]

    assert tokens(_render._LEXEME) == tokens(_LEXEME_LOOKING_BACK_FROM_THE_QUOTE)


def test_a_run_quotes_generated_modules_without_the_tokenizer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = _registry(tmp_path / "contracts", 2)
    tokenized = _count(monkeypatch, _render, "_tokenized_double_quotes")
    result = generate_package(registry, tmp_path / "out")
    assert len(result.regenerated) == 2
    assert tokenized == []
    module = tmp_path / "out" / result.regenerated[0]
    assert 'Literal["a", "b\'s"]' in module.read_text(encoding="utf-8")


def test_a_module_that_does_not_tokenize_is_refused_by_the_tokenizer_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The plain quote step passes an unclosed bracket on; the error is still the one the
    # generator's own (tokenizing) step raises, ahead of the parse.
    registry = _registry(tmp_path / "contracts", 1)
    broken = "# accord\nfrom __future__ import annotations\n\nX = ('a',\n"
    monkeypatch.setattr(_render, "_generate", lambda *args, **kwargs: broken)
    with pytest.raises(CodegenError, match="does not tokenize") as caught:
        generate_package(registry, tmp_path / "out")
    assert caught.value.code == "codegen-failed"


def test_fields_whose_source_never_spells_alias_are_not_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = _registry(tmp_path / "contracts", 1)
    walked = _count(monkeypatch, _render.ast, "walk")
    generate_package(registry, tmp_path / "out")
    # (the fast validator's functions are walked by its own safety check)
    assert [node for (node,) in walked if isinstance(node, _render.ast.AnnAssign)] == []


@pytest.mark.parametrize(
    ("source", "alias"),
    [
        ("x: Annotated[int, Field(ge=1)]", None),
        ("x_y: Annotated[int, Field(alias='x-y')]", "x-y"),
        ("x_y: Annotated[\n    int,\n    Field(\n        alias='x-y',\n    ),\n]", "x-y"),
        # a keyword's name is normalised (NFKC): a full-width a (U+FF41) in "alias" is still alias
        ("x_y: Annotated[int, Field(\uff41lias='x-y')]", "x-y"),
        ("x: Annotated[int, Field(description='an alias')]", None),
    ],
    ids=["none", "alias", "multi-line", "normalised-keyword", "alias-in-a-string"],
)
def test_the_alias_of_a_field(source: str, alias: str | None) -> None:
    import ast

    text = f"class A(BaseModel):\n    pass\n\n\nclass B(BaseModel):\n{_indent(source)}\n"
    tree = ast.parse(text)
    stmt = tree.body[1].body[0]  # type: ignore[attr-defined]
    assert _render._alias_of(stmt, text.split("\n")) == alias
    assert _render._alias_of(stmt, None) == alias


def _indent(source: str) -> str:
    return "\n".join("    " + line for line in source.split("\n"))


def test_a_run_creates_each_directory_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = _registry(tmp_path / "contracts", 3)
    made = _count(monkeypatch, Path, "mkdir")
    result = generate_package(registry, tmp_path / "out")
    created = [args[0] for args in made]
    assert len(created) == len(set(created))
    assert {p.parent for p in (tmp_path / "out").rglob("*") if p.is_file()} <= set(created)
    assert len(result.written) > len(created)
