"""The truth files: who everyone is, what was planted, what must stay quiet, what was written."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from .context import Context
from .dates import from_day, ymd
from .files import SOURCES
from .population import RELATION_LABELS
from .sinks import WrittenFile

PERSON_COLUMNS = (
    "person_id", "name", "sex", "birth_date", "county", "township", "village", "household_id",
    "relation", "phone", "roster_family_id", "rural_household_id", "expected_household_key",
    "death_date", "twin",
)  # fmt: skip
SITUATION_COLUMNS = (
    "household_id", "expected_household_key", "person_id", "code", "tier", "fact", "kind",
    "variant",
)  # fmt: skip
QUIET_COLUMNS = ("household_id", "expected_household_key", "kind", "variant")
ABSENT_COLUMNS = ("household_id", "expected_household_key", "code")
ROW_COLUMNS = ("source", "folder", "file", "row", "person_id", "defects")
CALLER_COLUMNS = ("folder", "file", "row", "person_id", "ticket_id", "caller", "phone_known")
GRID_VISIT_COLUMNS = (
    "folder", "file", "row", "person_id", "record_no", "visited", "phone_known", "role",
)  # fmt: skip
# the side truth of a source's records (sinks' .side parts): its file and header
SIDE_FILES = {
    "hotline": ("hotline_callers.csv", CALLER_COLUMNS),
    "grid": ("grid_visits.csv", GRID_VISIT_COLUMNS),
}


def household_id(gid: int) -> str:
    """The generator's own household number."""
    return f"H{gid:08d}"


class TruthWriter:
    """Streams persons.csv, situations.csv, quiet.csv and absent.csv chunk by chunk."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._files = {
            name: open(folder / f"{name}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            for name in ("persons", "situations", "quiet", "absent")
        }
        self.persons = csv.writer(self._files["persons"], lineterminator="\n")
        self.situations = csv.writer(self._files["situations"], lineterminator="\n")
        self.quiet = csv.writer(self._files["quiet"], lineterminator="\n")
        self.absent = csv.writer(self._files["absent"], lineterminator="\n")
        self.persons.writerow(PERSON_COLUMNS)
        self.situations.writerow(SITUATION_COLUMNS)
        self.quiet.writerow(QUIET_COLUMNS)
        self.absent.writerow(ABSENT_COLUMNS)
        self.n_situations = 0
        self.n_quiet = 0
        self.n_absent = 0

    def write_chunk(self, ctx: Context) -> None:
        pop, progs, plan = ctx.pop, ctx.progs, ctx.plan
        city = ctx.city
        y, m, d = ymd(pop.p_birth)
        births = [
            f"{a:04d}-{b:02d}-{c:02d}"
            for a, b, c in zip(y.tolist(), m.tolist(), d.tolist(), strict=True)
        ]
        hh = pop.p_hh.tolist()
        hh_ids = [household_id(int(g)) for g in pop.hh_gid.tolist()]
        keys = [progs.expected_key(h) for h in range(pop.n_households)]
        villages = [city.village_name(int(v)) for v in pop.hh_village.tolist()]
        codes = [city.counties[int(c)].code for c in pop.hh_county.tolist()]
        deaths = [from_day(d).isoformat() if d >= 0 else "" for d in pop.p_death.tolist()]
        per_household = [
            (codes[h], villages[h], hh_ids[h], progs.family_id[h], progs.rural_id[h], keys[h])
            for h in range(pop.n_households)
        ]
        relations = [RELATION_LABELS[r] for r in pop.p_role.tolist()]
        fields = [per_household[h] for h in hh]
        for p in plan.off_roster:  # a member the roster omits: the rural list's household
            h = int(pop.p_hh[p])
            rural_key = "XC:" + progs.rural_id[h] if progs.on_rural[h] else ""
            fields[p] = (*per_household[h][:3], "", progs.rural_id[h], rural_key)
        self.persons.writerows(
            (
                pop.ids[p],
                pop.names[p],
                "M" if sex == 1 else "F",
                births[p],
                f[0],
                ctx.p_town[p],
                f[1],
                f[2],
                relations[p],
                pop.phones[p],
                f[3],
                f[4],
                f[5],
                deaths[p],
                "true" if twin else "false",
            )
            for p, (f, sex, twin) in enumerate(
                zip(fields, pop.p_sex.tolist(), pop.p_twin.tolist(), strict=True)
            )
        )
        for s in plan.situations:
            self.situations.writerow(
                (
                    hh_ids[s.household],
                    keys[s.household],
                    pop.ids[s.person],
                    s.code,
                    s.tier,
                    s.fact,
                    progs.kind(s.household),
                    s.variant,
                )
            )
        self.n_situations += len(plan.situations)
        for h, kind in plan.quiet:
            self.quiet.writerow((hh_ids[h], keys[h], kind, plan.quiet_controls.get(h, "")))
        self.n_quiet += len(plan.quiet)
        for a in plan.absent:
            self.absent.writerow((hh_ids[a.household], keys[a.household], a.code))
        self.n_absent += len(plan.absent)

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()


def merge_parts(written: list[WrittenFile], truth: Path) -> None:
    """rows.csv, hotline_callers.csv and grid_visits.csv from the sinks' part files, in file
    order."""
    order = {source: k for k, source in enumerate(SOURCES)}
    ordered = sorted(written, key=lambda w: (order[w.source], w.folder, w.name))
    with open(truth / "rows.csv", "w", encoding="utf-8", newline="") as out:
        out.write(",".join(ROW_COLUMNS) + "\n")
        for w in ordered:
            with open(w.truth_part, encoding="utf-8") as part:
                shutil.copyfileobj(part, out)
    for source, (name, columns) in SIDE_FILES.items():
        with open(truth / name, "w", encoding="utf-8", newline="") as out:
            out.write(",".join(columns) + "\n")
            for w in ordered:
                if w.source == source and w.side_part is not None:
                    with open(w.side_part, encoding="utf-8") as part:
                        shutil.copyfileobj(part, out)


def sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_manifest(out: Path, info: dict[str, Any]) -> None:
    """manifest.json: parameters, counts and the sha256 of every file written."""
    files: list[dict[str, Any]] = []
    for folder in ("input", "previous", "truth"):
        for path in sorted((out / folder).rglob("*")):
            if path.is_file() and path.name != "manifest.json":
                rel = path.relative_to(out).as_posix()
                files.append({"path": rel, "bytes": path.stat().st_size, "sha256": sha256(path)})
    files.sort(key=lambda f: str(f["path"]))
    manifest = {**info, "files": files}
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False)
    (out / "truth" / "manifest.json").write_text(text + "\n", encoding="utf-8")
