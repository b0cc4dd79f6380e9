"""An operator's files: the command's option, then $MONITOR_HOME/<kind>/, then the packaged
defaults; an error names every place searched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from monitor.errors import PolicyError, ResourceNotFoundError
from monitor.policy import default_policy_path
from monitor.resources import find, packaged


def test_packaged_defaults_without_a_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONITOR_HOME", raising=False)
    assert find("config", "city.yaml") == packaged("config", "city.yaml")
    assert default_policy_path(dt.date(2026, 11, 15)) == packaged("policy", "2026.yaml")


def test_the_deployment_folder_comes_before_the_packaged_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "policy").mkdir()
    own = tmp_path / "policy" / "2026.yaml"
    own.write_text(packaged("policy", "2026.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("MONITOR_HOME", str(tmp_path))
    assert default_policy_path(dt.date(2026, 11, 15)) == own
    # a kind the deployment does not override falls back to the package
    assert find("config", "linkage.yaml") == packaged("config", "linkage.yaml")
    # the option wins over both
    given = tmp_path / "mine.yaml"
    given.write_text("x", encoding="utf-8")
    assert find("policy", "2026.yaml", given) == given


def test_a_missing_file_names_every_place_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_HOME", str(tmp_path))
    with pytest.raises(PolicyError) as err:
        default_policy_path(dt.date(2031, 1, 5))
    message = str(err.value)
    assert str(tmp_path / "policy" / "2031.yaml") in message
    assert str(packaged("policy", "2031.yaml")) in message and "--policy FILE" in message
    with pytest.raises(ResourceNotFoundError, match=r"nowhere\.yaml"):
        find("config", "city.yaml", tmp_path / "nowhere.yaml")
