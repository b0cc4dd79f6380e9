"""docs/policy.md's clause table agrees with the signal registry and the policy model: one row
per code, naming the plan clause, the registry's model and exactly its policy parameters, each
a parameter the policy model has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.policy import POLICY_DIR, Policy, load_policy
from monitor.signals import CATALOG

DOC = Path(__file__).resolve().parents[1] / "docs" / "policy.md"
ROW = re.compile(r"^\| `([A-Z_]+)` \|(.*)\|\s*$")


def clause_rows() -> dict[str, list[str]]:
    """code -> the cells after it (plan clause, rule, model, parameters)."""
    out: dict[str, list[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            code, rest = match.groups()
            assert code not in out, f"{code}: two rows in docs/policy.md"
            out[code] = [cell.strip() for cell in rest.split("|")]
    return out


def named_parameters(cell: str, known: set[str]) -> set[str]:
    """The parameters a row names (`schooling_cost_*` = every schooling_cost_ parameter)."""
    names: set[str] = set()
    for token in re.findall(r"`([^`]+)`", cell):
        if token.endswith("*"):
            expanded = {k for k in known if k.startswith(token[:-1])}
            assert expanded, f"{token} matches no parameter of the policy model"
            names |= expanded
        else:
            names.add(token)
    return names


def known_parameters() -> set[str]:
    """The SQL parameters of the policy (Policy.params) and its other top-level keys."""
    params = set(load_policy(POLICY_DIR / "2026.yaml")[0].params())
    return params | set(Policy.model_fields)


def test_every_registry_code_has_one_row_and_every_row_a_code() -> None:
    rows = clause_rows()
    assert sorted(set(CATALOG) - set(rows)) == [], "codes without a row in docs/policy.md"
    assert sorted(set(rows) - set(CATALOG)) == [], "rows of docs/policy.md for no code"


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_a_row_names_its_clause_model_and_the_registry_parameters(code: str) -> None:
    cells = clause_rows().get(code)
    assert cells is not None and len(cells) == 4, (code, cells)
    clause, rule, model, parameters = cells
    assert re.search(r"§[二三]\([一二三四五六七八九]\)", clause), (code, clause)
    assert re.search(r"[\u4e00-\u9fff]", clause), f"{code}: quote the plan's words"
    assert rule, code
    signal = CATALOG[code]
    assert model == f"`{signal.model}`", (code, model, signal.model)
    known = known_parameters()
    named = named_parameters(parameters, known) if parameters != "—" else set()
    assert not named - known, f"{code}: the policy model has no {sorted(named - known)}"
    assert named == set(signal.policy_keys), (code, sorted(named), sorted(signal.policy_keys))


def test_a_row_naming_an_unknown_parameter_fails() -> None:
    # the check itself: a parameter the policy model lacks is caught
    known = known_parameters()
    assert named_parameters("`care_age`, `schooling_cost_*`", known) >= {
        "care_age",
        "schooling_cost_senior",
    }
    assert "care_years" not in known and "care_years" in named_parameters("`care_years`", known)
