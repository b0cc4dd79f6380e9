"""Data contracts: what each department export looks like (data_contracts/<source>.yaml).

The YAML files are the single place where a source's columns, aliases, types,
required flags, categorical domains, snapshot/event semantics and natural key
live. Readers, normalization and validation are driven from them.
"""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from monitor.errors import ContractError
from monitor.resources import packaged

CONTRACTS_DIR = packaged("data_contracts")

SOURCES: tuple[str, ...] = (
    "roster",
    "education",
    "hr",
    "housing",
    "health",
    "medical_insurance",
    "emergency",
    "rural",
    "disability",
    "hotline",
    "grid",
)

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

ColumnType = Literal[
    "id", "card", "name", "text", "category", "date", "amount", "integer", "phone", "school_year"
]


class Column(BaseModel):
    """One column of a source: its canonical name, Chinese label and the aliases seen in the wild."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    label: str
    aliases: tuple[str, ...]
    type: ColumnType
    required: bool = False
    domain: tuple[str, ...] = ()
    synonyms: dict[str, str] = Field(default_factory=dict)
    signed: bool = False  # amounts: negative values are meaningful (refunds)

    @model_validator(mode="after")
    def _check(self) -> Column:
        if self.type == "category" and not self.domain:
            raise ValueError(f"category column {self.name} needs a domain")
        return self


class PersonColumns(BaseModel):
    """Which columns identify the person a record is about."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    phone: str | None = None
    township: str | None = None
    village: str | None = None


class Contract(BaseModel):
    """A source's contract."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    title: str  # the department and the export, as the department names it
    label: str  # the source's short name for people (workbooks, report)
    kind: Literal["snapshot", "event"]
    # a register of households (the roster, the rural monitoring list): its names and
    # household memberships are authoritative
    household_register: bool = False
    # names heard, not read: records taken over the phone (the hotline) or written down on a
    # visit (grid workers)
    by_phone: bool = False
    one_row_per: str
    natural_key: tuple[str, ...]
    person: PersonColumns
    columns: tuple[Column, ...]

    @model_validator(mode="after")
    def _check(self) -> Contract:
        names = [c.name for c in self.columns]
        # the source and its columns name tables and columns of the state's SQL
        for word in (self.source, *names):
            if not _IDENTIFIER.match(word):
                raise ValueError(f"{word!r}: use lower-case letters, digits and _ only")
        if len(set(names)) != len(names):
            raise ValueError("duplicate column names")
        for key in (*self.natural_key, self.person.id, self.person.name):
            if key not in names:
                raise ValueError(f"{key!r} is not a column")
        seen: dict[str, str] = {}
        for col in self.columns:
            for alias in col.aliases:
                if alias in seen:
                    raise ValueError(f"alias {alias!r} used by {seen[alias]} and {col.name}")
                seen[alias] = col.name
        return self

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def load_contract(path: Path) -> Contract:
    """Load and validate one contract file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Contract.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise ContractError(f"{path}: invalid data contract: {exc}") from exc


@functools.cache
def contracts(directory: Path = CONTRACTS_DIR) -> dict[str, Contract]:
    """All contracts, keyed by source, in the canonical source order."""
    found = {p.stem: load_contract(p) for p in sorted(directory.glob("*.yaml"))}
    missing = [s for s in SOURCES if s not in found]
    if missing:
        raise ContractError(f"{directory}: no contract for {', '.join(missing)}")
    extra = [s for s in found if s not in SOURCES]
    if extra:
        raise ContractError(f"{directory}: contract for unknown source {', '.join(extra)}")
    for stem, contract in found.items():
        if contract.source != stem:
            raise ContractError(f"{directory}/{stem}.yaml: declares source {contract.source!r}")
    return {s: found[s] for s in SOURCES}


def source_label(source: str) -> str:
    """The source's short name for people (its contract's label); an unknown name as it is."""
    found = contracts().get(source)
    return found.label if found else source


def source_named(name: str) -> str | None:
    """The source a person means by `name`: its code (`hr`) or its label (人社就业参保)."""
    every = contracts()
    if name in every:
        return name
    return next((c.source for c in every.values() if c.label == name), None)


def closest_source(name: str) -> str | None:
    """The source whose code or label is closest to `name`, for "did you mean": the one
    sharing the longest run of characters (at least two: 人社局 -> hr's 人社就业参保, 医保 ->
    医保结算), else difflib's closest; None when nothing is close."""
    every = contracts()
    names = {c.source: c.source for c in every.values()} | {
        c.label: c.source for c in every.values()
    }

    def shared(candidate: str) -> int:
        matcher = difflib.SequenceMatcher(None, name.lower(), candidate.lower())
        return matcher.find_longest_match(0, len(name), 0, len(candidate)).size

    best = max(names, key=lambda c: (shared(c), -len(c)))
    if shared(best) >= 2:
        return names[best]
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.5)
    return names[close[0]] if close else None
