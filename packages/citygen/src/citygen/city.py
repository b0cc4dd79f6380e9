"""generate_city: the whole synthetic city, chunk by chunk, streamed to open files."""

from __future__ import annotations

import datetime as dt
import logging
import math
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np

from .context import STREAMS, Context
from .dates import to_day
from .files import SOURCES, Catalogue, FileSpec, build_catalogue, reexport_month, school_year
from .geo import build_city
from .plan import Planner, Slot, all_slots, control_slots, grid_slots, split_slots
from .population import ChunkSpec, SeqAllocator, make_population
from .programs import Counters, make_programs
from .sinks import WrittenFile
from .sources import (
    disability,
    education,
    emergency,
    grid,
    health,
    hotline,
    housing,
    hr,
    medical,
    roster,
    rural,
)
from .table import Rendered, Style, Table, render
from .truth import TruthWriter, merge_parts, write_manifest
from .writer import Writer, open_writer

log = logging.getLogger(__name__)

GENERATOR_VERSION = "1.1"  # 1.1: issue 14's rules (care, work ability, benefit)
CHUNK_PEOPLE = 40_000
ROSTER_SHARE = 0.05  # of residents, as whole households
ROSTER_HOUSEHOLD_SIZE = 2.4  # average size of a roster household
RURAL_SHARE = 0.02  # of the households of rural townships
DUPLICATE_RATE = 0.005
KEEP_ORDER = ("roster", "rural")  # listed household by household


def generate_city(
    out: Path, *, people: int, seed: int, as_of: dt.date, min_per_tier: int = 0
) -> str:
    """Write a synthetic city's department exports and their truth under `out`.

    `out/input/<source>/…` holds the eleven sources' files, `out/previous/hr/…` an
    HR snapshot one month older, `out/truth/…` what the pipeline should find.
    `min_per_tier`: at least that many planted situations of every (code, tier)
    of the plan's cycles and of every case (plan.py), for measuring recall by
    tier; the roster and the rural list grow to hold them and about twice as
    many quiet households. The same arguments give byte-identical files.
    Returns a short summary (records per source, files written, wall time).
    """
    if people < 500:
        raise ValueError("people: pass at least 500 residents")
    if min_per_tier < 0:
        raise ValueError("min_per_tier: pass 0 or more")
    started = time.perf_counter()
    out = Path(out)
    for folder in ("input", "previous", "truth"):
        shutil.rmtree(out / folder, ignore_errors=True)
    run = _Run(out, people, seed, as_of, min_per_tier)
    for k in range(len(run.chunk_people)):
        run.chunk(k)
    written = run.finish()
    elapsed = time.perf_counter() - started
    return _summary(run, written, elapsed)


class _Run:
    """The state that crosses chunks: open files, ID sequences, counters, quotas."""

    def __init__(
        self, out: Path, people: int, seed: int, as_of: dt.date, min_per_tier: int
    ) -> None:
        self.out, self.people, self.seed, self.as_of = out, people, seed, as_of
        self.min_per_tier = min_per_tier
        self.parts = out / "truth" / ".parts"
        self.parts.mkdir(parents=True)
        self.city = build_city(people, seed)
        self.catalogue = build_catalogue(self.city, as_of, seed, people)
        self.writer = open_writer(self.catalogue, out, self.parts)
        self.truth = TruthWriter(out / "truth")
        self.chunk_people = _split(people, math.ceil(people / CHUNK_PEOPLE))
        self.slots = split_slots(all_slots(people, min_per_tier), self.chunk_people)
        self.grid_slots = split_slots([grid_slots(people, min_per_tier)], self.chunk_people)
        self.controls = split_slots(control_slots(people, min_per_tier), self.chunk_people)
        n = len(self.chunk_people)
        # small cities need more roster households than 5 % to hold every code's situations
        # and about as many quiet ones
        roster_total = max(
            round(ROSTER_SHARE * people / ROSTER_HOUSEHOLD_SIZE), min(110, people // 27)
        )
        rural_total = min(50, people // 60)
        if min_per_tier:  # room for the dense quotas: a household per slot at least
            demand = Counter(slot.kind for chunk in self.slots for slot in chunk)
            roster_total = max(roster_total, demand["roster"] + demand["rural_roster"])
            rural_total = max(rural_total, round(demand["rural"] / 0.7 + demand["rural_roster"]))
        self.roster_quota = _split(roster_total, n, self.chunk_people)
        self.rural_minimum = _split(rural_total, n, self.chunk_people)
        self.today = to_day(as_of)
        month = reexport_month(self.catalogue)
        first = dt.date(int(month[:4]), int(month[4:]), 1)
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        self.reexport_days = (to_day(first), to_day(following) - 1)
        self.seqs = SeqAllocator(to_day(dt.date(1900, 1, 1)), self.today, seed)
        self.counters = Counters()
        self.counts = dict.fromkeys(SOURCES, 0)
        self.households = 0
        self.first_person = 0
        self.carried: list[Slot] = []  # situations a chunk could not place go to the next
        self.grid_carried: list[Slot] = []
        self.carried_controls: list[Slot] = []  # quiet controls likewise
        # records only a file delivered again has: written after every chunk's repeated ones
        self.late: list[tuple[str, int, Rendered]] = []

    def rng(self, k: int, stream: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, k, STREAMS[stream]])

    def chunk(self, k: int) -> None:
        """Generate chunk k and stream its records out."""
        spec = ChunkSpec(k, self.chunk_people[k], self.households, self.first_person)
        pop = make_population(self.rng(k, "population"), self.city, spec, self.today, self.seqs)
        rural_quota = max(round(RURAL_SHARE * int((~pop.hh_urban).sum())), self.rural_minimum[k])
        progs = make_programs(
            self.rng(k, "programs"),
            self.city,
            pop,
            self.today,
            self.roster_quota[k],
            rural_quota,
            self.counters,
        )
        planner = Planner(
            self.rng(k, "plan"),
            pop,
            progs,
            self.today,
            school_year(self.as_of),
            self.city,
            self.counters,
            self.reexport_days,
            self.rng(k, "cases"),
        )
        self.carried = planner.plant(self.carried + self.slots[k])
        self.carried_controls = planner.plant_controls(self.carried_controls + self.controls[k])
        planner.choose_quiet()
        self.grid_carried = planner.plant_grid(
            self.grid_carried + self.grid_slots[k], self.rng(k, "grid_plan")
        )
        ctx = Context(
            self.seed,
            k,
            self.city,
            self.catalogue,
            self.as_of,
            self.people,
            pop,
            progs,
            planner.plan,
        )
        write_rng = ctx.rng("write")
        for table in _build_tables(ctx, self.counters):
            self.counts[table.source] += _write_table(
                table, self.writer, self.catalogue, write_rng, self.late
            )
        self.truth.write_chunk(ctx)
        self.households += pop.n_households
        self.first_person += pop.n_people
        log.info("chunk %d/%d: %d people", k + 1, len(self.chunk_people), pop.n_people)

    def finish(self) -> list[WrittenFile]:
        """Write the redeliveries' own records, close every file, merge the truth parts,
        write the manifest."""
        for source, f, rendered in self.late:
            self.writer.write(source, f, rendered)
            self.counts[source] += rendered.n
        self.truth.close()
        written = self.writer.close()
        merge_parts(written, self.out / "truth")
        shutil.rmtree(self.parts)
        info = {
            "generator": "citygen",
            "version": GENERATOR_VERSION,
            "seed": self.seed,
            "people": self.people,
            "households": self.households,
            "as_of": self.as_of.isoformat(),
            "min_per_tier": self.min_per_tier,
            "situations": self.truth.n_situations,
            "quiet_households": self.truth.n_quiet,
            "absent_expectations": self.truth.n_absent,
            "unplanted_slots": [
                f"{s.code}/{s.variant}/{s.kind}" for s in self.carried + self.grid_carried
            ],
            "unplanted_quiet_controls": [f"{s.variant}/{s.kind}" for s in self.carried_controls],
            "records": self.counts,
        }
        write_manifest(self.out, info)
        return written


def _split(total: int, n: int, weights: list[int] | None = None) -> list[int]:
    """`total` split into n integer parts proportional to weights (largest remainder)."""
    w = np.ones(n) if weights is None else np.array(weights, dtype=float)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(int)
    rest = total - int(base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:rest]] += 1
    return base.tolist()


def _build_tables(ctx: Context, counters: Counters) -> list[Table]:
    roster_table = roster.build(ctx)
    tables = [
        roster_table,
        education.build(ctx),
        hr.build(ctx),
        housing.build(ctx),
        health.build(ctx),
        medical.build(ctx),
        emergency.build(ctx),
        rural.build(ctx),
        disability.build(ctx),
        hotline.build(ctx, roster_table, counters),
    ]
    # the grid visits know which phones the roster and the tickets gave the state
    tables.append(grid.build(ctx, roster_table, tables[-1], counters))
    return tables


def _write_table(
    table: Table,
    writer: Writer,
    catalogue: Catalogue,
    rng: np.random.Generator,
    late: list[tuple[str, int, Rendered]],
) -> int:
    """Render a table's records file by file, with exported-twice copies, and stream them
    (a redelivery's own records go to `late`, for the end of the file)."""
    specs = catalogue.files[table.source]
    files = np.union1d(np.unique(table.file), np.unique(table.dup_target[table.dup_target >= 0]))
    unusable = np.array(
        [tags is not None and "unusable" in tags for tags in table.tags], dtype=bool
    )
    keys = [spec.key for spec in specs]
    repeats = [
        k
        for k, spec in enumerate(specs)
        if (spec.reexport_of or spec.redelivery_of)
        and keys.index(spec.reexport_of or spec.redelivery_of) in files
    ]
    files = np.union1d(files, np.array(repeats, dtype=np.int64))
    written_as: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    written = 0
    for f in files.tolist():
        spec = specs[f]
        style = Style(spec.date_style, spec.fmt == "xlsx", spec.amounts_text)
        if spec.reexport_of or spec.redelivery_of:
            rendered, own = _repeat(table, spec, keys, written_as, style)
            if own is not None:
                late.append((table.source, f, own))
        else:
            idx = np.nonzero(table.file == f)[0]
            if table.source not in KEEP_ORDER:
                idx = rng.permutation(idx)
            idx, duplicate = _with_duplicates(idx, unusable[idx], rng)
            # exported again by the next file's system: same values, that file's formats
            again = np.nonzero(table.dup_target == f)[0]
            idx = np.concatenate([idx, again])
            duplicate = np.concatenate([duplicate, np.ones(len(again), dtype=bool)])
            written_as[f] = (idx, duplicate)
            rendered = render(table, idx, duplicate, style)
        writer.write(table.source, f, rendered)
        written += rendered.n
    return written


def _repeat(
    table: Table,
    spec: FileSpec,
    keys: list[str],
    written_as: dict[int, tuple[np.ndarray, np.ndarray]],
    style: Style,
) -> tuple[Rendered, Rendered | None]:
    """A file repeating another one's records, as written there (same order, same values):
    a re-export (the records marked `reexported`, in this file's formats) or a redelivery
    (the whole file again; second, the records routed to this file alone)."""
    f = keys.index(spec.key)
    idx, duplicate = written_as.get(
        keys.index(spec.reexport_of or spec.redelivery_of),
        (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)),
    )
    if spec.reexport_of:
        keep = table.reexported[idx] & ~duplicate
        idx = idx[keep]
        none = np.zeros(len(idx), dtype=bool)
        return render(table, idx, none, style, ~none, "reexport"), None
    own = np.nonzero(table.file == f)[0]
    repeated = render(table, idx, duplicate, style, np.ones(len(idx), dtype=bool), "redelivered")
    return repeated, render(table, own, np.zeros(len(own), dtype=bool), style)


def _with_duplicates(
    idx: np.ndarray, unusable: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The same record exported twice within a file: right after itself or at the end."""
    usable = np.nonzero(~unusable)[0]
    k = int(rng.binomial(len(usable), DUPLICATE_RATE)) if len(usable) else 0
    if len(usable) >= 150:
        k = max(k, 1)
    if k == 0:
        return idx, np.zeros(len(idx), dtype=bool)
    chosen = np.sort(rng.choice(usable, size=k, replace=False))
    late = rng.random(k) < 0.5
    order = list(idx.tolist())
    flags = [False] * len(order)
    for position in chosen[~late][::-1].tolist():  # from the end, so positions stay valid
        order.insert(position + 1, order[position])
        flags.insert(position + 1, True)
    order.extend(idx[chosen[late]].tolist())
    flags.extend([True] * int(late.sum()))
    return np.array(order, dtype=np.int64), np.array(flags, dtype=bool)


def _summary(run: _Run, written: list[WrittenFile], elapsed: float) -> str:
    per_source = ", ".join(f"{source} {run.counts[source]}" for source in SOURCES)
    out = run.out
    lines = [
        f"Synthetic city: {run.people} people in {run.households} households "
        f"(seed {run.seed}, as of {run.as_of.isoformat()}).",
        f"Records: {per_source}.",
        f"Files: {len(written)} export files under {out}/input and {out}/previous; "
        f"truth in {out}/truth ({run.truth.n_situations} planted situations, "
        f"{run.truth.n_quiet} quiet households, {run.truth.n_absent} absent expectations).",
    ]
    unplanted = len(run.carried) + len(run.grid_carried)
    if unplanted:
        lines.append(f"Warning: {unplanted} situations found no household to plant them in.")
    lines.append(f"Wall time: {elapsed:.1f} s.")
    return "\n".join(lines)
