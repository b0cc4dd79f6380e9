"""Splink (5.x, DuckDB backend) on the prepared state of bench/linkage.py: two configurations.

Imported only inside the Splink worker process of bench/linkage.py, so that the
project's environment (without Splink) can import the benchmark.

Link type: link_only between a registry (one row per person known to the state:
everyone whose valid or repaired ID is on a current record, as sql/30_link/persons.sql,
with their phones and townships as sql/30_link/person_contacts.sql) and the
records (every current record that is not quarantined). Every record gets its
best-scoring registry person; bench/linkage.py applies the threshold.

- ``generic``: blocking on exact ID, on birth date + county, on name; comparisons
  name (Splink's NameComparison: exact / Jaro-Winkler levels), ID (exact /
  Levenshtein levels), birth date (DateOfBirthComparison), county (exact);
  u by random sampling, m by EM (no sampling), threshold 0.5.
- ``best``: a checksum-aware ID comparison (exact valid ID; one substitution or
  one adjacent swap away from an ID whose check character is wrong; the 15
  surviving characters of an Excel-truncated ID, with Excel's rounding), name
  and pinyin levels with term-frequency adjustment, phone and township,
  birth date and county; blocking rules that also reach records without any ID
  (pinyin + township, phone, name for records with no ID at all); u by random
  sampling (levels the sample never meets: u = 1 / pairs sampled), m by EM with
  sampling (max_pairs); the threshold is swept by the caller.
"""

from __future__ import annotations

import time
from typing import Any

import duckdb
import polars as pl

from monitor.engine import Engine
from monitor.matching import pinyin_column

REGISTRY = "a_registry"  # two-dataset link_only: the table whose name sorts first is the left side
RECORDS = "b_records"

# Features of a record, derived from the clean columns only (the same inputs our linker has).
# id: the normalized ID when usable, the 18 characters of an ID with a wrong check
# character, the 15 characters Excel left of a truncated one. Birth date and county
# are read from whatever ID text there is, even with a wrong check character.
RECORD_FEATURES = """
with base as (
    select source, file_hash, _row, id_status, name_key, phone_norm, township,
        case
            when id_status in ('valid', 'repaired') then person_id
            when id_status in ('bad_check', 'truncated') then id_prefix
        end as id
    from records_current
    where quarantine_reason is null
)
select
    row_number() over (order by source, file_hash, _row) as unique_id,
    source, file_hash, _row, id_status, id,
    substr(id, 1, 15) as id15,
    -- Excel rounds to 15 significant digits: the true first 15 may be one less
    case when id_status = 'truncated' and regexp_full_match(id, '[0-9]{15}') and id <> '000000000000000'
        then lpad(cast(cast(id as bigint) - 1 as varchar), 15, '0') end as id15_alt,
    nullif(substr(id, 7, 8), '') as dob,
    nullif(substr(id, 1, 6), '') as county,
    case when length(id) = 18 then substr(id, 15, 4) end as seq,
    name_key,
    case when phone_norm is not null then [phone_norm] end as phones,
    township,
    case when township is not null then [township] end as townships
from base
"""

# One row per person known to the state, from the state's own registry tables (built in the
# prepare step by sql/30_link/person_names.sql, persons.sql and person_contacts.sql, the
# same definition our matcher uses): the person's name, and the phones and townships on
# their ID-bearing records plus the roster household's phone.
REGISTRY_FEATURES = """
with contacts as (
    select
        person_id,
        list(distinct value order by value) filter (where kind = 'phone') as phones,
        min(value) filter (where kind = 'township') as township,
        list(distinct value order by value) filter (where kind = 'township') as townships
    from person_contacts
    group by person_id
)
select
    row_number() over (order by p.person_id) as unique_id,
    p.person_id,
    'valid' as id_status,
    p.person_id as id,
    substr(p.person_id, 1, 15) as id15,
    cast(null as varchar) as id15_alt,
    substr(p.person_id, 7, 8) as dob,
    substr(p.person_id, 1, 6) as county,
    substr(p.person_id, 15, 4) as seq,
    p.name_key,
    c.phones,
    c.township,
    c.townships
from persons as p
left join contacts as c using (person_id)
"""

GENERIC_COLUMNS = ["unique_id", "id", "dob", "county", "name_key"]
BEST_COLUMNS = [
    "unique_id",
    "id_status",
    "id",
    "id15",
    "id15_alt",
    "dob",
    "county",
    "seq",
    "name_key",
    "pinyin",
    "phones",
    "township",
    "townships",
]


def _prepare_inputs(con: duckdb.DuckDBPyConnection, config: str) -> dict[str, int]:
    """Tables sp_registry_full / sp_records_full (all features) and the config's input tables."""
    con.execute(f"CREATE OR REPLACE TABLE sp_records_full AS {RECORD_FEATURES}").fetchall()
    con.execute(f"CREATE OR REPLACE TABLE sp_registry_full AS {REGISTRY_FEATURES}").fetchall()
    if config == "best":
        names = Engine(con).frame(
            "select distinct name_key from (select name_key from sp_records_full"
            " union all select name_key from sp_registry_full) where name_key is not null",
        )["name_key"]
        frame = pl.DataFrame({"name_key": names, "pinyin": pinyin_column(names)})
        con.register("_sp_pinyin", frame.to_arrow())
        con.execute("CREATE OR REPLACE TABLE sp_pinyin AS SELECT * FROM _sp_pinyin").fetchall()
        con.unregister("_sp_pinyin")
        columns = BEST_COLUMNS
    else:
        columns = GENERIC_COLUMNS
    for full, name in (("sp_registry_full", REGISTRY), ("sp_records_full", RECORDS)):
        select = ", ".join(f"t.{c}" if c != "pinyin" else "py.pinyin" for c in columns)
        join = " left join sp_pinyin as py using (name_key)" if "pinyin" in columns else ""
        con.execute(
            f"CREATE OR REPLACE TABLE {name} AS SELECT {select} FROM {full} AS t{join}"
        ).fetchall()
    count = {
        name: int(con.execute(f"select count(*) from {name}").fetchall()[0][0])
        for name in (REGISTRY, RECORDS)
    }
    return count


# ---------------------------------------------------------------- settings


def generic_settings(capped: bool = False) -> tuple[Any, list[Any], dict[str, Any]]:
    """The generic configuration; `capped`: its name-only blocking rule narrowed to name +
    birth year for prediction (EM sampled instead), for cities where name alone blocks
    too many pairs."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    by_name = block_on("name_key", "substr(dob, 1, 4)") if capped else block_on("name_key")
    blocking = [block_on("id"), block_on("dob", "county"), by_name]
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("name_key"),
            cl.LevenshteinAtThresholds("id", [1, 2]),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y%m%d"),
            cl.ExactMatch("county"),
        ],
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    em_rules = [block_on("dob", "county"), block_on("name_key")]
    description = {
        "blocking": ["id", "dob + county", "name_key + birth year" if capped else "name_key"],
        "comparisons": [
            "name_key: NameComparison (exact, JW>=0.92, >=0.88, >=0.7, else)",
            "id: Levenshtein (exact, <=1, <=2, else)",
            "dob: DateOfBirthComparison (exact, DL<=1, <=1 month, <=1 year, <=10 years, else)",
            "county: exact / else",
        ],
        "em": ["dob + county", "name_key"],
    }
    return settings, em_rules, description


def _id_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    either = "(id_status_l = '{s}' or id_status_r = '{s}')"
    return cl.CustomComparison(
        output_column_name="id",
        comparison_levels=[
            cll.NullLevel("id"),
            cll.CustomLevel("id_l = id_r", "exact valid ID"),
            cll.CustomLevel(
                f"{either.format(s='bad_check')} and length(id_l) = 18 and length(id_r) = 18"
                " and damerau_levenshtein(id_l, id_r) = 1",
                "wrong check character, one substitution or adjacent swap away",
            ),
            cll.CustomLevel(
                f"{either.format(s='truncated')} and (id15_l = id15_r"
                " or id15_alt_l = id15_r or id15_l = id15_alt_r)",
                "Excel-truncated ID, same 15 surviving characters",
            ),
            cll.CustomLevel(
                f"({either.format(s='bad_check')} or {either.format(s='truncated')})",
                "damaged ID pointing elsewhere",
            ),
            cll.ElseLevel(),
        ],
    )


def _name_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("name_key", term_frequency_adjustments=True),
            cll.ExactMatchLevel("pinyin", term_frequency_adjustments=True).configure(
                label_for_charts="same pinyin"
            ),
            cll.Or(
                cll.JaroWinklerLevel("name_key", 0.88), cll.JaroWinklerLevel("pinyin", 0.9)
            ).configure(label_for_charts="similar name or pinyin"),
            cll.ElseLevel(),
        ],
    )


def _array_comparison(column: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ArrayIntersectLevel(column, 1),
            cll.ElseLevel(),
        ],
    )


def best_settings() -> tuple[Any, list[Any], dict[str, Any]]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule

    blocking = [
        block_on("id"),
        block_on("id15"),
        CustomRule("l.id15 = r.id15_alt"),
        CustomRule("l.id15_alt = r.id15"),
        # one substitution or adjacent swap leaves one of these parts of the ID intact
        block_on("dob", "county"),  # chars 1-14
        block_on("county", "seq"),  # chars 1-6 and 15-18
        block_on("dob", "seq"),  # chars 7-18
        block_on("substr(id, 8, 11)"),  # chars 8-18 (a swap of chars 6 and 7)
        block_on("substr(id, 1, 13)", "substr(id, 16, 3)"),  # a swap of chars 14 and 15
        # records without a usable ID: same pinyin in the same township, a phone in common
        CustomRule(
            "l.pinyin = r.pinyin and l.township = r.township"
            " and r.id_status not in ('valid', 'repaired')"
        ),
        block_on("phones", arrays_to_explode=["phones"]),
        # records without any ID, township or phone: their name is all there is
        CustomRule("l.name_key = r.name_key and r.id is null and r.township is null"),
    ]
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            _id_comparison(),
            _name_comparison(),
            _array_comparison("phones"),
            _array_comparison("townships"),
            cl.CustomComparison(
                output_column_name="dob",
                comparison_levels=[
                    cll.NullLevel("dob"),
                    cll.ExactMatchLevel("dob"),
                    cll.DamerauLevenshteinLevel("dob", 1),
                    cll.ElseLevel(),
                ],
            ),
            cl.ExactMatch("county"),
        ],
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    em_rules = [block_on("dob", "county"), block_on("name_key")]
    description = {
        "blocking": [
            "id",
            "id15",
            "id15 = Excel-rounded id15 - 1 (both ways)",
            "ID chars 1-14 (county + dob), 1-6 + 15-18 (county + seq), 7-18 (dob + seq),"
            " 8-18, 1-13 + 16-18: one substitution or adjacent swap leaves one intact",
            "pinyin + township, records without a usable ID",
            "phone (registry phones exploded)",
            "name_key, records with no ID and no township",
        ],
        "comparisons": [
            "id: null / exact / bad check char and DL=1 (substitution or adjacent swap)"
            " / truncated and same 15 (Excel rounding) / damaged ID elsewhere / else",
            "name: null / exact name_key (TF) / same pinyin (TF) / JW(name)>=0.88 or"
            " JW(pinyin)>=0.9 / else",
            "phones: null / any in common / else",
            "townships: null / any in common / else",
            "dob: null / exact / DL<=1 / else",
            "county: exact / else",
        ],
        "em": ["dob + county", "name_key"],
    }
    return settings, em_rules, description


# ---------------------------------------------------------------- run


def run(
    con: duckdb.DuckDBPyConnection,
    config: str,
    *,
    threshold_floor: float,
    u_max_pairs: float,
    em_max_pairs: float,
    max_pairs: float,
    seed: int,
) -> dict[str, Any]:
    """Train and predict; table sp_best(rec_id, reg_id, match_probability): every record's best
    registry candidate with probability >= threshold_floor.

    Before training, the blocked pairs are counted (Splink's estimate from a 5 % sample of
    each side, not timed); above `max_pairs` the configuration is not run ("skipped" says
    why). Returns the timings (s) and the configuration's description.
    """
    from splink import DuckDBAPI, Linker, block_on

    timings: dict[str, float] = {}
    started = time.perf_counter()
    counts = _prepare_inputs(con, config)
    timings["inputs"] = time.perf_counter() - started

    if config == "best":
        settings, em_rules, description = best_settings()
    else:
        settings, em_rules, description = generic_settings(capped=config == "generic-capped")
    sampled = config != "generic"
    db_api = DuckDBAPI(connection=con)
    registry = db_api.register(REGISTRY, dataset_display_name=REGISTRY)
    records = db_api.register(RECORDS, dataset_display_name=RECORDS)
    linker = Linker([registry, records], settings, log_level=None)
    description.update(
        {
            "registry_rows": counts[REGISTRY],
            "record_rows": counts[RECORDS],
            "u_max_pairs": u_max_pairs,
            "em_max_pairs": em_max_pairs if sampled else None,
        }
    )

    mark = time.perf_counter()
    blocked = linker.blocking_analysis.count_comparisons_from_blocking_rules()
    description["blocked_pairs_estimate"] = {
        str(r["blocking_rule"]): int(r["marginal_comparison_count"]) for r in blocked
    }
    total = int(blocked[-1]["cumulative_comparison_count"])
    description["blocked_pairs_total_estimate"] = total
    counting = time.perf_counter() - mark
    if total > max_pairs:
        return {
            "timings": timings,
            "description": description,
            "not_timed": {"count_pairs": counting},
            "skipped": f"not run: its blocking rules make ~{total:,} pairs to score"
            f" (estimate; cap {max_pairs:,.0f})",
        }

    mark = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match([block_on("id")], recall=0.95)
    timings["lambda"] = time.perf_counter() - mark
    mark = time.perf_counter()
    linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    if config == "best":
        description["u_not_observed"] = _floor_unobserved_u(linker, 1.0 / u_max_pairs)
    timings["u"] = time.perf_counter() - mark
    for i, rule in enumerate(em_rules, start=1):
        mark = time.perf_counter()
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=em_max_pairs if sampled else None
        )
        timings[f"em{i}"] = time.perf_counter() - mark

    mark = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold_floor)
    timings["predict"] = time.perf_counter() - mark

    mark = time.perf_counter()
    table = predictions.physical_name
    record_side = f"source_dataset_l = '{RECORDS}'"
    con.execute(
        f"""
        CREATE OR REPLACE TABLE sp_best AS
        select
            case when {record_side} then unique_id_l else unique_id_r end as rec_id,
            case when {record_side} then unique_id_r else unique_id_l end as reg_id,
            match_probability
        from {table}
        qualify row_number() over (
            partition by case when {record_side} then unique_id_l else unique_id_r end
            order by match_probability desc,
                case when {record_side} then unique_id_r else unique_id_l end
        ) = 1
        """
    ).fetchall()
    timings["best_match"] = time.perf_counter() - mark
    description["scored_pairs_above_floor"] = int(
        con.execute(f"select count(*) from {table}").fetchall()[0][0]
    )
    description["probability_two_random_records_match"] = (
        linker._settings_obj._probability_two_random_records_match
    )
    description["match_weights"] = _match_weights(linker)
    return {"timings": timings, "description": description, "not_timed": {"count_pairs": counting}}


def _floor_unobserved_u(linker: Any, u: float) -> list[str]:
    """Levels that random sampling never met (a typo'd ID one edit from a random person's:
    about one pair in 1e8 or fewer) get u = 1 / pairs sampled, the most their frequency
    can be, instead of Splink's default for untrained levels (about 1e-3, which would make
    the checksum-aware levels nearly worthless at 1M). Returns the levels floored."""
    floored = []
    for comparison in linker._settings_obj.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            if not level._has_estimated_u_values:
                level.u_probability = u
                floored.append(f"{comparison.output_column_name}: {level.label_for_charts}")
    return floored


def _match_weights(linker: Any) -> dict[str, list[str]]:
    """Per comparison, each level's label with its m, u and match weight (for the report)."""
    out: dict[str, list[str]] = {}
    for comparison in linker._settings_obj.comparisons:
        rows = []
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            m, u = level.m_probability, level.u_probability
            weight = level._log2_bayes_factor if m and u else None
            rows.append(
                f"{level.label_for_charts}: m={m if m is None else f'{m:.3g}'}"
                f" u={u if u is None else f'{u:.3g}'}"
                f" w={weight if weight is None else f'{weight:.1f}'}"
            )
        out[comparison.output_column_name] = rows
    return out


def export_sql(out: str) -> str:
    """Every non-quarantined record with its best candidate (or none), as parquet."""
    return f"""
    COPY (
        select r.source, r.file_hash, r._row, g.person_id, b.match_probability
        from sp_records_full as r
        left join sp_best as b on b.rec_id = r.unique_id
        left join sp_registry_full as g on g.unique_id = b.reg_id
    ) TO '{out}' (FORMAT parquet)
    """
