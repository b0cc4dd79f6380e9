"""Identity linking: attach every current record to a person, or honestly to nobody.

Builds, in the state: ``current_files``, ``records_current`` (all sources' current
records in one shape), the matcher's tables (matching.py), ``record_links``, one ``linked_<source>`` view per source
(clean columns + the linked person + file name), ``household_members`` and
``households``.
"""

from __future__ import annotations

import duckdb
import polars as pl

from monitor import matching
from monitor.contracts import contracts
from monitor.geography import load_city
from monitor.state import build_table, replace_table, run_sql


def source_catalog() -> pl.DataFrame:
    """One row per source: its kind (snapshot/event), from the contracts, for the SQL models."""
    return pl.DataFrame(
        {"source": list(contracts()), "kind": [c.kind for c in contracts().values()]},
        schema={"source": pl.String, "kind": pl.String},
    )


def _records_current_sql() -> str:
    parts = []
    for source, contract in contracts().items():
        p = contract.person
        township = f"c.{p.township}" if p.township else "cast(null as varchar)"
        parts.append(
            f"select '{source}' as source, c.file_hash, c._row, c.person_id, c.id_status,"
            f" c.id_prefix, c.{p.name} as name, c.name_key, c.phone_norm, {township} as township,"
            f" c.quarantine_reason, c.flags, c.record_hash, c.content_hash\n"
            f"from clean_{source} as c\n"
            f"inner join current_files as f on f.source = '{source}' and f.file_hash = c.file_hash"
        )
    return "CREATE OR REPLACE TABLE records_current AS\n" + "\nunion all\n".join(parts)


def _raw_ids_sql() -> str:
    parts = [
        f"select '{s}' as source, file_hash, _row, {c.person.id} as id_text from raw_{s}"
        for s, c in contracts().items()
    ]
    return "CREATE OR REPLACE VIEW raw_ids AS\n" + "\nunion all\n".join(parts)


def _linked_view_sql(source: str) -> str:
    # rl.person_id replaces the clean layer's: linking decides who a record is about. Only the
    # version of a record that counts (record_versions): a record delivered twice, in the
    # same file, a re-export or a re-sent file, is scored once.
    return (
        f"CREATE OR REPLACE VIEW linked_{source} AS\n"
        f"select c.* exclude (person_id), rl.person_id, rl.method, '{source}' as source,"
        f" fl.file_name\n"
        f"from clean_{source} as c\n"
        f"inner join current_files as f on f.source = '{source}' and f.file_hash = c.file_hash\n"
        f"inner join record_links as rl on rl.source = '{source}'"
        f" and rl.file_hash = c.file_hash and rl._row = c._row\n"
        f"inner join record_versions as v on v.source = '{source}'"
        f" and v.file_hash = c.file_hash and v._row = c._row and v.counts\n"
        f"inner join files as fl on fl.file_hash = c.file_hash"
    )


def link_records(
    con: duckdb.DuckDBPyConnection, run_id: str, cfg: matching.LinkageConfig | None = None
) -> None:
    """Attach every current record to a person or to nobody: record_links and the linked_* views.

    ``cfg`` overrides config/linkage.yaml (benchmarks of other thresholds).
    """
    replace_table(con, "source_catalog", source_catalog())
    build_table(con, "20_clean/current_files.sql", {"run_id": run_id})
    run_sql(con, _records_current_sql(), stage="30_link/records_current")
    run_sql(con, _raw_ids_sql(), stage="30_link/raw_ids")
    matching.resolve(con, cfg)
    build_table(con, "30_link/record_links.sql")
    build_table(con, "30_link/record_versions.sql")
    for source in contracts():
        run_sql(con, _linked_view_sql(source), stage=f"30_link/linked_{source}")
    run_sql(
        con,
        "CREATE OR REPLACE VIEW linked_records AS select r.* exclude (person_id),"
        " rl.person_id from records_current r join record_links rl using (source, file_hash, _row)",
        stage="30_link/linked_records",
    )


def build_households(con: duckdb.DuckDBPyConnection) -> None:
    """household_members and households, from the linked records."""
    city = load_city()
    replace_table(con, "city_townships", city.township_table())
    replace_table(con, "city_counties", city.county_table())
    build_table(con, "30_link/household_members.sql")
    build_table(con, "30_link/households.sql")


def link(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Run the linking stage (records, then households); returns record counts by method."""
    link_records(con, run_id)
    build_households(con)
    rows = con.execute(
        "select method, count(*) from record_links group by method order by method"
    ).fetchall()
    return {str(m): int(n) for m, n in rows}
