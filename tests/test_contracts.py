from pathlib import Path

from monitor.contracts import CONTRACTS_DIR, SOURCES, contracts


def test_every_source_has_a_contract_and_every_contract_a_source() -> None:
    files = {p.stem for p in Path(CONTRACTS_DIR).glob("*.yaml")}
    assert files == set(SOURCES)
    assert list(contracts()) == list(SOURCES)


def test_required_columns_and_person_columns_are_declared() -> None:
    for source, contract in contracts().items():
        required = [c.name for c in contract.columns if c.required]
        assert required, source
        assert contract.person.name in required, source
        assert contract.one_row_per, source
