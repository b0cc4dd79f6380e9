"""Identity linking: attach every current record to a person, or honestly to nobody.

Builds, in the state: ``current_files``, ``records_current`` (all sources' current
records in one shape), the matcher's tables (matching.py), ``record_links``, one ``linked_<source>`` view per source
(clean columns + the linked person + file name), ``household_members`` and
``households``.
"""

from __future__ import annotations

import functools
import hashlib
import logging

import polars as pl

from monitor import matching
from monitor.contracts import contracts
from monitor.engine import Engine, source_context
from monitor.geography import load_city
from monitor.resources import packaged

log = logging.getLogger(__name__)


def source_catalog() -> pl.DataFrame:
    """One row per source, from the contracts, for the SQL models: its kind (snapshot/event),
    its label for people, whether it is a register of households (authoritative names and
    memberships) and whether its records are taken by phone."""
    every = list(contracts().values())
    return pl.DataFrame(
        {
            "source": [c.source for c in every],
            "kind": [c.kind for c in every],
            "label": [c.label for c in every],
            "household_register": [c.household_register for c in every],
            "by_phone": [c.by_phone for c in every],
        },
        schema={
            "source": pl.String,
            "kind": pl.String,
            "label": pl.String,
            "household_register": pl.Boolean,
            "by_phone": pl.Boolean,
        },
    )


def link_records(engine: Engine, run_id: str, cfg: matching.LinkageConfig | None = None) -> None:
    """Attach every current record to a person or to nobody: record_links and the linked_* views.

    ``cfg`` overrides config/linkage.yaml (benchmarks of other thresholds).
    """
    _current_files(engine, run_id)
    _link_current(engine, cfg)


def _current_files(engine: Engine, run_id: str) -> None:
    """The source catalog and the files whose records are current at run `run_id`."""
    engine.replace("source_catalog", source_catalog())
    engine.build("20_clean/current_files.sql", {"run_id": run_id})


def _link_current(engine: Engine, cfg: matching.LinkageConfig | None) -> None:
    """link_records once current_files is built. The last link's inputs are forgotten first:
    tables rebuilt halfway, or with other settings, are no night's to keep."""
    engine.run("30_link/forget_link_inputs.sql")
    engine.build("30_link/records_current.sql")
    engine.build("30_link/raw_ids.sql")
    matching.resolve(engine, cfg)
    engine.build("30_link/record_links.sql")
    engine.build("30_link/record_versions.sql")
    for source in source_context():
        engine.build(
            "30_link/linked_source.sql",
            name=f"linked_{source['source']}",
            context={"source": source},
        )
    engine.build("30_link/linked_records.sql")


def build_households(engine: Engine) -> None:
    """household_members and households, from the linked records."""
    city = load_city()
    engine.replace("city_townships", city.township_table())
    engine.replace("city_counties", city.county_table())
    engine.build("30_link/household_members.sql")
    engine.build("30_link/households.sql")


# Package files whose change can change a link: everything but the policy (which linking
# does not read) and compiled caches.
_CODE_SUFFIXES = (".py", ".sql", ".yaml", ".yml", ".json")


@functools.cache
def code_fingerprint() -> str:
    """A digest of this monitor's code, SQL, contracts and packaged settings."""
    root = packaged()
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in _CODE_SUFFIXES):
        relative = path.relative_to(root).as_posix()
        if relative.startswith("policy/"):
            continue
        digest.update(f"{relative}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_fingerprint(engine: Engine, cfg: matching.LinkageConfig) -> str:
    """What this night's link would be computed from (current_files must be built): the
    state's current files and identity decisions, the linkage settings, the city's reference
    list, the source catalog and the code. Equal fingerprints give equal link tables."""
    city = load_city()
    digest = hashlib.sha256()
    for part in (
        str(engine.value("30_link/link_inputs.sql")),
        cfg.model_dump_json(),
        city.township_table().write_csv(),
        city.county_table().write_csv(),
        source_catalog().write_csv(),
        code_fingerprint(),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def link(engine: Engine, run_id: str) -> dict[str, int]:
    """Run the linking stage (records, then households); returns record counts by method.

    A night whose inputs are those of the last completed link (no new file, no new identity
    decision, the same settings and code) keeps its tables: linking is a function of them.
    """
    cfg = matching.load_config()
    _current_files(engine, run_id)
    fingerprint = inputs_fingerprint(engine, cfg)
    last = engine.run("30_link/last_link_inputs.sql")  # [(fingerprint, run_id)] or []
    if last and last[0][0] == fingerprint:
        log.info("身份匹配的输入（现行文件、复核结论、匹配设置、程序）与 %s 的运行相同：沿用其匹配结果。",
                 last[0][1])  # fmt: skip
    else:
        _link_current(engine, cfg)
        build_households(engine)
        engine.run(
            "30_link/remember_link_inputs.sql", {"fingerprint": fingerprint, "run_id": run_id}
        )
    return {str(m): int(n) for m, n in engine.run("30_link/link_methods.sql")}
