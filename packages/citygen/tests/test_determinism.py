"""The same (people, seed, as_of) gives byte-identical files; another seed does not."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from citygen import generate_city

from .gen_readers import AS_OF


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes(small_dir: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_city(again, people=1500, seed=11, as_of=AS_OF)
    first, second = _hashes(small_dir), _hashes(again)
    assert first == second
    assert any(name.endswith(".xlsx") for name in first)


def test_min_per_tier_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        generate_city(out, people=1500, seed=11, as_of=AS_OF, min_per_tier=3)
    assert _hashes(first) == _hashes(second)
    manifest = json.loads((first / "truth" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["min_per_tier"] == 3


def test_other_seed_other_bytes(small_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate_city(other, people=1500, seed=12, as_of=AS_OF)
    first, second = _hashes(small_dir), _hashes(other)
    common = set(first) & set(second)
    assert common
    assert all(first[name] != second[name] for name in common if name.startswith("input/"))


def test_manifest_lists_every_file(small_dir: Path) -> None:
    manifest = json.loads((small_dir / "truth" / "manifest.json").read_text(encoding="utf-8"))
    hashes = _hashes(small_dir)
    hashes.pop("truth/manifest.json")
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed == hashes
    assert [f["path"] for f in manifest["files"]] == sorted(listed)
    assert manifest["seed"] == 11 and manifest["people"] == 1500
    assert set(manifest["records"]) == {
        "roster", "education", "hr", "housing", "health", "medical_insurance",
        "emergency", "rural", "disability", "hotline", "grid",
    }  # fmt: skip


def test_rerun_replaces_previous_output(small_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "rerun"
    generate_city(out, people=1500, seed=11, as_of=AS_OF)
    stale = out / "input" / "roster" / "stale.csv"
    stale.write_text("x", encoding="utf-8")
    summary = generate_city(out, people=1500, seed=11, as_of=AS_OF)
    assert not stale.exists()
    assert "roster" in summary and "Wall time" in summary


def test_rejects_tiny_cities(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="people"):
        generate_city(tmp_path, people=10, seed=1, as_of=AS_OF)
