"""The generator's own sources and headers against the pipeline's contracts.

citygen (packages/citygen) keeps its own list of sources and its own header names on purpose:
it is the other side the pipeline is tested against and does not read data_contracts/. This
is where the two sides meet: a header the generator writes that no contract knows, or a
required contract column the generator never produces, is a drift one side has to follow.
"""

from __future__ import annotations

import pytest

from citygen.files import SCHEMAS, SOURCES
from monitor.contracts import SOURCES as CONTRACT_SOURCES
from monitor.contracts import Contract, contracts


def test_the_same_sources_in_the_same_order() -> None:
    assert SOURCES == CONTRACT_SOURCES == tuple(contracts())
    assert tuple(SCHEMAS) == SOURCES


def _columns_by_header(contract: Contract) -> dict[str, set[str]]:
    """Header name (a column's label or one of its aliases) -> the contract columns it names."""
    named: dict[str, set[str]] = {}
    for column in contract.columns:
        for header in (column.label, *column.aliases):
            named.setdefault(header, set()).add(column.name)
    return named


@pytest.mark.parametrize("source", SOURCES)
def test_every_generator_header_is_a_label_or_alias_of_one_contract_column(source: str) -> None:
    named = _columns_by_header(contracts()[source])
    unknown = [h for _, _, headers in SCHEMAS[source] for h in headers if h not in named]
    assert not unknown, f"{source}: headers no contract column has as label or alias: {unknown}"
    for canonical, _, headers in SCHEMAS[source]:
        columns = set().union(*(named[h] for h in headers))
        assert len(columns) == 1, (
            f"{source}: the generator's column {canonical} (headers {headers}) reads as the"
            f" contract columns {sorted(columns)}"
        )


@pytest.mark.parametrize("source", SOURCES)
def test_every_required_contract_column_is_produced(source: str) -> None:
    contract = contracts()[source]
    named = _columns_by_header(contract)
    produced = {c for _, _, headers in SCHEMAS[source] for h in headers for c in named.get(h, ())}
    missing = [c.name for c in contract.columns if c.required and c.name not in produced]
    assert not missing, f"{source}: required contract columns the generator never writes: {missing}"
