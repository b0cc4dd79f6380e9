"""The city's counties and townships (config/city.yaml): the reference list routing reads.

A township's county is the county it belongs to in this list; an ID's county code is
where it was issued (often a former code), mapped to its successor county.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from monitor.errors import GeographyError
from monitor.resources import find, packaged

CITY_FILE = packaged("config", "city.yaml")  # the packaged default (resources.find)
_CODE = r"^\d{6}$"


class County(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=_CODE)
    name: str = Field(min_length=2)
    townships: tuple[str, ...] = Field(min_length=1)


class City(BaseModel):
    """config/city.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    city: str
    counties: tuple[County, ...] = Field(min_length=1)
    former_codes: dict[str, str] = {}

    @model_validator(mode="after")
    def _consistent(self) -> City:
        codes = [c.code for c in self.counties]
        problems = [
            f"county code {c} listed twice" for c in sorted(set(codes)) if codes.count(c) > 1
        ]
        seen: dict[str, str] = {}
        for county in self.counties:
            for township in county.townships:
                if township in seen:
                    problems.append(
                        f"township {township} in both {seen[township]} and {county.code}"
                    )
                seen[township] = county.code
        for old, new in self.former_codes.items():
            if not re.match(_CODE, old) or new not in codes:
                problems.append(f"former_codes {old}: {new} is not a county of the list")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def township_table(self) -> pl.DataFrame:
        """One row per township: township, county (code)."""
        pairs = [(t, c.code) for c in self.counties for t in c.townships]
        return pl.DataFrame(
            pairs, schema={"township": pl.String, "county": pl.String}, orient="row"
        )

    def county_table(self) -> pl.DataFrame:
        """One row per code an ID may carry: code, county (the code in force), name."""
        names = {c.code: c.name for c in self.counties}
        rows = [(c.code, c.code, c.name) for c in self.counties]
        rows += [(old, new, names[new]) for old, new in sorted(self.former_codes.items())]
        return pl.DataFrame(
            rows, schema={"code": pl.String, "county": pl.String, "name": pl.String}, orient="row"
        )


@functools.cache
def load_city(path: Path | None = None) -> City:
    """Load and validate the reference list (`path`, else $MONITOR_HOME/config/city.yaml, else
    the packaged default); one message naming the file and every problem."""
    path = find("config", "city.yaml", path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return City.model_validate(data)
    except OSError as exc:
        raise GeographyError(f"{path}: cannot read the city's reference list ({exc})") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise GeographyError(
            f"{path}: not a valid reference list of counties and townships: {exc}"
        ) from exc
