"""What a source generator needs to know about the chunk it writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .dates import to_day
from .facts import Plan
from .files import Catalogue, school_year
from .geo import City
from .population import Population
from .programs import Programs

# Random streams of a chunk (np.random.default_rng([seed, chunk, stream])).
STREAMS = {
    "population": 1,
    "programs": 2,
    "plan": 3,
    "cases": 4,
    "grid_plan": 5,
    "roster": 11,
    "education": 12,
    "hr": 13,
    "housing": 14,
    "health": 15,
    "medical_insurance": 16,
    "emergency": 17,
    "rural": 18,
    "disability": 19,
    "hotline": 20,
    "grid": 21,
    "write": 30,
}


@dataclass
class Context:
    """A chunk: its people, programs, plan, and the city's files."""

    seed: int
    chunk: int
    city: City
    catalogue: Catalogue
    as_of: dt.date
    people_total: int
    pop: Population
    progs: Programs
    plan: Plan
    p_town: list[str] = field(default_factory=list)  # township name of each person
    p_safe: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    p_roster: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        towns = [t.name for t in self.city.townships]
        hh_town = self.pop.hh_town[self.pop.p_hh].tolist()
        self.p_town = [towns[t] for t in hh_town]
        self.p_safe = self.plan.safe_hh[self.pop.p_hh]
        self.p_roster = self.progs.on_roster[self.pop.p_hh]
        if self.plan.off_roster:
            self.p_roster[sorted(self.plan.off_roster)] = False

    @property
    def today(self) -> int:
        return to_day(self.as_of)

    @property
    def school_year(self) -> int:
        return school_year(self.as_of)

    def rng(self, stream: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, self.chunk, STREAMS[stream]])

    def county_code(self, person: int) -> int:
        return self.city.counties[int(self.pop.hh_county[self.pop.p_hh[person]])].code

    def county_is_district(self) -> np.ndarray:
        """Per person: does the person live in an urban district (区)?"""
        flags = np.array([c.is_district for c in self.city.counties])
        return flags[self.pop.hh_county[self.pop.p_hh]]

    def alive_on(self, day: int) -> np.ndarray:
        """Per person: alive on that day."""
        death = self.pop.p_death
        return (death < 0) | (death > day)
