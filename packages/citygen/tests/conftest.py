"""Small synthetic cities shared by the generator tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from citygen import generate_city

from .gen_readers import AS_OF, City, load_city


@pytest.fixture(scope="session")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city1500")
    generate_city(out, people=1500, seed=11, as_of=AS_OF)
    return out


@pytest.fixture(scope="session")
def city_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city3000")
    generate_city(out, people=3000, seed=20261115, as_of=AS_OF)
    return out


@pytest.fixture(scope="session")
def small(small_dir: Path) -> City:
    return load_city(small_dir)


@pytest.fixture(scope="session")
def city(city_dir: Path) -> City:
    return load_city(city_dir)
