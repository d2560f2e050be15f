"""The loader sorts versions and lock lines by ``(contract id, Version._key)``
(``_ORDER``, ``_LOCK_KEY``): tuples compared in C instead of ``Version`` objects
compared in Python. That is the same order only because ``_key`` is what the order
methods of ``Version`` compare and is equal exactly when the versions are."""

from __future__ import annotations

import random

from accord.registry import model
from accord.versions import Version

_IDENTIFIERS = ["alpha", "beta", "rc", "0", "1", "2", "10", "a-1", "B"]


def _versions(rng: random.Random, count: int) -> list[Version]:
    found = []
    for _ in range(count):
        pre = ".".join(rng.choice(_IDENTIFIERS) for _ in range(rng.randrange(0, 3)))
        text = f"{rng.randrange(3)}.{rng.randrange(12)}.{rng.randrange(3)}"
        found.append(Version.parse(f"{text}-{pre}" if pre else text))
    return found


def test_key_order_and_equality_are_the_versions() -> None:
    rng = random.Random(5)
    versions = _versions(rng, 300)
    for a, b in zip(versions, rng.sample(versions, len(versions)), strict=True):
        assert (a == b) == (a._key == b._key)
        assert (a < b) == (a._key < b._key)


def test_the_sort_keys_sort_as_contract_id_then_version() -> None:
    rng = random.Random(7)
    versions = _versions(rng, 400)
    ids = ["a.b", "a-x.c", "a.b-c", "z.y"]
    rows = [(rng.choice(ids), v, f"sha256:{i:064x}", i) for i, v in enumerate(versions)]
    lines = [model._LockLine(*row) for row in rows]
    expected = sorted(lines, key=lambda line: (line.contract_id, line.version))
    assert sorted(lines, key=model._LOCK_KEY) == expected
    built = [
        model._loaded_version(
            cid,
            v,
            f"/r/{cid}/{v}.schema.json",
            f"{cid}/{v}",
            b"{}",
            document={},
            yanked=None,
            digest=None,
        )
        for cid, v, _, _ in rows
    ]
    by_version = sorted(built, key=lambda cv: (cv.contract_id, cv.version))
    assert [id(v) for v in sorted(built, key=model._ORDER)] == [id(v) for v in by_version]
