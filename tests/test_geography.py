"""The city's reference list of counties and townships (config/city.yaml) is validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import GeographyError
from monitor.geography import load_city


def test_the_shipped_list_loads_with_every_former_code_mapped() -> None:
    city = load_city()
    counties = city.county_table()
    assert dict(zip(counties["code"], counties["county"], strict=True))["342323"] == "341103"
    assert "琅琊街道" in city.township_table()["township"].to_list()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("counties:\n  - {code: '341102', name: 琅琊区, townships: [甲镇]}\n"
         "  - {code: '341103', name: 南谯区, townships: [甲镇]}\n", "township 甲镇 in both"),
        ("counties:\n  - {code: '34110', name: 琅琊区, townships: [甲镇]}\n", "code"),
        ("counties:\n  - {code: '341102', name: 琅琊区, townships: [甲镇]}\n"
         "former_codes: {'342323': '999999'}\n", "former_codes 342323"),
    ],
)  # fmt: skip
def test_a_bad_list_is_refused_naming_the_file_and_the_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "city.yaml"
    path.write_text("city: 滁州市\n" + text, encoding="utf-8")
    with pytest.raises(GeographyError) as err:
        load_city(path)
    assert str(path) in str(err.value) and problem in str(err.value)
