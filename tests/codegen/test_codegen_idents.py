"""Identifier encodings: case table and injectivity (round trips) for codegen."""

from __future__ import annotations

import keyword

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.codegen._idents import (
    class_name,
    field_attr,
    field_name_of,
    name_ident,
    name_of_ident,
    version_ident,
    version_of_ident,
)


@pytest.mark.parametrize(
    ("version", "ident"),
    [
        ("1.0.0", "v1_0_0"),
        ("10.20.30", "v10_20_30"),
        ("1.0.0-rc.1", "v1_0_0_rc_1"),
        ("1.0.0-rc-1", "v1_0_0__72632d31"),
        ("1.0.0-RC.1", "v1_0_0__52432e31"),
        ("1.0.0-1", "v1_0_0_1"),
        ("1.0.0-0.3.7", "v1_0_0_0_3_7"),
        ("1.0.0-x.7.z.92", "v1_0_0_x_7_z_92"),
    ],
    ids=lambda v: v,
)
def test_version_ident_table(version: str, ident: str) -> None:
    assert version_ident(version) == ident
    assert ident.isidentifier()
    assert version_of_ident(ident) == version


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("order-placed", "order_placed"),
        ("money", "money"),
        ("class", "class_"),
        ("import", "import_"),
        ("a1-b2-c3", "a1_b2_c3"),
        ("none", "none"),
        ("match", "match"),
    ],
    ids=lambda v: v,
)
def test_name_ident_table(name: str, ident: str) -> None:
    assert name_ident(name) == ident
    assert name_of_ident(ident) == name


@pytest.mark.parametrize(
    ("name", "cls"),
    [("order-placed", "OrderPlaced"), ("none", "None_"), ("true", "True_"), ("x2-y", "X2Y")],
)
def test_class_name(name: str, cls: str) -> None:
    assert class_name(name) == cls
    assert cls.isidentifier()
    assert not keyword.iskeyword(cls)


@pytest.mark.parametrize(
    ("json_name", "attr"),
    [
        ("order_id", "order_id"),
        ("orderId", "orderId"),
        ("class", "class_"),
        ("str", "str_"),
        ("json", "json_"),
        ("model_config", "f_model_config__6d6f64656c5f636f6e666967"),
        ("a-b", "a_b__612d62"),
        ("a_b", "a_b"),
        ("a__b", "a_b__615f5f62"),
        ("_private", "private__5f70726976617465"),
        ("__init__", "init__5f5f696e69745f5f"),
        ("1st", "f_1st__317374"),
        ("Name", "f_Name__4e616d65"),
        ("", "f__"),
        ("é", "f__c3a9"),
    ],
    ids=repr,
)
def test_field_attr_table(json_name: str, attr: str) -> None:
    assert field_attr(json_name) == attr
    assert attr.isidentifier()
    assert not keyword.iskeyword(attr)
    assert not attr.startswith("_")
    assert field_name_of(attr) == json_name


_pre_ident = st.text(alphabet="abcXYZ019-", min_size=1, max_size=5).filter(
    lambda s: not (s.isdigit() and len(s) > 1 and s.startswith("0"))
)
_versions = st.builds(
    lambda a, b, c, pre: f"{a}.{b}.{c}" + (f"-{'.'.join(pre)}" if pre else ""),
    st.integers(0, 30),
    st.integers(0, 30),
    st.integers(0, 30),
    st.lists(_pre_ident, max_size=3),
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_versions)
def test_version_ident_round_trips(version: str) -> None:
    ident = version_ident(version)
    assert ident.isidentifier()
    assert version_of_ident(ident) == version


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(_versions, min_size=2, max_size=6, unique=True))
def test_version_ident_is_injective(versions: list[str]) -> None:
    assert len({version_ident(v) for v in versions}) == len(versions)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=12))
@example("model:")  # base "model": the attribute was model__6d6f..., pydantic's namespace
@example("model")
def test_field_attr_round_trips(name: str) -> None:
    attr = field_attr(name)
    assert attr.isidentifier()
    assert not keyword.iskeyword(attr)
    assert not attr.startswith(("_", "model_"))
    assert field_name_of(attr) == name


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4}){0,2}", fullmatch=True))
def test_name_ident_round_trips(name: str) -> None:
    ident = name_ident(name)
    assert ident.isidentifier()
    assert not keyword.iskeyword(ident)
    assert name_of_ident(ident) == name
