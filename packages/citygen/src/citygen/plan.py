"""Planted situations and quiet households.

A situation is planted by its real-world facts (a 住院 bill, a failed house, a
flood) with values clearly away from the thresholds of policy.md; the rules
themselves are never evaluated here. Each policy code gets a quota of slots
(at least MIN_PER_CODE, more in bigger cities), cycled over variants and over
the kinds of household that can carry it: on the roster, on the rural list
only, or on neither (主动发现). `min_per_tier` tops every (code, tier) of a
cycle up to that many slots. The CASES (a death in the household, a person on
the roster and the rural list, damaged rural IDs, incomes the roster and HR
disagree on…) are planted on top, each at least CASE_MIN times (or
min_per_tier); some expect several codes, some that codes stay absent
(truth/absent.csv), and those take a household of their own. Quiet
households, about twice as many, get nothing that could trigger any code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import programs as pg
from .dates import from_day
from .facts import (
    NAN,
    Absent,
    Card,
    Diagnosis,
    Emergency,
    GridVisit,
    House,
    HrOverride,
    HrRecord,
    Plan,
    SchoolRecord,
    Settlement,
    Situation,
    Ticket,
)
from .geo import City
from .population import HEAD, Population

MIN_PER_CODE = 6
PER_PERSON = 45e-6  # situations per code per resident (45 per code per million)
QUIET_FACTOR = 2
MAX_QUIET_SHARE = 0.7  # of the unplanted households of a kind
CASE_MIN = 2  # slots per case (CASES) in any city
CASE_PER_PERSON = 15e-6  # cases per resident (15 of each per million)

MAJOR_DISEASES = (
    "肺癌", "胃癌", "肝癌", "乳腺癌", "结直肠癌", "白血病", "尿毒症",
    "急性心肌梗死", "脑卒中", "重型再生障碍性贫血", "终末期肾病",
)  # fmt: skip
CARD_CATEGORIES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")

_GENERIC_KINDS = ("roster", "other", "roster", "rural", "other")
# Yellow-only codes (a student, a registered unemployed person, a wage drop) are planted in
# monitored households only: alone they are not the serious hardship that puts a household
# nobody monitors on the list (主动发现).
_MONITORED_KINDS = ("roster", "rural", "roster")


@dataclass(frozen=True)
class Slot:
    """One situation to plant: code, tier, variant and the kind of household."""

    code: str
    tier: str
    variant: str
    kind: str  # roster | rural | rural_roster | other


def _generic(
    variants: tuple[tuple[str, str], ...], kinds: tuple[str, ...] = _GENERIC_KINDS
) -> list[tuple[str, str, str]]:
    n = len(variants) * len(kinds)
    return [(*variants[j % len(variants)], kinds[j % len(kinds)]) for j in range(n)]


# code -> cycle of (tier, variant, kind)
VARIANTS: dict[str, list[tuple[str, str, str]]] = {
    "MED_OOP_HIGH": [
        ("red", "oop_80k", "roster"),
        ("orange", "oop_23k", "other"),
        ("red", "oop_over_income", "roster"),
        ("orange", "oop_half_income", "roster"),
        ("red", "oop_80k", "other"),
        ("orange", "oop_23k", "roster"),
        ("red", "oop_80k", "rural"),
    ],
    "MAJOR_ILLNESS": _generic((("orange", "major_dx"),)),
    "SEVERE_DISABILITY": _generic(
        (("orange", "grade1"), ("orange", "grade2"), ("orange", "grade3_mental")),
    ),
    "UNEMPLOYED": _generic((("yellow", "registered"), ("yellow", "suspended")), _MONITORED_KINDS),
    "DROPOUT": _generic((("red", "dropout"),)),
    "EDU_COST": _generic((("yellow", "student"),), _MONITORED_KINDS),
    "HOUSING_UNSAFE": _generic((("red", "grade_d"), ("orange", "grade_c"))),
    "DISASTER": _generic(
        (("red", "flood_collapse"), ("orange", "minor_damage"), ("red", "accident_injury")),
    ),
    "RURAL_RISK": [
        ("red", "sudden", "rural"),
        ("orange", "edge", "rural"),
        ("orange", "unstable", "rural_roster"),
        ("red", "sudden", "rural_roster"),
        ("orange", "edge", "rural"),
        ("orange", "unstable", "rural"),
    ],
    "HOTLINE_HELP": _generic((("orange", "help_ticket"),)),
    "MED_ASSIST_MISSING": [
        ("yellow", "assist_zero", "roster"),
        ("yellow", "assist_zero", "roster"),
        ("yellow", "assist_blank", "roster"),
    ],
    "INCOME_BELOW_STANDARD": [
        ("orange", "rural_low", "rural"),
        ("orange", "roster_low", "roster"),
    ],
    "INCOME_EDGE": [
        ("yellow", "rural_edge", "rural"),
        ("yellow", "roster_edge", "roster"),
    ],
    "INCOME_DROP": _generic((("yellow", "wage_cut"), ("yellow", "job_loss")), _MONITORED_KINDS),
    "INCOME_ABOVE_STANDARD": [
        ("review", "wage", "roster"),
        ("review", "wage", "roster"),
        ("review", "pension", "roster"),
    ],
    "INCOME_EXIT": [
        ("review", "wage", "roster"),
        ("review", "pension", "roster"),
    ],
    "DECEASED": [("review", "death", "roster")],
    "ASSETS_REVIEW": [("review", "three_units", "roster")],
    # -- issue 14, more of the plan (rules): care needs, lost work ability, full payment
    "CARE_NEEDED": [
        ("yellow", "alone_aged", "roster"),
        ("orange", "minor_alone", "roster"),
        ("yellow", "alone_disabled", "roster"),
        ("yellow", "widowed_aged", "roster"),
    ],
    "WORK_ABILITY_LOST": [
        ("orange", "rural_disabled", "rural"),
        ("orange", "rural_major_dx", "rural"),
        ("orange", "rural_disabled", "rural_roster"),
        ("orange", "rural_major_dx", "rural_roster"),
    ],
    "BENEFIT_CHECK": [
        ("review", "benefit_blank", "roster"),
        ("review", "benefit_zero", "roster"),
        ("review", "benefit_short", "roster"),
    ],
    # -- end of issue 14 (rules)
}
CODES = tuple(VARIANTS)

# Cases planted on top of the cycles: (code, tier, variant, kinds cycled over). Each is
# the situation row of its variant; a case may add situation rows of other codes and
# codes that must stay absent (see the variants' facts below). Kind new_rural: a
# household of a rural township on neither list, which the case puts on the rural list.
CASES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("DECEASED", "review", "deceased_member", ("roster",)),
    ("DECEASED", "review", "all_deceased", ("roster",)),
    ("INCOME_ABOVE_STANDARD", "review", "roster_and_rural", ("roster",)),
    ("RURAL_RISK", "red", "rural_head_member_id_damaged", ("new_rural",)),
    ("RURAL_RISK", "orange", "rural_no_member_links", ("new_rural",)),
    ("DROPOUT", "red", "dropout_blank_year", _GENERIC_KINDS),
    ("MED_OOP_HIGH", "orange", "wage_earners_oop", ("roster",)),
    ("MED_OOP_HIGH", "red", "zero_income_oop", ("roster",)),
    ("INCOME_BELOW_STANDARD", "orange", "exited_below", ("roster",)),
    ("MED_OOP_HIGH", "orange", "reexport", ("other", "roster")),
    # -- issue 14 (rules): facts that raise a code beside a new rule that must stay absent
    ("DECEASED", "review", "parent_left", ("roster",)),
    ("SEVERE_DISABILITY", "orange", "disabled_with_family", ("roster",)),
    ("SEVERE_DISABILITY", "orange", "rural_disabled_on_dibao", ("roster",)),
    ("SEVERE_DISABILITY", "orange", "rural_disabled_retired", ("rural",)),
    ("INCOME_ABOVE_STANDARD", "review", "dibao_wage_blank_benefit", ("roster",)),
)
CASE_VARIANTS = frozenset(variant for _, _, variant, _ in CASES)
# Cases whose household takes no other situation: what they expect (a tier, an absent
# code, blank IDs) must not be disturbed by another situation's facts.
EXCLUSIVE = frozenset(
    {
        "deceased_member",
        "all_deceased",
        "roster_and_rural",
        "rural_head_member_id_damaged",
        "rural_no_member_links",
        "wage_earners_oop",
        "zero_income_oop",
        "exited_below",
        "parent_left",
        "disabled_with_family",
        "rural_disabled_on_dibao",
        "rural_disabled_retired",
        "dibao_wage_blank_benefit",
    }
)

_GROUPS: dict[str, frozenset[str]] = {
    "MED_OOP_HIGH": frozenset({"income", "medical", "category"}),
    "MED_ASSIST_MISSING": frozenset({"medical", "category"}),
    "INCOME_BELOW_STANDARD": frozenset({"income", "category", "rural"}),
    "INCOME_EDGE": frozenset({"income", "category", "rural"}),
    "INCOME_ABOVE_STANDARD": frozenset({"income", "category"}),
    "INCOME_EXIT": frozenset({"income", "category"}),
    "INCOME_DROP": frozenset({"income"}),
    "DECEASED": frozenset({"income", "death"}),
    "ASSETS_REVIEW": frozenset({"housing"}),
    "HOUSING_UNSAFE": frozenset({"housing"}),
    "RURAL_RISK": frozenset({"rural"}),
    "DISASTER": frozenset({"disaster", "death"}),
    # issue 14 (rules): who lives in the household, its category and income, the benefit
    "CARE_NEEDED": frozenset({"category", "income", "death", "SEVERE_DISABILITY"}),
    "WORK_ABILITY_LOST": frozenset({"category", "SEVERE_DISABILITY", "MAJOR_ILLNESS"}),
    "BENEFIT_CHECK": frozenset({"income", "category", "benefit"}),
}
_KIND_ORDER = {"rural_roster": 0, "rural": 1, "roster": 2, "other": 3, "new_rural": 4}


def all_slots(people: int, min_per_tier: int = 0) -> list[list[Slot]]:
    """Per code, then per case, the slots to plant in a city of `people` residents: every
    (code, tier) of a code's cycle and every case gets at least `min_per_tier` slots."""
    out = []
    for code, cycle in VARIANTS.items():
        n = max(MIN_PER_CODE, round(people * PER_PERSON))
        slots = [Slot(code, *cycle[j % len(cycle)]) for j in range(n)]
        have = Counter(slot.tier for slot in slots)
        for tier in dict.fromkeys(tier for tier, _, _ in cycle):
            entries = [entry for entry in cycle if entry[0] == tier]
            for j in range(have[tier], min_per_tier):  # continue the tier's own rotation
                slots.append(Slot(code, *entries[j % len(entries)]))
        out.append(slots)
    n_case = max(CASE_MIN, round(people * CASE_PER_PERSON), min_per_tier)
    for code, tier, variant, kinds in CASES:
        out.append([Slot(code, tier, variant, kinds[j % len(kinds)]) for j in range(n_case)])
    return out


# GRID_REPORT, the grid workers' reports (the grid source, added 2026-12), is planted after
# the cycles, the cases and the quiet households, with its random stream of its own, and by a
# visit record alone: no household any other code planted or left quiet changes, nor any
# other export (the households other situations hold may take one too). Its kinds cycle as
# the generic codes' do, its 情况类型 over the five hardship labels (other than 其他).
GRID_CODE = "GRID_REPORT"
GRID_HARDSHIP = ("生活困难", "患病", "残疾", "独居老人", "留守儿童")
GRID_VARIANT = "grid_visit"
GRID_DAYS = (3, 25)  # a planted visit's days before the as-of date: well inside 30
# quiet households' controls: a visit of 其他 in the last 28 days, or of a hardship label
# 45–120 days ago (well outside 30); on this share of the quiet households
GRID_QUIET_SHARE = 0.3
GRID_QUIET_OTHER_DAYS = (1, 28)
GRID_QUIET_OLD_DAYS = (45, 120)


def grid_slots(people: int, min_per_tier: int = 0) -> list[Slot]:
    """The GRID_REPORT slots of a city: as many as a code of the cycles gets (at least
    `min_per_tier`); slot j's kind cycles over the generic kinds and its 情况类型 over the
    hardship labels, shifted every cycle, so that every (kind, label) pair comes up."""
    n = max(MIN_PER_CODE, round(people * PER_PERSON), min_per_tier)
    kinds, labels = _GENERIC_KINDS, GRID_HARDSHIP
    label = [labels[(j + j // len(kinds)) % len(labels)] for j in range(n)]
    return [Slot(GRID_CODE, "orange", label[j], kinds[j % len(kinds)]) for j in range(n)]


def split_slots(slots: list[list[Slot]], chunk_people: list[int]) -> list[list[Slot]]:
    """Share each code's slots among chunks in proportion to their people."""
    cum = np.cumsum(chunk_people) / sum(chunk_people)
    per_chunk: list[list[Slot]] = [[] for _ in chunk_people]
    for code_slots in slots:
        n = len(code_slots)
        for j, slot in enumerate(code_slots):
            c = int(np.searchsorted(cum, (j + 0.5) / n, side="right"))
            per_chunk[min(c, len(chunk_people) - 1)].append(slot)
    return per_chunk


class Planner:
    """Chooses households and carriers for a chunk's slots and writes their facts."""

    def __init__(
        self,
        rng: np.random.Generator,
        pop: Population,
        progs: pg.Programs,
        as_of_day: int,
        school_year: int,
        city: City,
        counters: pg.Counters,
        reexport_days: tuple[int, int],
        case_rng: np.random.Generator,
    ) -> None:
        self.rng = rng
        self.case_rng = case_rng  # the cases' own stream: the cycles' draws stay as they were
        self.pop = pop
        self.progs = progs
        self.today = as_of_day
        self.school_year = school_year
        self.city = city
        self.counters = counters
        self.reexport_days = reexport_days  # first and last day of the re-exported month
        H = pop.n_households
        self.plan = Plan(
            safe_hh=np.zeros(H, dtype=bool),
            hr_zero_hh=np.zeros(H, dtype=bool),
            planted_hh=np.zeros(H, dtype=bool),
        )
        self.groups: dict[int, set[str]] = {}
        self.carriers: dict[int, set[int]] = {}
        self.exclusive: set[int] = set()  # households of an EXCLUSIVE case
        self._also: list[tuple[str, str, str]] = []  # more situations of the slot planted
        kinds = {
            "rural_roster": progs.on_roster & progs.on_rural,
            "rural": progs.on_rural & ~progs.on_roster,
            "roster": progs.on_roster,
            "other": ~progs.on_roster & ~progs.on_rural,
        }
        self.candidates = {k: rng.permutation(np.nonzero(m)[0]).tolist() for k, m in kinds.items()}
        new_rural = ~progs.on_roster & ~progs.on_rural & ~pop.hh_urban
        self.candidates["new_rural"] = case_rng.permutation(np.nonzero(new_rural)[0]).tolist()

    # -- selection -----------------------------------------------------------

    def plant(self, slots: list[Slot]) -> list[Slot]:
        """Plant the slots; returns the ones no household could take."""
        missed = []
        rng = self.rng
        # the cycles' slots first, by kind, then the cases (with their own random stream)
        for slot in sorted(slots, key=lambda s: (s.variant in CASE_VARIANTS, _KIND_ORDER[s.kind])):
            self.rng = self.case_rng if slot.variant in CASE_VARIANTS else rng
            found = self._find(slot)
            if found is None:
                missed.append(slot)
                continue
            h, p = found
            if not self.plan.planted_hh[h]:
                self._calm(h)
            self._also = []
            fact = _APPLY[slot.variant](self, slot, h, p)
            self.plan.situations.append(Situation(h, p, slot.code, slot.tier, fact, slot.variant))
            codes = [slot.code]
            for code, tier, also_fact in self._also:
                self.plan.situations.append(Situation(h, p, code, tier, also_fact, slot.variant))
                codes.append(code)
            self.plan.planted_hh[h] = True
            self.plan.safe_hh[h] = True
            for code in codes:
                self.groups.setdefault(h, set()).update(_GROUPS.get(code, frozenset()) | {code})
            self.carriers.setdefault(h, set()).add(p)
            if slot.variant in EXCLUSIVE:
                self.exclusive.add(h)
        self.rng = rng
        return missed

    def _find(self, slot: Slot) -> tuple[int, int] | None:
        """A household and carrier for the slot. Households already holding a situation are
        preferred once a third of the kind's households hold one, so that enough are left
        to be quiet in small cities."""
        groups = _GROUPS.get(slot.code, frozenset()) | {slot.code}  # a code once per household
        candidates = self.candidates[slot.kind]
        planted = sum(1 for h in candidates if h in self.carriers)
        scarce = planted * 3 >= len(candidates)
        # a case of its own household takes a fresh one; no slot joins such a household
        levels = (0,) if slot.variant in EXCLUSIVE else (1, 2, 0) if scarce else (0, 1, 2)
        for held in levels:
            for h in candidates:
                used = self.carriers.get(h, set())
                if len(used) != held or groups & self.groups.get(h, set()):
                    continue
                if h in self.exclusive:
                    continue
                p = _CARRIER[slot.variant](self, h)
                if p >= 0 and p not in used and self.pop.p_death[p] < 0:
                    return h, p
        return None

    def plant_controls(self, slots: list[Slot]) -> list[Slot]:
        """Make the quiet controls (QUIET_CONTROLS) of the slots, with the cases' random
        stream; returns the ones no household could take."""
        missed = []
        rng, self.rng = self.rng, self.case_rng
        for slot in slots:
            found = None
            for h in self.candidates[slot.kind]:
                if self.plan.planted_hh[h] or self.plan.safe_hh[h]:
                    continue
                p = _QUIET_CARRIER[slot.variant](self, h)
                if p >= 0 and self.pop.p_death[p] < 0:
                    found = h, p
                    break
            if found is None:
                missed.append(slot)
                continue
            h, p = found
            self._make_quiet(h, self.progs.kind(h))
            self.plan.quiet_controls[h] = slot.variant
            _QUIET_APPLY[slot.variant](self, h, p)
        self.rng = rng
        return missed

    def _needs_care(self, h: int) -> bool:
        """An elder of 77 or more living alone on 特困/低保: a household needing care, never
        quiet by chance (the quiet controls alone_79 hold the ages just below 80 on purpose)."""
        progs = self.progs
        return bool(
            progs.on_roster[h]
            and int(progs.category[h]) in (pg.DIBAO, pg.TEKUN)
            and int(progs.status[h]) != pg.EXITED
            and int(self.pop.hh_size[h]) == 1
            and self.age(int(self.pop.hh_start[h])) >= 77
        )

    def choose_quiet(self) -> None:
        """About QUIET_FACTOR times as many quiet households as planted ones, per kind; what
        the roster and the rural list cannot hold is made up on neither list."""
        planted = np.nonzero(self.plan.planted_hh)[0]
        shortfall = 0
        for kind in ("roster", "rural", "other"):
            n_planted = sum(1 for h in planted.tolist() if self.progs.kind(h) == kind)
            want = QUIET_FACTOR * max(n_planted, 1) + (shortfall if kind == "other" else 0)
            pool = [
                h
                for h in self.candidates["other" if kind == "other" else kind]
                if not self.plan.planted_hh[h]
                and not self.plan.safe_hh[h]  # a quiet control already
                and self.progs.kind(h) == kind
                and not self._needs_care(h)
            ]
            # leave some households of every kind to background noise
            chosen = pool[: min(want, int(len(pool) * MAX_QUIET_SHARE))]
            shortfall += want - len(chosen)
            for h in chosen:
                self._make_quiet(h, kind)

    def plant_grid(self, slots: list[Slot], rng: np.random.Generator) -> list[Slot]:
        """Plant the GRID_REPORT slots (their variant field holds the visit's 情况类型) and
        the quiet households' grid controls, with `rng` alone; returns the slots no household
        could take. A planted visit goes to a household of the slot's kind that is neither
        quiet nor an exclusive case's, one without a planted situation first; its carrier is
        a living member who fits the label (独居老人: 60+ living alone; 留守儿童: a child of
        3–15; else an adult; _find_grid). Nothing else of the household changes (GRID_CODE
        above)."""
        saved, self.rng = self.rng, rng
        quiet = {h for h, _ in self.plan.quiet}
        kinds = {kind: rng.permutation(self.candidates[kind]).tolist()
                 for kind in ("roster", "rural", "other")}  # fmt: skip
        taken: set[int] = set()
        missed = []
        for slot in slots:
            found = self._find_grid(slot, kinds[slot.kind], quiet, taken)
            if found is None:
                missed.append(slot)
                continue
            h, p, label = found
            taken.add(h)
            day = self.days_ago(*GRID_DAYS)
            self.plan.grid_visits.append(GridVisit(p, day, label, "planted"))
            fact = f"grid worker's visit {self.today - day} days ago: {label}"
            self.plan.situations.append(Situation(h, p, slot.code, slot.tier, fact, GRID_VARIANT))
        for h, _ in self.plan.quiet:
            if rng.random() >= GRID_QUIET_SHARE:
                continue
            p = _any_adult(self, h)
            if p < 0:
                continue
            if rng.random() < 0.5:
                visit = GridVisit(p, self.days_ago(*GRID_QUIET_OTHER_DAYS), "其他", "quiet")
            else:
                label = GRID_HARDSHIP[int(rng.integers(len(GRID_HARDSHIP)))]
                visit = GridVisit(p, self.days_ago(*GRID_QUIET_OLD_DAYS), label, "quiet")
            self.plan.grid_visits.append(visit)
        self.rng = saved
        return missed

    def _find_grid(
        self, slot: Slot, candidates: list[int], quiet: set[int], taken: set[int]
    ) -> tuple[int, int, str] | None:
        """A household, carrier and 情况类型 for a GRID_REPORT slot: its own label first; where
        no household of the kind has anyone it fits (an elder living alone on the rural list
        only is rare), the next labels in turn."""
        start = GRID_HARDSHIP.index(slot.variant)
        labels = GRID_HARDSHIP[start:] + GRID_HARDSHIP[:start]
        for label in labels:
            for planted in (False, True):
                for h in candidates:
                    if h in quiet or h in taken or h in self.exclusive:
                        continue
                    if bool(self.plan.planted_hh[h]) != planted or self.progs.kind(h) != slot.kind:
                        continue
                    used = self.carriers.get(h, set())
                    p = _GRID_CARRIER[label](self, h)
                    if p >= 0 and p not in used:
                        return h, p, label
        return None

    def _make_quiet(self, h: int, kind: str) -> None:
        self.plan.safe_hh[h] = True
        self.plan.quiet.append((h, kind))
        self._calm(h)

    def _calm(self, h: int) -> None:
        """Household fields that raise nothing: incomes well inside the category's band,
        no rural risk, nobody died. Plants then set what their facts need."""
        plan, progs, rng = self.plan, self.progs, self.rng
        for m in self.members(h):
            self.pop.p_death[m] = -1
        size = int(self.pop.hh_size[h])
        if progs.on_roster[h]:
            cat = int(progs.category[h])
            bands = {
                pg.DIBAO: (0.3, 0.8),
                pg.TEKUN: (0.0, 0.5),
                pg.EDGE: (1.15, 1.4),
                pg.RIGID: (1.4, 2.0),
                pg.TEMPORARY: (1.7, 2.3),
                pg.OTHER_LOW: (1.7, 2.3),
            }
            # a household that left assistance did so on a higher income (policy: a household
            # not on 低保/特困 below the standard raises INCOME_BELOW_STANDARD)
            band = (1.7, 2.3) if progs.status[h] == pg.EXITED else bands[cat]
            progs.set_roster_income(h, size, float(rng.uniform(*band)))
            exited = progs.status[h] == pg.EXITED
            if exited:
                progs.benefit[h] = NAN
            if cat == pg.TEKUN and rng.random() < 0.3 and not exited:
                # unknown income (no income rule applies to 特困 anyway); for other
                # categories, and for a household that left 特困, a blank would let the
                # HR income alone decide
                progs.income[h] = NAN
            if cat == pg.DIBAO:
                plan.hr_zero_hh[h] = True
        if progs.on_rural[h]:
            self._rural_fields(h, rtype=0, category=pg.NO_RISK, cleared=True, risk=-1)
            if rng.random() < 0.3:  # a monitored household whose risk was removed
                cat = pg.EDGE_RISK if rng.random() < 0.5 else pg.SUDDEN
                self._rural_fields(h, rtype=1, category=cat, cleared=True, risk=0)
            progs.rural_income[h] = round(rng.uniform(1.8, 2.8) * 750 * 12 / 10) * 10

    # -- helpers -------------------------------------------------------------

    def also(self, code: str, tier: str, fact: str) -> None:
        """Another situation the slot being planted raises (same household and carrier)."""
        self._also.append((code, tier, fact))

    def absent(self, h: int, codes: tuple[str, ...]) -> None:
        """Codes that must not be raised for household h (truth/absent.csv)."""
        self.plan.absent.extend(Absent(h, code) for code in codes)

    def claim(self, h: int, p: int) -> None:
        """A second member the situation rests on: no other slot may use them."""
        self.carriers.setdefault(h, set()).add(p)

    def make_rural(self, h: int) -> None:
        """Put household h on the rural monitoring list (fields set by the caller)."""
        if self.progs.on_rural[h]:
            return
        code = self.city.counties[int(self.pop.hh_county[h])].code
        self.progs.on_rural[h] = True
        self.progs.rural_id[h] = f"FP{code}{self.counters.next_rural_added(code):07d}"

    def members(self, h: int) -> range:
        return self.pop.members(h)

    def days_ago(self, lo: int, hi: int) -> int:
        return self.today - int(self.rng.integers(lo, hi + 1))

    def first_member(self, h: int, test: Callable[[int], bool], oldest: bool = False) -> int:
        cands = [p for p in self.members(h) if test(p) and self.pop.p_death[p] < 0]
        if not cands:
            return -1
        if oldest:
            return max(cands, key=lambda p: int(self.pop.p_age[p]))
        return cands[int(self.rng.integers(len(cands)))]

    def age(self, p: int) -> int:
        return int(self.pop.p_age[p])

    def set_category(
        self,
        h: int,
        cat: int,
        status: int = pg.ACTIVE,
        band: tuple[float, float] | None = None,
    ) -> None:
        """Put a roster household in a category (and its income in `band` x standard)."""
        self.progs.category[h] = cat
        self.progs.status[h] = status
        self.progs.old_label[h] = False
        if band is not None:
            ratio = float(self.rng.uniform(*band))
            self.progs.set_roster_income(h, int(self.pop.hh_size[h]), ratio)

    def _rural_fields(self, h: int, rtype: int, category: int, cleared: bool, risk: int) -> None:
        self.progs.rural_type[h] = rtype
        self.progs.rural_category[h] = category
        self.progs.rural_cleared[h] = cleared
        self.progs.rural_risk[h] = risk

    def hr(self, p: int, current: HrRecord | None, previous: HrRecord | None = None) -> None:
        """Planted HR rows; the previous snapshot repeats the current one unless given."""
        self.plan.hr[p] = HrOverride(current, previous if previous is not None else current)

    def settle(
        self, p: int, day: int, kind: str, oop: float, assist: float = 0.0, basic_ratio: float = 0.0
    ) -> None:
        """A settlement with the given out-of-pocket amount; other amounts drawn around it."""
        rng = self.rng
        if basic_ratio <= 0:
            basic_ratio = float(rng.uniform(1.2, 2.5))
        basic = round(oop * basic_ratio, 2)
        major = round(oop * float(rng.uniform(0.2, 0.6)), 2) if oop > 15000 else 0.0
        assist_value = 0.0 if np.isnan(assist) else assist
        total = round(oop + basic + major + assist_value, 2)
        self.plan.settlements.append(Settlement(p, day, kind, total, basic, major, assist, oop))

    def assist_for(self, h: int, oop: float) -> float:
        """Medical assistance a 低保/特困 member gets (so MED_ASSIST_MISSING does not fire)."""
        if self.progs.on_roster[h] and int(self.progs.category[h]) in (pg.DIBAO, pg.TEKUN):
            return round(oop * float(self.rng.uniform(0.4, 0.8)), 2)
        return 0.0


# ---------------------------------------------------------------------------
# Carriers: who in household h can carry a variant (-1: nobody)


def _any_adult(pl: Planner, h: int) -> int:
    return pl.first_member(h, lambda p: pl.age(p) >= 18)


def _head(pl: Planner, h: int) -> int:
    p = int(pl.pop.hh_start[h])
    return p if pl.pop.p_death[p] < 0 else -1


def _working_age(lo: int, hi: int) -> Callable[[Planner, int], int]:
    def pick(pl: Planner, h: int) -> int:
        return pl.first_member(h, lambda p: lo <= pl.age(p) <= hi)

    return pick


def _elder_small(pl: Planner, h: int) -> int:
    """An elder of a household of one or two (a pension can lift them above the standard)."""
    if int(pl.pop.hh_size[h]) > 2:
        return -1
    return pl.first_member(h, lambda p: 62 <= pl.age(p) <= 85)


def _oldest(pl: Planner, h: int) -> int:
    return pl.first_member(h, lambda p: True, oldest=True)


def _with_phone(pl: Planner, h: int) -> int:
    return pl.first_member(h, lambda p: 20 <= pl.age(p) <= 75 and pl.pop.phones[p] != "")


def _household_of(min_size: int) -> Callable[[Planner, int], int]:
    def pick(pl: Planner, h: int) -> int:
        return _any_adult(pl, h) if int(pl.pop.hh_size[h]) >= min_size else -1

    return pick


def _age_between(lo: int, hi: int) -> Callable[[Planner, int], int]:
    def pick(pl: Planner, h: int) -> int:
        return pl.first_member(h, lambda p: lo <= pl.age(p) <= hi)

    return pick


# ---------------------------------------------------------------------------
# Facts of each variant; each returns the fact's short English description


def _oop_80k(pl: Planner, slot: Slot, h: int, p: int) -> str:
    rng = pl.rng
    n = int(rng.integers(3, 6))
    parts = rng.dirichlet(np.ones(n)) * 0.8 + 0.2 / n
    amounts = [round(80000 * float(x)) for x in parts]
    amounts[-1] = 80000 - sum(amounts[:-1])
    for amount in amounts:
        pl.settle(p, pl.days_ago(10, 330), "住院", float(amount), pl.assist_for(h, amount))
    extra = ""
    if rng.random() < 0.35:  # a settlement and its refund: they net out
        day = pl.days_ago(40, 300)
        pl.settle(p, day, "住院", 6000.0, pl.assist_for(h, 6000), 1.5)
        s = pl.plan.settlements[-1]
        pl.plan.settlements.append(
            Settlement(p, day + 7, s.kind, -s.total, -s.basic, -s.major, -s.assist, -s.oop)
        )
        extra = " plus a refunded settlement"
    if rng.random() < 0.35:  # outside the 12-month window: must not count
        pl.settle(p, pl.days_ago(400, 440), "住院", 25000.0, pl.assist_for(h, 25000))
        extra += "; and 25000 more 13+ months ago (outside the window)"
    return f"net OOP 80000 yuan in 12 months over {n} 住院 settlements{extra}"


def _oop_over_income(pl: Planner, slot: Slot, h: int, p: int) -> str:
    pl.set_category(h, pg.DIBAO if int(pl.pop.hh_size[h]) > 1 else pg.TEKUN)
    pl.progs.income[h] = 500.0
    pl.progs.benefit[h] = 600.0
    pl.plan.hr_zero_hh[h] = True
    pl.settle(p, pl.days_ago(30, 200), "住院", 5000.0, 800.0)
    pl.settle(p, pl.days_ago(30, 300), "门诊慢特病", 4000.0, 300.0)
    return "net OOP 9000 yuan in 12 months vs known annual income 6000 (150%)"


def _oop_23k(pl: Planner, slot: Slot, h: int, p: int) -> str:
    if pl.progs.on_roster[h]:
        pl.set_category(h, pg.RIGID)
        size = int(pl.pop.hh_size[h])
        # high enough that the bills (23000 / 12 a month) leave each member above the standard
        monthly = round((1.6 * float(pl.progs.standard[h]) * size + 2000) / 10) * 10
        pl.progs.income[h] = float(monthly)
        pl.progs.benefit[h] = NAN
        pl.plan.hr_zero_hh[h] = True
        income = f"household income {monthly}/month"
    else:
        pl.hr(p, HrRecord("就业", wage=9000.0))
        income = "wage 9000/month"
    pl.settle(p, pl.days_ago(20, 150), "住院", 15000.0, pl.assist_for(h, 15000))
    pl.settle(p, pl.days_ago(160, 330), "住院", 8000.0, pl.assist_for(h, 8000))
    return f"net OOP 23000 yuan in 12 months with {income}"


def _oop_half_income(pl: Planner, slot: Slot, h: int, p: int) -> str:
    pl.set_category(h, pg.DIBAO)
    pl.progs.income[h] = 800.0
    pl.progs.benefit[h] = float(int(pl.progs.standard[h]) * int(pl.pop.hh_size[h]) - 800)
    pl.plan.hr_zero_hh[h] = True
    pl.settle(p, pl.days_ago(30, 300), "住院", 7000.0, 700.0)
    return "net OOP 7000 yuan in 12 months vs known annual income 9600 (73%)"


def _major_dx(pl: Planner, slot: Slot, h: int, p: int) -> str:
    disease = MAJOR_DISEASES[int(pl.rng.integers(len(MAJOR_DISEASES)))]
    day = pl.days_ago(20, 320)
    pl.plan.diagnoses.append(Diagnosis(p, "重大疾病", disease, day, int(pl.rng.integers(5, 31))))
    return f"重大疾病 ({disease}) diagnosed {pl.today - day} days ago"


def _card(grade: int, mental: bool) -> Callable[[Planner, Slot, int, int], str]:
    def apply(pl: Planner, slot: Slot, h: int, p: int) -> str:
        category = int(pl.rng.choice([5, 6])) if mental else int(pl.rng.integers(1, 8))
        years = min(15, max(1, pl.age(p) - 1))
        issue = pl.days_ago(200, 200 + 365 * years)
        pl.plan.cards.append(Card(p, category, grade, issue))
        return f"disability card grade {grade} ({CARD_CATEGORIES[category - 1]})"

    return apply


def _registered(pl: Planner, slot: Slot, h: int, p: int) -> str:
    day = pl.days_ago(40, 150)
    pl.hr(p, HrRecord("失业登记", unemployed_day=day, benefit=str(pl.rng.choice(["是", "否"]))))
    return f"失业登记 {pl.today - day} days ago; age {pl.age(p)}"


def _suspended(pl: Planner, slot: Slot, h: int, p: int) -> str:
    pl.hr(p, HrRecord("灵活就业", insured="暂停缴费"))
    return f"参保状态 暂停缴费; age {pl.age(p)}"


def _dropout(pl: Planner, slot: Slot, h: int, p: int) -> str:
    level = "小学" if pl.age(p) <= 11 else "初中"
    previous = "小学" if pl.age(p) - 1 <= 11 else "初中"
    pl.plan.school.append(SchoolRecord(p, level, "辍学", 0))
    pl.plan.school.append(SchoolRecord(p, previous, "在读", 1))
    return f"{level} 辍学 in {pl.school_year}-{pl.school_year + 1}"


def _student(pl: Planner, slot: Slot, h: int, p: int) -> str:
    age = pl.age(p)
    if age <= 17:
        level = "高中" if pl.rng.random() < 0.7 else "中职"
    else:
        level = "本科" if pl.rng.random() < 0.6 else "高职"
    before = _level_for_age(age - 1)
    pl.plan.school.append(SchoolRecord(p, level, "在读", 0, funded=bool(pl.rng.random() < 0.5)))
    status = "在读" if before == level else "毕业"
    pl.plan.school.append(SchoolRecord(p, before, status, 1))
    return f"{level} 在读 in {pl.school_year}-{pl.school_year + 1}"


def _level_for_age(age: int) -> str:
    if age <= 5:
        return "学前"
    if age <= 11:
        return "小学"
    if age <= 14:
        return "初中"
    if age <= 17:
        return "高中"
    return "本科"


def _house(grade: str) -> Callable[[Planner, Slot, int, int], str]:
    def apply(pl: Planner, slot: Slot, h: int, p: int) -> str:
        pl.plan.houses[h] = House(grade, "否", int(pl.rng.integers(0, 2)))
        return f"house rated {grade}; not in 危房改造"

    return apply


def _three_units(pl: Planner, slot: Slot, h: int, p: int) -> str:
    grade = "A" if pl.rng.random() < 0.6 else "B"
    pl.plan.houses[h] = House(grade, "否", 3)
    return "head owns 3 properties (不动产套数 3)"


def _flood_collapse(pl: Planner, slot: Slot, h: int, p: int) -> str:
    day = pl.days_ago(15, 60)
    loss = float(round(pl.rng.uniform(60000, 150000), -2))
    for m in pl.members(h):
        if pl.pop.p_death[m] < 0:
            pl.plan.emergencies.append(
                Emergency(m, "洪涝", day, "全部倒塌", loss if m == p else NAN, "无")
            )
    return f"洪涝 {pl.today - day} days ago; house 全部倒塌"


def _minor_damage(pl: Planner, slot: Slot, h: int, p: int) -> str:
    day = pl.days_ago(15, 70)
    kind = "洪涝" if pl.rng.random() < 0.6 else "台风"
    loss = float(round(pl.rng.uniform(3000, 8000), -1))
    pl.plan.emergencies.append(Emergency(p, kind, day, "一般损坏", loss, "无"))
    return f"{kind} {pl.today - day} days ago; house 一般损坏"


def _accident(pl: Planner, slot: Slot, h: int, p: int) -> str:
    day = pl.days_ago(10, 60)
    loss = float(round(pl.rng.uniform(20000, 80000), -2))
    pl.plan.emergencies.append(Emergency(p, "意外事故", day, "无", loss, "重伤"))
    return f"意外事故 {pl.today - day} days ago; 重伤"


def _rural_risk(category: int, rtype: int) -> Callable[[Planner, Slot, int, int], str]:
    def apply(pl: Planner, slot: Slot, h: int, p: int) -> str:
        risk = int(pl.rng.choice([0, 3, 4])) if category == pg.SUDDEN else int(pl.rng.integers(7))
        pl._rural_fields(h, rtype=rtype, category=category, cleared=False, risk=risk)
        pl.progs.rural_income[h] = round(pl.rng.uniform(1.7, 2.2) * 750 * 12 / 10) * 10
        return f"rural {pg.RURAL_CATEGORIES[category]}; risk not eliminated"

    return apply


_HELP_TEXTS = (
    "家中老人长期卧病在床，医药费负担重，生活困难，请求帮助。",
    "本人因病失去劳动能力，家里没有收入来源,孩子上学费用困难，希望政府给予救助。",
    "来电人称丈夫住院治疗，\n家中积蓄已花光，申请临时救助。",
    "反映家中房屋漏雨，无钱维修，\n生活困难，请求社区上门核实帮助。",
)


def _help_ticket(pl: Planner, slot: Slot, h: int, p: int) -> str:
    day = pl.days_ago(3, 25)
    text = _HELP_TEXTS[int(pl.rng.integers(len(_HELP_TEXTS)))]
    with_id = not pl.progs.on_roster[h]  # the roster holds the phone; others give their ID
    pl.plan.tickets.append(
        Ticket(p, day, int(pl.rng.integers(8 * 3600, 18 * 3600)), "求助", text, with_id)
    )
    pl.plan.roster_phone_self.add(p)
    return f"求助 ticket {pl.today - day} days ago"


def _assist(blank: bool) -> Callable[[Planner, Slot, int, int], str]:
    def apply(pl: Planner, slot: Slot, h: int, p: int) -> str:
        cat = int(pl.progs.category[h])
        pl.set_category(h, cat if cat in (pg.DIBAO, pg.TEKUN) else pg.DIBAO, band=(0.3, 0.8))
        pl.plan.hr_zero_hh[h] = True
        oop = float(round(pl.rng.uniform(1500, 3000), 2))
        day = pl.days_ago(30, 300)
        pl.settle(p, day, "住院", oop, NAN if blank else 0.0, float(pl.rng.uniform(1.5, 3.0)))
        what = "blank" if blank else "0"
        return f"住院 settlement on {from_day(day).isoformat()} with 医疗救助支付 {what}"

    return apply


def _income_rural(low: float, high: float) -> Callable[[Planner, Slot, int, int], str]:
    def apply(pl: Planner, slot: Slot, h: int, p: int) -> str:
        pl._rural_fields(h, rtype=0, category=pg.NO_RISK, cleared=True, risk=-1)
        annual = round(pl.rng.uniform(low, high) * 750 * 12 / 10) * 10
        pl.progs.rural_income[h] = annual
        pl.plan.hr_zero_hh[h] = True
        return f"rural per-capita income {annual / 12:.0f}/month vs standard 750"

    return apply


def _income_roster(cats: tuple[int, ...], low: float, high: float) -> Callable[..., str]:
    def apply(pl: Planner, slot: Slot, h: int, p: int) -> str:
        pl.set_category(h, cats[int(pl.rng.integers(len(cats)))])
        size = int(pl.pop.hh_size[h])
        pl.progs.set_roster_income(h, size, float(pl.rng.uniform(low, high)))
        pl.plan.hr_zero_hh[h] = True
        std = int(pl.progs.standard[h])
        pc = float(pl.progs.income[h]) / size
        cat = pg.CATEGORIES[int(pl.progs.category[h])]
        return f"{cat} household per-capita income {pc:.0f} vs standard {std}"

    return apply


def _wage_cut(pl: Planner, slot: Slot, h: int, p: int) -> str:
    pl.hr(p, HrRecord("就业", wage=1500.0), HrRecord("就业", wage=5000.0))
    return "wage 5000 -> 1500 between HR snapshots"


def _job_loss(pl: Planner, slot: Slot, h: int, p: int) -> str:
    pl.hr(p, HrRecord("未就业"), HrRecord("就业", wage=4000.0))
    return "就业 (wage 4000) -> 未就业 between HR snapshots"


def _dibao_income(low: float, high: float) -> Callable[[Planner, Slot, int, int], str]:
    def apply(pl: Planner, slot: Slot, h: int, p: int) -> str:
        status = pg.ACTIVE if low < 2 or pl.rng.random() < 0.7 else pg.PHASING_OUT
        pl.set_category(h, pg.DIBAO, status)
        size = int(pl.pop.hh_size[h])
        std = int(pl.progs.standard[h])
        pl.progs.set_roster_income(h, size, float(pl.rng.uniform(0.3, 0.7)))
        pl.plan.hr_zero_hh[h] = True
        ratio = float(pl.rng.uniform(low, high))
        counted = round(ratio * std * size / 10) * 10
        if slot.variant == "pension":
            pl.hr(
                p,
                HrRecord(
                    "未就业", insured="终止", pension_type="职工基本养老保险", pension=counted
                ),
            )
            source = f"职工 pension {counted}"
        else:
            wage = round(counted / 0.8 / 10) * 10
            pl.hr(p, HrRecord("就业", wage=float(wage)))
            source = f"wage {wage}"
        return f"低保 per-capita income {counted / size:.0f} vs standard {std} ({ratio:.1f}x) from {source}"

    return apply


def _death(pl: Planner, slot: Slot, h: int, p: int) -> str:
    day = pl.days_ago(20, 200)
    pl.pop.p_death[p] = day
    pl.plan.diagnoses.append(Diagnosis(p, "", "呼吸衰竭", day, 0, death_day=day))
    return f"died on {from_day(day).isoformat()}"


# ---------------------------------------------------------------------------
# Cases (CASES): carriers and facts


def _oldest_of_household(lo: int, hi: int) -> Callable[[Planner, int], int]:
    """The oldest member of a household of lo..hi members."""

    def pick(pl: Planner, h: int) -> int:
        return _oldest(pl, h) if lo <= int(pl.pop.hh_size[h]) <= hi else -1

    return pick


def _rural_three(pl: Planner, h: int) -> int:
    """The head of a household of three in a rural township (the third member is not on
    the roster)."""
    if int(pl.pop.hh_size[h]) != 3 or pl.pop.hh_urban[h]:
        return -1
    return _head(pl, h)


def _rural_head_of(lo: int, hi: int) -> Callable[[Planner, int], int]:
    def pick(pl: Planner, h: int) -> int:
        return _head(pl, h) if lo <= int(pl.pop.hh_size[h]) <= hi else -1

    return pick


def _two_earners(pl: Planner, h: int) -> int:
    """A member of a household of 2–3 with two members of working age."""
    if not 2 <= int(pl.pop.hh_size[h]) <= 3 or len(_workers(pl, h)) < 2:
        return -1
    return _workers(pl, h)[0]


def _workers(pl: Planner, h: int) -> list[int]:
    return [p for p in pl.members(h) if 22 <= pl.age(p) <= 54 and pl.pop.p_death[p] < 0]


def _card_of(pl: Planner, p: int, grade: int) -> str:
    category = int(pl.rng.integers(1, 8))
    years = min(15, max(1, pl.age(p) - 1))
    pl.plan.cards.append(Card(p, category, grade, pl.days_ago(400, 400 + 365 * years)))
    return CARD_CATEGORIES[category - 1]


def _deceased_member(pl: Planner, slot: Slot, h: int, p: int) -> str:
    """A 低保 household of two or more: one member died after a 60,000 yuan illness."""
    pl.set_category(h, pg.DIBAO, band=(0.3, 0.8))
    pl.plan.hr_zero_hh[h] = True
    death = pl.days_ago(30, 200)
    diagnosed = death - int(pl.rng.integers(60, 150))
    disease = MAJOR_DISEASES[int(pl.rng.integers(len(MAJOR_DISEASES)))]
    pl.plan.diagnoses.append(
        Diagnosis(p, "重大疾病", disease, diagnosed, int(pl.rng.integers(10, 31)))
    )
    pl.plan.diagnoses.append(Diagnosis(p, "", "多器官功能衰竭", death, 0, death_day=death))
    pl.pop.p_death[p] = death
    category = _card_of(pl, p, 1)
    n = int(pl.rng.integers(2, 4))
    amounts = [20000.0] * n if n == 3 else [35000.0, 25000.0]
    days = np.sort(pl.rng.integers(diagnosed, death - 1, n))
    for day, amount in zip(days.tolist(), amounts, strict=True):
        pl.settle(p, day, "住院", amount, pl.assist_for(h, amount))
    pl.also(
        "MED_OOP_HIGH",
        "red",
        f"net OOP 60000 yuan over {n} 住院 settlements (with 医疗救助) before the member's "
        "death: costs before a death still count",
    )
    pl.absent(h, ("SEVERE_DISABILITY", "MAJOR_ILLNESS"))
    return (
        f"低保 member died on {from_day(death).isoformat()} ({pl.pop.hh_size[h]} members); "
        f"the deceased held a grade-1 card ({category}) and had 重大疾病 ({disease}) "
        f"diagnosed {death - diagnosed} days before: no living member is severely ill or disabled"
    )


def _all_deceased(pl: Planner, slot: Slot, h: int, p: int) -> str:
    """A roster household of one or two whose every member died."""
    days = []
    for m in pl.members(h):
        death = pl.days_ago(30, 200)
        pl.pop.p_death[m] = death
        pl.plan.diagnoses.append(Diagnosis(m, "", "心力衰竭", death, 0, death_day=death))
        days.append(from_day(death).isoformat())
    category = _card_of(pl, p, 1)
    pl.absent(h, tuple(code for code in CODES if code != "DECEASED"))
    return (
        f"every member died ({', '.join(days)}); the oldest held a grade-1 card ({category}): "
        "nothing but DECEASED"
    )


def _roster_and_rural(pl: Planner, slot: Slot, h: int, p: int) -> str:
    """A 低保 household of two also on the rural list, with a third person not on the roster."""
    third = int(pl.pop.hh_start[h]) + 2
    pl.plan.off_roster.add(third)
    pl.set_category(h, pg.DIBAO)
    std = float(pl.progs.standard[h])
    # per capita 1.34–1.46 x standard over the roster's 2 members; over 3 it would be below
    pl.progs.set_roster_income(h, 2, float(pl.rng.uniform(1.34, 1.46)))
    pl.plan.hr_zero_hh[h] = True
    pl.make_rural(h)
    pl._rural_fields(h, rtype=0, category=pg.UNSTABLE, cleared=False, risk=int(pl.rng.integers(7)))
    pl.progs.rural_income[h] = round(pl.rng.uniform(1.6, 1.9) * 750 * 12 / 10) * 10
    income = float(pl.progs.income[h])
    pl.also(
        "RURAL_RISK",
        "orange",
        "its 2 roster members are on the rural list (脱贫户, 脱贫不稳定户, risk not eliminated)",
    )
    pl.absent(h, ("INCOME_BELOW_STANDARD", "INCOME_EDGE"))
    return (
        f"低保 (在保) household of 2, income {income:.0f}/month = {income / 2:.0f} per person vs "
        f"standard {std:.0f} (渐退 band); the rural record adds a third person on no roster "
        f"(over 3 it would be {income / 3:.0f})"
    )


def _rural_head_member_id_damaged(pl: Planner, slot: Slot, h: int, p: int) -> str:
    pl.make_rural(h)
    risk = int(pl.rng.choice([0, 3, 4]))
    pl._rural_fields(h, rtype=1, category=pg.SUDDEN, cleared=False, risk=risk)
    pl.progs.rural_income[h] = round(pl.rng.uniform(1.7, 2.2) * 750 * 12 / 10) * 10
    pl.plan.rural_blank_ids[h] = "head"
    return (
        "rural 突发严重困难户 (risk not eliminated) of one; the head row (与户主关系 本人) has a "
        "blank 成员证件号码 and a valid 户主证件号码"
    )


def _rural_no_member_links(pl: Planner, slot: Slot, h: int, p: int) -> str:
    pl.make_rural(h)
    pl._rural_fields(h, rtype=0, category=pg.UNSTABLE, cleared=False, risk=int(pl.rng.integers(7)))
    pl.progs.rural_income[h] = round(pl.rng.uniform(1.7, 2.2) * 750 * 12 / 10) * 10
    pl.plan.rural_blank_ids[h] = "all"
    return (
        f"rural 脱贫不稳定户 (risk not eliminated) of {pl.pop.hh_size[h]}; every 成员证件号码 and "
        "户主证件号码 blank (names kept)"
    )


def _dropout_blank_year(pl: Planner, slot: Slot, h: int, p: int) -> str:
    level = "小学" if pl.age(p) <= 11 else "初中"
    pl.plan.school.append(SchoolRecord(p, level, "辍学", 0, blank_year=True))
    earlier = ""
    if pl.rng.random() < 0.5:
        previous = "小学" if pl.age(p) - 1 <= 11 else "初中"
        pl.plan.school.append(SchoolRecord(p, previous, "在读", 1))
        earlier = f"; 在读 in {pl.school_year - 1}-{pl.school_year}"
    return f"{level} 辍学 with a blank 学年 in the latest year's file{earlier}"


def _wage_earners_oop(pl: Planner, slot: Slot, h: int, p: int) -> str:
    pl.set_category(h, pg.DIBAO)
    size = int(pl.pop.hh_size[h])
    pl.progs.income[h] = 500.0
    pl.progs.benefit[h] = float(int(pl.progs.standard[h]) * size - 500)
    pl.plan.hr_zero_hh[h] = True
    second = next(m for m in _workers(pl, h) if m != p)
    for m in (p, second):
        pl.hr(m, HrRecord("就业", wage=1500.0))
    pl.claim(h, second)
    pl.settle(p, pl.days_ago(20, 200), "住院", 10000.0, pl.assist_for(h, 10000))
    pl.settle(second, pl.days_ago(30, 320), "门诊慢特病", 6000.0, 0.0)
    return (
        f"低保 household of {size}: recorded income 500/month, HR wages 2 x 1500 (2400 after the "
        "20 % deduction); net OOP 16000 in 12 months = 56 % of 12 x 2400 (with 500 alone: 267 %)"
    )


def _zero_income_oop(pl: Planner, slot: Slot, h: int, p: int) -> str:
    cat = pg.TEMPORARY if pl.rng.random() < 0.5 else pg.EDGE
    pl.set_category(h, cat)
    pl.progs.income[h] = 0.0
    pl.progs.benefit[h] = NAN
    pl.plan.hr_zero_hh[h] = True
    for m in pl.members(h):
        pl.hr(m, None)  # no HR row: no HR income at all
    pl.settle(p, pl.days_ago(30, 250), "住院", 4000.0, 0.0)
    pl.settle(p, pl.days_ago(20, 320), "门诊慢特病", 2500.0, 0.0)
    pl.also(
        "INCOME_BELOW_STANDARD",
        "orange",
        f"{pg.CATEGORIES[cat]} household with a known income of 0",
    )
    return (
        f"{pg.CATEGORIES[cat]} household, 家庭月总收入 0 (known) and no HR income; net OOP 6500 "
        "in 12 months >= 5000 and >= 100 % of a known annual income of 0"
    )


def _exited_below(pl: Planner, slot: Slot, h: int, p: int) -> str:
    pl.set_category(h, pg.DIBAO, pg.EXITED, band=(0.4, 0.75))
    pl.progs.benefit[h] = NAN
    pl.plan.hr_zero_hh[h] = True
    oop = float(round(pl.rng.uniform(1500, 3000), 2))
    day = pl.days_ago(30, 300)
    pl.settle(p, day, "住院", oop, 0.0, float(pl.rng.uniform(1.5, 3.0)))
    size = int(pl.pop.hh_size[h])
    pc = float(pl.progs.income[h]) / size
    pl.absent(h, ("MED_ASSIST_MISSING",))
    return (
        f"低保 household with 状态 退出, per-capita income {pc:.0f} vs standard "
        f"{int(pl.progs.standard[h])}; a 住院 settlement on {from_day(day).isoformat()} with "
        "医疗救助支付 0 (no longer entitled)"
    )


def _reexport(pl: Planner, slot: Slot, h: int, p: int) -> str:
    """26,000 out-of-pocket in one month whose settlements are exported twice."""
    if pl.progs.on_roster[h]:
        pl.set_category(h, pg.RIGID)
        size = int(pl.pop.hh_size[h])
        # the bills (26000 / 12 a month) leave each member above the standard
        monthly = round((1.6 * float(pl.progs.standard[h]) * size + 2200) / 10) * 10
        pl.progs.income[h] = float(monthly)
        pl.progs.benefit[h] = NAN
        pl.plan.hr_zero_hh[h] = True
        income = f"household income {monthly}/month"
    else:
        pl.hr(p, HrRecord("就业", wage=9000.0))
        income = "wage 9000/month"
    first, last = pl.reexport_days
    days = np.sort(pl.rng.integers(first, last + 1, 2)).tolist()
    for day, amount in zip(days, (14000.0, 12000.0), strict=True):
        pl.settle(p, day, "住院", amount, pl.assist_for(h, amount))
        pl.plan.settlements[-1].reexport = True
    month = from_day(first).strftime("%Y-%m")
    return (
        f"net OOP 26000 yuan in 12 months (2 住院 settlements of {month}, also in that month's "
        f"xlsx re-export: counted once, else 52000 = red) with {income}"
    )


def _alone_elder(pl: Planner, h: int) -> int:
    """An elder of 60+ living alone (独居老人)."""
    return pl.first_member(h, lambda p: pl.age(p) >= 60) if int(pl.pop.hh_size[h]) == 1 else -1


_GRID_CARRIER: dict[str, Callable[[Planner, int], int]] = {
    "生活困难": _working_age(18, 85),
    "患病": _working_age(18, 85),
    "残疾": _working_age(18, 85),
    "独居老人": _alone_elder,
    "留守儿童": _age_between(3, 15),
}
# ---------------------------------------------------------------------------
# Issue 14 (rules): care needs (CARE_NEEDED), lost work ability (WORK_ABILITY_LOST), the
# benefit paid (BENEFIT_CHECK); the cases beside them and the quiet controls (QUIET_CONTROLS)

# severe cards: grade 1 or 2 of any category, or grade 3 of 智力 (5) / 精神 (6)
_SEVERE_CARDS = ((1, 0), (2, 0), (3, 5), (3, 6))


def _alone(lo: int, hi: int) -> Callable[[Planner, int], int]:
    """The member of a household of one, aged lo..hi."""

    def pick(pl: Planner, h: int) -> int:
        if int(pl.pop.hh_size[h]) != 1:
            return -1
        return pl.first_member(h, lambda p: lo <= pl.age(p) <= hi)

    return pick


def _couple_aged(pl: Planner, h: int) -> int:
    """A member aged 82–95 of a household of two."""
    if int(pl.pop.hh_size[h]) != 2:
        return -1
    return pl.first_member(h, lambda p: 82 <= pl.age(p) <= 95)


def _widow_to_be(pl: Planner, h: int) -> int:
    """As _couple_aged, the other member carrying no situation (they will have died)."""
    p = _couple_aged(pl, h)
    if p < 0 or any(m != p and m in pl.carriers.get(h, set()) for m in pl.members(h)):
        return -1
    return p


def _not_alone_aged(pick: Callable[[Planner, int], int]) -> Callable[[Planner, int], int]:
    """`pick`, but never in a household of one aged 77+ (put on 低保 it would need care)."""

    def guarded(pl: Planner, h: int) -> int:
        if int(pl.pop.hh_size[h]) == 1 and pl.age(int(pl.pop.hh_start[h])) >= 77:
            return -1
        return pick(pl, h)

    return guarded


def _parents_of(pl: Planner, h: int) -> list[int]:
    return [m for m in pl.members(h) if pl.age(m) >= 25]


def _child_of_parents(
    lo_parents: int, hi_parents: int, max_size: int = 4
) -> Callable[[Planner, int], int]:
    """A child aged 3–15 of a household of at most `max_size` whose adults are lo..hi
    members of 25 or more (parents, grandparents) and nobody is aged 16–24."""

    def pick(pl: Planner, h: int) -> int:
        members = list(pl.members(h))
        ages = [pl.age(m) for m in members]
        if len(members) > max_size or any(16 <= a <= 24 for a in ages):
            return -1
        parents = _parents_of(pl, h)
        if not lo_parents <= len(parents) <= hi_parents:
            return -1
        if any(m in pl.carriers.get(h, set()) for m in parents):  # they may die
            return -1
        return pl.first_member(h, lambda p: 3 <= pl.age(p) <= 15)

    return pick


def _severe_card(pl: Planner, p: int) -> str:
    grade, category = _SEVERE_CARDS[int(pl.rng.integers(len(_SEVERE_CARDS)))]
    if category == 0:
        category = int(pl.rng.integers(1, 8))
    years = min(15, max(1, pl.age(p) - 1))
    pl.plan.cards.append(Card(p, category, grade, pl.days_ago(200, 200 + 365 * years)))
    return f"disability card grade {grade} ({CARD_CATEGORIES[category - 1]})"


def _kill(pl: Planner, m: int, lo: int = 30, hi: int = 200) -> str:
    day = pl.days_ago(lo, hi)
    pl.pop.p_death[m] = day
    pl.plan.diagnoses.append(Diagnosis(m, "", "心力衰竭", day, 0, death_day=day))
    pl.claim(int(pl.pop.p_hh[m]), m)
    return from_day(day).isoformat()


def _on_scheme(
    pl: Planner, h: int, living: int, phasing_out: bool = False, tekun: float = 0.5
) -> str:
    """Put a roster household on 特困 (share `tekun`) or 低保, 在保 (or 渐退), with an income
    well inside the category's band per living member; members' HR rows add no income."""
    size = int(pl.pop.hh_size[h])
    if not phasing_out and pl.rng.random() < tekun:
        cat, status, per_living = pg.TEKUN, pg.ACTIVE, (0.0, 0.5)
    elif phasing_out:
        cat, status, per_living = pg.DIBAO, pg.PHASING_OUT, (1.2, 1.6)
    else:
        cat, status, per_living = pg.DIBAO, pg.ACTIVE, (0.3, 0.7)
    lo, hi = (x * living / size for x in per_living)
    pl.set_category(h, cat, status, band=(lo, hi))
    pl.plan.hr_zero_hh[h] = True
    return f"{pg.CATEGORIES[cat]} ({pg.STATUSES[status]})"


def _alone_aged(pl: Planner, slot: Slot, h: int, p: int) -> str:
    scheme = _on_scheme(pl, h, 1, phasing_out=pl.rng.random() < 0.2)
    return f"{scheme} member aged {pl.age(p)} living alone"


def _widowed_aged(pl: Planner, slot: Slot, h: int, p: int) -> str:
    other = next(m for m in pl.members(h) if m != p)
    scheme = _on_scheme(pl, h, 1, phasing_out=pl.rng.random() < 0.2)
    day = _kill(pl, other, 30, 300)
    pl.also("DECEASED", "review", f"the spouse died on {day}")
    return f"{scheme} member aged {pl.age(p)} whose only housemate died on {day}: alone now"


def _alone_disabled(pl: Planner, slot: Slot, h: int, p: int) -> str:
    scheme = _on_scheme(pl, h, 1)
    card = _severe_card(pl, p)
    pl.also("SEVERE_DISABILITY", "orange", card)
    return f"{scheme} member aged {pl.age(p)} living alone with a {card}"


def _minor_alone(pl: Planner, slot: Slot, h: int, p: int) -> str:
    parents = _parents_of(pl, h)
    children = [m for m in pl.members(h) if m not in parents]
    scheme = _on_scheme(pl, h, len(children), tekun=0.67)
    days = [_kill(pl, m) for m in parents]
    pl.also("DECEASED", "review", f"{len(parents)} adult member(s) died ({', '.join(days)})")
    ages = ", ".join(str(pl.age(m)) for m in children)
    return (
        f"{scheme} household whose {len(parents)} adult member(s) died ({', '.join(days)}), "
        f"leaving children aged {ages} and nobody aged 18+ (事实无人抚养)"
    )


def _rural_worker(pl: Planner, h: int) -> int:
    return pl.first_member(h, lambda p: 25 <= pl.age(p) <= 50)


def _off_assistance(pl: Planner, h: int) -> str:
    """A roster household also on the rural list, put on 低保边缘 or 刚性支出困难 (not 低保/特困)."""
    if not pl.progs.on_roster[h]:
        return "rural 脱贫户/监测户 on no roster"
    cat = pg.EDGE if pl.rng.random() < 0.6 else pg.RIGID
    pl.set_category(h, cat, band=(1.15, 1.4) if cat == pg.EDGE else (1.4, 2.0))
    return f"rural-list household on the roster as {pg.CATEGORIES[cat]}"


def _rural_disabled(pl: Planner, slot: Slot, h: int, p: int) -> str:
    where = _off_assistance(pl, h)
    card = _severe_card(pl, p)
    pl.also("SEVERE_DISABILITY", "orange", card)
    return f"{where}: a member aged {pl.age(p)} with a {card}"


def _rural_major_dx(pl: Planner, slot: Slot, h: int, p: int) -> str:
    where = _off_assistance(pl, h)
    disease = MAJOR_DISEASES[int(pl.rng.integers(len(MAJOR_DISEASES)))]
    day = pl.days_ago(30, 300)
    pl.plan.diagnoses.append(Diagnosis(p, "重大疾病", disease, day, int(pl.rng.integers(5, 31))))
    pl.also("MAJOR_ILLNESS", "orange", f"重大疾病 ({disease}) diagnosed {pl.today - day} days ago")
    return f"{where}: a member aged {pl.age(p)} with 重大疾病 ({disease}) {pl.today - day} days ago"


def _dibao_gap(pl: Planner, h: int) -> float:
    """补差 of a 低保 household: the standard x its members - its recorded income."""
    size = int(pl.pop.hh_size[h])
    return float(pl.progs.standard[h]) * size - float(pl.progs.income[h])


def _benefit_paid(kind: str) -> Callable[[Planner, Slot, int, int], str]:
    def apply(pl: Planner, slot: Slot, h: int, p: int) -> str:
        pl.set_category(h, pg.DIBAO, pg.ACTIVE, band=(0.3, 0.7))
        pl.plan.hr_zero_hh[h] = True
        gap = _dibao_gap(pl, h)
        if kind == "blank":
            pl.progs.benefit[h] = NAN
            paid = "blank"
        elif kind == "zero":
            pl.progs.benefit[h] = 0.0
            paid = "0"
        else:
            pl.progs.benefit[h] = float(round(gap * float(pl.rng.uniform(0.4, 0.75)) / 10) * 10)
            paid = f"{pl.progs.benefit[h]:.0f} ({pl.progs.benefit[h] / gap:.0%})"
        size = int(pl.pop.hh_size[h])
        return (
            f"低保 (在保) household of {size}, income {pl.progs.income[h]:.0f}/month, "
            f"补差 {gap:.0f}; 月保障金额 {paid}"
        )

    return apply


# Cases beside them (CASES): a code raised, the new rule's code absent.


def _parent_left(pl: Planner, slot: Slot, h: int, p: int) -> str:
    parents = _parents_of(pl, h)
    scheme = _on_scheme(pl, h, int(pl.pop.hh_size[h]) - 1)
    day = _kill(pl, parents[0])
    pl.absent(h, ("CARE_NEEDED",))
    return (
        f"{scheme} household with a child aged {pl.age(p)}: one adult died on {day}, "
        f"{len(parents) - 1} adult(s) aged 25+ still live with the child"
    )


def _disabled_with_family(pl: Planner, slot: Slot, h: int, p: int) -> str:
    scheme = _on_scheme(pl, h, int(pl.pop.hh_size[h]))
    card = _severe_card(pl, p)
    pl.absent(h, ("CARE_NEEDED",))
    return f"{scheme} member aged {pl.age(p)} with a {card}, living with {pl.pop.hh_size[h] - 1} others"


def _rural_disabled_on_dibao(pl: Planner, slot: Slot, h: int, p: int) -> str:
    """A 低保 household of a rural township, on the rural list too (put there when it was not:
    a 脱贫户 whose risk is removed)."""
    pl.set_category(h, pg.DIBAO, pg.ACTIVE, band=(0.3, 0.7))
    pl.plan.hr_zero_hh[h] = True
    if not pl.progs.on_rural[h]:
        pl.make_rural(h)
        pl._rural_fields(h, rtype=0, category=pg.NO_RISK, cleared=True, risk=-1)
        pl.progs.rural_income[h] = round(pl.rng.uniform(1.8, 2.8) * 750 * 12 / 10) * 10
    card = _severe_card(pl, p)
    pl.absent(h, ("WORK_ABILITY_LOST",))
    return f"rural-list household on 低保 (在保) already: a member aged {pl.age(p)} with a {card}"


def _rural_disabled_retired(pl: Planner, slot: Slot, h: int, p: int) -> str:
    card = _severe_card(pl, p)
    pl.absent(h, ("WORK_ABILITY_LOST",))
    return f"rural household: a member aged {pl.age(p)} (past working age) with a {card}"


def _dibao_wage_blank_benefit(pl: Planner, slot: Slot, h: int, p: int) -> str:
    fact = _dibao_income(1.35, 1.65)(pl, slot, h, p)
    pl.progs.benefit[h] = NAN
    pl.absent(h, ("BENEFIT_CHECK",))
    return f"{fact}; 月保障金额 blank but the wage leaves no 补差"


# Quiet controls: households beside the new rules' situations that raise nothing at all.
# (variant, kind): chosen before the other quiet households, each max(2, 15 per million,
# min_per_tier) times.
QUIET_CONTROLS: tuple[tuple[str, str], ...] = (
    ("alone_79", "roster"),  # 77–79 living alone on 特困/低保: not yet 80
    ("aged_couple", "roster"),  # 82+ living with a spouse on 特困/低保
    ("aged_alone_edge", "roster"),  # 82+ alone, on 低保边缘 or left 低保 (退出)
    ("rural_old_illness", "rural"),  # a working-age 重大疾病 diagnosed 14–20 months ago
    ("rural_dibao_member", "rural_roster"),  # a rural-list household on 低保 already
    ("benefit_full", "roster"),  # 低保 paid its 补差 exactly
    ("benefit_within", "roster"),  # 低保 paid 93–97 % of its 补差
    ("benefit_blank_phasing", "roster"),  # 低保 渐退 with a blank 月保障金额
)


def control_slots(people: int, min_per_tier: int = 0) -> list[list[Slot]]:
    """Per quiet control, its slots (code and tier blank)."""
    n = max(CASE_MIN, round(people * CASE_PER_PERSON), min_per_tier)
    return [[Slot("", "", variant, kind) for _ in range(n)] for variant, kind in QUIET_CONTROLS]


def _quiet_alone_79(pl: Planner, h: int, p: int) -> None:
    _on_scheme(pl, h, 1)


def _quiet_aged_couple(pl: Planner, h: int, p: int) -> None:
    _on_scheme(pl, h, 2)


def _quiet_aged_alone_edge(pl: Planner, h: int, p: int) -> None:
    if pl.rng.random() < 0.5:
        pl.set_category(h, pg.EDGE, band=(1.15, 1.4))
    else:
        pl.set_category(h, pg.DIBAO, pg.EXITED, band=(1.7, 2.3))
        pl.progs.benefit[h] = NAN


def _quiet_rural_old_illness(pl: Planner, h: int, p: int) -> None:
    disease = MAJOR_DISEASES[int(pl.rng.integers(len(MAJOR_DISEASES)))]
    day = pl.days_ago(420, 600)
    pl.plan.diagnoses.append(Diagnosis(p, "重大疾病", disease, day, int(pl.rng.integers(5, 31))))


def _quiet_rural_dibao_member(pl: Planner, h: int, p: int) -> None:
    pl.set_category(h, pg.DIBAO, pg.ACTIVE, band=(0.3, 0.7))
    pl.plan.hr_zero_hh[h] = True


def _quiet_benefit(share: tuple[float, float] | None) -> Callable[[Planner, int, int], None]:
    def apply(pl: Planner, h: int, p: int) -> None:
        if share is None:  # 渐退: its income is above the standard
            pl.set_category(h, pg.DIBAO, pg.PHASING_OUT, band=(1.2, 1.6))
            pl.progs.benefit[h] = NAN
        else:
            pl.set_category(h, pg.DIBAO, pg.ACTIVE, band=(0.3, 0.7))
            pl.progs.benefit[h] = float(np.floor(_dibao_gap(pl, h) * pl.rng.uniform(*share)))
        pl.plan.hr_zero_hh[h] = True

    return apply


_QUIET_CARRIER: dict[str, Callable[[Planner, int], int]] = {
    "alone_79": _alone(77, 79),
    "aged_couple": _couple_aged,
    "aged_alone_edge": _alone(82, 95),
    "rural_old_illness": _rural_worker,
    "rural_dibao_member": _not_alone_aged(_any_adult),
    "benefit_full": _not_alone_aged(_any_adult),
    "benefit_within": _not_alone_aged(_any_adult),
    "benefit_blank_phasing": _not_alone_aged(_any_adult),
}
_QUIET_APPLY: dict[str, Callable[[Planner, int, int], None]] = {
    "alone_79": _quiet_alone_79,
    "aged_couple": _quiet_aged_couple,
    "aged_alone_edge": _quiet_aged_alone_edge,
    "rural_old_illness": _quiet_rural_old_illness,
    "rural_dibao_member": _quiet_rural_dibao_member,
    "benefit_full": _quiet_benefit((1.0, 1.0)),
    "benefit_within": _quiet_benefit((0.93, 0.97)),
    "benefit_blank_phasing": _quiet_benefit(None),
}
assert set(_QUIET_CARRIER) == set(_QUIET_APPLY) == {v for v, _ in QUIET_CONTROLS}


_CARRIER: dict[str, Callable[[Planner, int], int]] = {
    "oop_80k": _oldest,
    "oop_over_income": _any_adult,
    "oop_23k": lambda pl, h: (
        _household_of(2)(pl, h) if pl.progs.on_roster[h] else _working_age(25, 55)(pl, h)
    ),
    "oop_half_income": _household_of(2),
    "major_dx": _any_adult,
    "grade1": _age_between(3, 95),
    "grade2": _age_between(3, 95),
    "grade3_mental": _age_between(10, 95),
    "registered": _working_age(22, 50),
    "suspended": _working_age(25, 50),
    "dropout": _age_between(8, 14),
    "student": _age_between(16, 20),
    "grade_d": _head,
    "grade_c": _head,
    "three_units": _head,
    "flood_collapse": _head,
    "minor_damage": _head,
    "accident_injury": _working_age(18, 65),
    "sudden": _head,
    "edge": _head,
    "unstable": _head,
    "help_ticket": _with_phone,
    "assist_zero": _any_adult,
    "assist_blank": _any_adult,
    "rural_low": _head,
    "roster_low": _head,
    "rural_edge": _head,
    "roster_edge": _head,
    "wage_cut": _working_age(25, 55),
    "job_loss": _working_age(25, 55),
    "wage": _working_age(22, 55),
    "pension": _elder_small,
    "death": _oldest,
    "deceased_member": _oldest_of_household(2, 9),
    "all_deceased": _oldest_of_household(1, 2),
    "roster_and_rural": _rural_three,
    "rural_head_member_id_damaged": _rural_head_of(1, 1),
    "rural_no_member_links": _rural_head_of(1, 2),
    "dropout_blank_year": _age_between(8, 14),
    "wage_earners_oop": _two_earners,
    "zero_income_oop": _any_adult,
    "exited_below": _any_adult,
    "reexport": lambda pl, h: (
        _household_of(2)(pl, h) if pl.progs.on_roster[h] else _working_age(25, 55)(pl, h)
    ),
    # issue 14 (rules)
    "alone_aged": _alone(82, 95),
    "minor_alone": _child_of_parents(1, 2),
    "alone_disabled": _alone(20, 75),
    "widowed_aged": _widow_to_be,
    "rural_disabled": _rural_worker,
    "rural_major_dx": _rural_worker,
    "benefit_blank": _not_alone_aged(_any_adult),
    "benefit_zero": _not_alone_aged(_any_adult),
    "benefit_short": _not_alone_aged(_any_adult),
    "parent_left": _child_of_parents(2, 4, max_size=6),
    "disabled_with_family": lambda pl, h: (
        _age_between(20, 70)(pl, h) if int(pl.pop.hh_size[h]) >= 2 else -1
    ),
    "rural_disabled_on_dibao": lambda pl, h: (
        _rural_worker(pl, h) if int(pl.pop.hh_size[h]) >= 2 and not pl.pop.hh_urban[h] else -1
    ),
    "rural_disabled_retired": _age_between(63, 80),
    "dibao_wage_blank_benefit": _working_age(22, 55),
}
_APPLY: dict[str, Callable[[Planner, Slot, int, int], str]] = {
    "oop_80k": _oop_80k,
    "oop_over_income": _oop_over_income,
    "oop_23k": _oop_23k,
    "oop_half_income": _oop_half_income,
    "major_dx": _major_dx,
    "grade1": _card(1, False),
    "grade2": _card(2, False),
    "grade3_mental": _card(3, True),
    "registered": _registered,
    "suspended": _suspended,
    "dropout": _dropout,
    "student": _student,
    "grade_d": _house("D"),
    "grade_c": _house("C"),
    "three_units": _three_units,
    "flood_collapse": _flood_collapse,
    "minor_damage": _minor_damage,
    "accident_injury": _accident,
    "sudden": _rural_risk(pg.SUDDEN, 1),
    "edge": _rural_risk(pg.EDGE_RISK, 1),
    "unstable": _rural_risk(pg.UNSTABLE, 0),
    "help_ticket": _help_ticket,
    "assist_zero": _assist(False),
    "assist_blank": _assist(True),
    "rural_low": _income_rural(0.4, 0.6),
    "roster_low": _income_roster((pg.EDGE, pg.TEMPORARY, pg.OTHER_LOW), 0.4, 0.6),
    "rural_edge": _income_rural(1.15, 1.3),
    "roster_edge": _income_roster((pg.TEMPORARY, pg.OTHER_LOW), 1.15, 1.3),
    "wage_cut": _wage_cut,
    "job_loss": _job_loss,
    "wage": lambda pl, slot, h, p: _dibao_income(
        *((1.35, 1.65) if slot.code == "INCOME_ABOVE_STANDARD" else (2.6, 3.2))
    )(pl, slot, h, p),
    "pension": lambda pl, slot, h, p: _dibao_income(
        *((1.35, 1.65) if slot.code == "INCOME_ABOVE_STANDARD" else (2.6, 3.2))
    )(pl, slot, h, p),
    "death": _death,
    "deceased_member": _deceased_member,
    "all_deceased": _all_deceased,
    "roster_and_rural": _roster_and_rural,
    "rural_head_member_id_damaged": _rural_head_member_id_damaged,
    "rural_no_member_links": _rural_no_member_links,
    "dropout_blank_year": _dropout_blank_year,
    "wage_earners_oop": _wage_earners_oop,
    "zero_income_oop": _zero_income_oop,
    "exited_below": _exited_below,
    "reexport": _reexport,
    # issue 14 (rules)
    "alone_aged": _alone_aged,
    "minor_alone": _minor_alone,
    "alone_disabled": _alone_disabled,
    "widowed_aged": _widowed_aged,
    "rural_disabled": _rural_disabled,
    "rural_major_dx": _rural_major_dx,
    "benefit_blank": _benefit_paid("blank"),
    "benefit_zero": _benefit_paid("zero"),
    "benefit_short": _benefit_paid("short"),
    "parent_left": _parent_left,
    "disabled_with_family": _disabled_with_family,
    "rural_disabled_on_dibao": _rural_disabled_on_dibao,
    "rural_disabled_retired": _rural_disabled_retired,
    "dibao_wage_blank_benefit": _dibao_wage_blank_benefit,
}
assert set(_CARRIER) == set(_APPLY)
assert HEAD == 0  # the head is the first member of every household
