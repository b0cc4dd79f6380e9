"""The policy file: every number of policy.md, typed and validated on load.

A bad file gives one message listing every problem (key, value, allowed range).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from monitor.errors import PolicyError

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"

SIGNAL_CODES: tuple[str, ...] = (
    "MED_OOP_HIGH",
    "MAJOR_ILLNESS",
    "SEVERE_DISABILITY",
    "UNEMPLOYED",
    "DROPOUT",
    "EDU_COST",
    "HOUSING_UNSAFE",
    "DISASTER",
    "RURAL_RISK",
    "HOTLINE_HELP",
    "MED_ASSIST_MISSING",
    "INCOME_BELOW_STANDARD",
    "INCOME_EDGE",
    "INCOME_DROP",
    "INCOME_ABOVE_STANDARD",
    "INCOME_EXIT",
    "DECEASED",
    "ASSETS_REVIEW",
)
Tier = Literal["red", "orange", "yellow", "review"]
Money = Annotated[float, Field(ge=0, le=1_000_000)]
Share = Annotated[float, Field(ge=0, le=10)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Standard(_Model):
    urban: Money
    rural: Money


class ExitMonths(_Model):
    vulnerable: Annotated[int, Field(ge=1, le=6)]
    default: Annotated[int, Field(ge=1, le=6)]


class RetirementAge(_Model):
    male: Annotated[int, Field(ge=40, le=75)]
    female: Annotated[int, Field(ge=40, le=75)]


class Windows(_Model):
    medical_months: Annotated[int, Field(ge=1, le=60)]
    major_illness_months: Annotated[int, Field(ge=1, le=60)]
    unemployment_months: Annotated[int, Field(ge=1, le=60)]
    disaster_days: Annotated[int, Field(ge=1, le=3650)]
    hotline_days: Annotated[int, Field(ge=1, le=3650)]
    inpatient_months: Annotated[int, Field(ge=1, le=60)]


class Thresholds(_Model):
    med_oop_orange_abs: Money
    med_oop_red_abs: Money
    med_oop_min_rel: Money
    med_oop_orange_share: Share
    med_oop_red_share: Share
    wage_drop_share: Annotated[float, Field(gt=0, le=1)]
    assets_properties: Annotated[int, Field(ge=1, le=100)]


class DateRange(_Model):
    from_: dt.date = Field(alias="from")
    to: dt.date


class DeadlineDays(_Model):
    red: Annotated[int, Field(ge=0, le=60)]
    orange: Annotated[int, Field(ge=0, le=60)]
    yellow: Annotated[int, Field(ge=0, le=60)]
    review: Annotated[int, Field(ge=0, le=60)]


class Policy(_Model):
    """The year's policy (policy.md). See policy/2026.yaml for the meaning of each key."""

    year: Annotated[int, Field(ge=2000, le=2100)]
    dibao_standard: Standard
    edge_multiplier: Annotated[float, Field(gt=1, le=5)]
    gradual_exit_multiplier: Annotated[float, Field(gt=1, le=5)]
    gradual_exit_months: ExitMonths
    basic_pension_excluded: Money
    employment_cost_deduction: Annotated[float, Field(ge=0, lt=1)]
    retirement_age: RetirementAge
    min_working_age: Annotated[int, Field(ge=14, le=18)]
    post_exit_months: Annotated[int, Field(ge=0, le=120)]
    green_channel_age: Annotated[int, Field(ge=50, le=100)]
    suppress_days: Annotated[int, Field(ge=0, le=3650)]
    windows: Windows
    thresholds: Thresholds
    proactive_codes: tuple[str, ...]
    signal_weights: dict[str, Annotated[float, Field(ge=0, le=1000)]]
    deadline_working_days: DeadlineDays
    holidays: tuple[dt.date | DateRange, ...]
    extra_working_days: tuple[dt.date, ...] = ()

    def holiday_dates(self) -> set[dt.date]:
        out: set[dt.date] = set()
        for item in self.holidays:
            if isinstance(item, dt.date):
                out.add(item)
            else:
                day = item.from_
                while day <= item.to:
                    out.add(day)
                    day += dt.timedelta(days=1)
        return out

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (weekends and holidays skipped, 调休 worked).

        Example: from Wednesday 2026-09-30 with the October holiday, 1 working day
        -> 2026-10-08 (10-01..10-07 are holidays).
        """
        holidays, extra = self.holiday_dates(), set(self.extra_working_days)
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            working = day in extra or (day.weekday() < 5 and day not in holidays)
            if working:
                left -= 1
        return day

    def params(self) -> dict[str, float | int]:
        """Flat scalar parameters bound into the scoring SQL ($name)."""
        t, w = self.thresholds, self.windows
        return {
            "std_urban": self.dibao_standard.urban,
            "std_rural": self.dibao_standard.rural,
            "edge_multiplier": self.edge_multiplier,
            "exit_multiplier": self.gradual_exit_multiplier,
            "pension_excluded": self.basic_pension_excluded,
            "employment_cost": self.employment_cost_deduction,
            "retire_male": self.retirement_age.male,
            "retire_female": self.retirement_age.female,
            "min_working_age": self.min_working_age,
            "green_age": self.green_channel_age,
            "medical_months": w.medical_months,
            "major_illness_months": w.major_illness_months,
            "unemployment_months": w.unemployment_months,
            "disaster_days": w.disaster_days,
            "hotline_days": w.hotline_days,
            "inpatient_months": w.inpatient_months,
            "oop_orange_abs": t.med_oop_orange_abs,
            "oop_red_abs": t.med_oop_red_abs,
            "oop_min_rel": t.med_oop_min_rel,
            "oop_orange_share": t.med_oop_orange_share,
            "oop_red_share": t.med_oop_red_share,
            "wage_drop_share": t.wage_drop_share,
            "assets_properties": t.assets_properties,
            "exit_months_vulnerable": self.gradual_exit_months.vulnerable,
            "exit_months_default": self.gradual_exit_months.default,
            "post_exit_months": self.post_exit_months,
            "suppress_days": self.suppress_days,
        }


def _problems(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        lines.append(f"  - {key}: {err['msg']} (value: {err.get('input')!r})")
    return "\n".join(lines)


def load_policy(path: Path) -> tuple[Policy, str]:
    """Load and validate a policy file; returns the policy and the file's sha256."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read the policy file ({exc.strerror})") from exc
    try:
        policy = Policy.model_validate(yaml.safe_load(data))
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise PolicyError(f"{path}: {exc.error_count()} problem(s):\n{_problems(exc)}") from exc
    unknown = [
        c for c in (*policy.proactive_codes, *policy.signal_weights) if c not in SIGNAL_CODES
    ]
    missing = [c for c in SIGNAL_CODES if c not in policy.signal_weights]
    if unknown or missing:
        raise PolicyError(
            f"{path}: unknown signal codes {unknown or '-'}; signal_weights missing {missing or '-'}"
            f" (allowed: {', '.join(SIGNAL_CODES)})"
        )
    return policy, hashlib.sha256(data).hexdigest()


def default_policy_path(as_of: dt.date) -> Path:
    """policy/<year>.yaml for the as-of year, else the latest year available."""
    exact = POLICY_DIR / f"{as_of.year}.yaml"
    if exact.exists():
        return exact
    files = sorted(POLICY_DIR.glob("[0-9][0-9][0-9][0-9].yaml"))
    if not files:
        raise PolicyError(f"{POLICY_DIR}: no policy file; pass --policy FILE")
    return files[-1]
