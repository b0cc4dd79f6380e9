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


def test_a_column_name_that_is_not_a_plain_identifier_is_refused(tmp_path: Path) -> None:
    """Source and column names become the state's table and column names in SQL: a name with
    anything but lower-case letters, digits and _ is refused when the contract loads."""
    import pytest
    import yaml

    from monitor.contracts import load_contract
    from monitor.errors import ContractError

    data = yaml.safe_load((Path(CONTRACTS_DIR) / "hr.yaml").read_text(encoding="utf-8"))
    load_contract(_write(tmp_path / "ok.yaml", data))
    data["columns"][0]["name"] = "person_name; drop table runs"
    data["person"]["name"] = data["columns"][0]["name"]
    with pytest.raises(ContractError, match="lower-case letters"):
        load_contract(_write(tmp_path / "bad.yaml", data))


def _write(path: Path, data: object) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_source_is_named_by_its_code_or_label_and_a_near_miss_finds_it() -> None:
    from monitor.contracts import closest_source, source_named

    assert source_named("hr") == source_named("人社就业参保") == "hr"
    assert source_named("人社") is None
    assert closest_source("医保") == "medical_insurance"  # a department's short name
    assert closest_source("人社局") == "hr"
    assert closest_source("hotlines") == "hotline"  # a typo
    assert closest_source("杂项") is None and closest_source("xyz") is None
