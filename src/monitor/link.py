"""Identity linking: attach every current record to a person, or honestly to nobody.

Builds, in the state: ``current_files``, ``records_current`` (all sources' current
records in one shape), the matcher's tables (matching.py), ``record_links``, one ``linked_<source>`` view per source
(clean columns + the linked person + file name), ``household_members`` and
``households``.
"""

from __future__ import annotations

import polars as pl

from monitor import matching
from monitor.contracts import contracts
from monitor.engine import Engine, source_context
from monitor.geography import load_city


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
    engine.replace("source_catalog", source_catalog())
    engine.build("20_clean/current_files.sql", {"run_id": run_id})
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


def link(engine: Engine, run_id: str) -> dict[str, int]:
    """Run the linking stage (records, then households); returns record counts by method."""
    link_records(engine, run_id)
    build_households(engine)
    return {str(m): int(n) for m, n in engine.run("30_link/link_methods.sql")}
