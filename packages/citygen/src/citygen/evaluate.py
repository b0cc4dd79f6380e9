"""Link quality of a run against a generated city's truth (`citygen evaluate`, `monitor evaluate`).

Precision: of the records the run attached to a person (exact, repaired,
fuzzy), the share attached to the right one. Recall: of the records whose
person is known to the state (their valid ID is on some record), the share
attached to the right one; records sent to review count as not linked. Both overall, by defect tag of the truth,
by source, and on the populations the issues set targets for: records carrying an ID in
any form, hotline tickets from callers whose phone is known to the state (issue 4), and
the grid visits the generator planted as GRID_REPORT situations (issue 14).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

LINKED = ("exact", "repaired", "fuzzy")


def _read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, encoding="utf8")


def _records_without_id(input_dir: Path) -> pl.DataFrame:
    """(source, file, row) of the INPUT records whose ID cell is blank, in the sources whose
    contract makes the ID optional (the hotline: most callers give none). Elsewhere the ID
    is required, and the generator tags a blanked one id_blank."""
    from monitor.contracts import contracts
    from monitor.ingest import list_files
    from monitor.normalize import present
    from monitor.readers import read_file

    parts = [pl.DataFrame(schema={"source": pl.String, "file": pl.String, "row": pl.String})]
    for source, contract in contracts().items():
        if contract.column(contract.person.id).required:
            continue
        for path in list_files(input_dir / source):
            try:
                frame = read_file(path, source, contract).frame
            except Exception:  # an unreadable file is the run's to report; evaluation goes on
                continue
            parts.append(
                frame.filter(~present(pl.col(contract.person.id))).select(
                    pl.lit(source).alias("source"),
                    pl.lit(path.name).alias("file"),
                    pl.col("_row").cast(pl.String).alias("row"),
                )
            )
    return pl.concat(parts)


def evaluate(out: Path, truth: Path) -> pl.DataFrame:
    """One row per population: records, linked, correct, precision, recall, review share."""
    return evaluate_links(_read(out / "links.csv"), truth)


def evaluate_links(
    links: pl.DataFrame,
    truth: Path,
    *,
    known_persons: pl.Series | None = None,
    extra_populations: list[tuple[str, pl.Expr]] | None = None,
) -> pl.DataFrame:
    """The table of `evaluate` for any linker's decisions.

    `links`: one row per record, columns source, file, row (the data record's
    number in its file, as in truth/rows.csv), person_id (null when not linked)
    and method (exact, repaired, fuzzy = linked; anything else = not linked;
    review counts in the review share). Other columns are kept for
    `extra_populations` (label, condition on the joined frame), appended after
    the standard populations. `known_persons`: the persons known to the state;
    by default those of the exact and repaired links, as in a run's links.csv
    (pass them explicitly to score linkers that have no such methods).
    """
    rows = _read(truth / "rows.csv")
    if "folder" in rows.columns:
        rows = rows.filter(pl.col("folder") == "input")
    links = links.with_columns(pl.col("row").cast(pl.String))
    # Known to the state: everyone whose valid ID appears on some record (issue 4). A
    # person whose only record carries a damaged ID cannot be linked to: the right
    # answer for that record is "no link", and it is left out of recall.
    if known_persons is None:
        known_persons = links.filter(pl.col("method").is_in(["exact", "repaired"]))["person_id"]
    joined = links.join(rows, on=["source", "file", "row"], how="inner", suffix="_true")
    joined = joined.with_columns(
        pl.col("defects").fill_null(""),
        pl.col("person_id_true").fill_null(""),
        pl.col("person_id").fill_null(""),
        pl.col("method").is_in(LINKED).alias("linked"),
    ).with_columns(
        (pl.col("linked") & (pl.col("person_id") == pl.col("person_id_true"))).alias("correct"),
        pl.col("person_id_true").is_in(known_persons.implode()).alias("known"),
    )
    # No ID: blanked by the generator (id_blank), or left blank where the ID is optional (a
    # hotline ticket whose caller gave none: the usual case, so the truth does not tag it).
    joined = joined.join(
        _records_without_id(truth.parent / "input").with_columns(pl.lit(True).alias("_no_id")),
        on=["source", "file", "row"],
        how="left",
    ).with_columns(
        (pl.col("_no_id").fill_null(False) | pl.col("defects").str.contains("id_blank")).alias(
            "_no_id"
        )
    )
    populations: list[tuple[str, pl.Expr]] = [
        ("all records", pl.lit(True)),
        ("records carrying an ID in any form", ~pl.col("_no_id")),
        ("records without an ID", pl.col("_no_id")),
    ]
    callers = truth / "hotline_callers.csv"
    if callers.exists():
        known_phone = _read(callers)
        flag = next((c for c in known_phone.columns if "phone" in c and "known" in c), None)
        if flag:
            keys = known_phone.filter(pl.col(flag).str.to_lowercase().is_in(["true", "1", "yes"]))
            joined = joined.join(
                keys.select("file", "row").with_columns(pl.lit(True).alias("_phone_known")),
                on=["file", "row"],
                how="left",
            ).with_columns(pl.col("_phone_known").fill_null(False))
            populations.append(
                (
                    "hotline tickets, caller's phone known",
                    (pl.col("source") == "hotline") & pl.col("_phone_known"),
                )
            )
    visits = truth / "grid_visits.csv"
    if visits.exists():
        roles = _read(visits).select("file", "row", pl.col("role").alias("_grid_role"))
        joined = joined.join(roles, on=["file", "row"], how="left").with_columns(
            pl.when(pl.col("source") == "grid").then(pl.col("_grid_role")).alias("_grid_role")
        )
        populations += [
            ("grid visits, planted (GRID_REPORT)", pl.col("_grid_role") == "planted"),
            ("grid visits, quiet households' controls", pl.col("_grid_role") == "quiet"),
        ]
    populations += [
        (f"source: {s}", pl.col("source") == s) for s in sorted(joined["source"].unique())
    ]
    populations += extra_populations or []
    tags = sorted({t for d in joined["defects"].unique().to_list() for t in d.split(";") if t})
    populations += [
        (f"defect: {t}", pl.col("defects").str.split(";").list.contains(t)) for t in tags
    ]
    result = []
    for label, condition in populations:
        part = joined.filter(condition)
        linked = int(part["linked"].sum())
        correct = int(part["correct"].sum())
        relevant = part.filter(pl.col("known") & (pl.col("person_id_true") != ""))
        result.append(
            {
                "population": label,
                "records": part.height,
                "linked": linked,
                "correct": correct,
                "precision": correct / linked if linked else None,
                "recall": int(relevant["correct"].sum()) / relevant.height
                if relevant.height
                else None,
                "review_share": int((part["method"] == "review").sum()) / part.height
                if part.height
                else None,
            }
        )
    return pl.DataFrame(result)


def evaluate_signals(out: Path, truth: Path) -> tuple[pl.DataFrame, dict[str, float]]:
    """Planted situations found with the expected tier, by signal; the false-alarm rate; and
    the codes that must stay absent.

    A situation is found when a warning row of the planted household (its key,
    or any of its members among member_ids) carries the code at the expected
    tier; a member counts for the household whose key the truth gives that
    member (a person the roster omits belongs to another household). A quiet
    household ("nothing to raise") is a false alarm when any warning row
    belongs to it. An absent expectation (truth/absent.csv: a code that must
    not be raised for a planted household) is violated when a warning row of
    that household carries the code.
    """
    warnings = _read(out / "warnings.csv").with_columns(
        pl.col("member_ids").fill_null("").str.split(";").alias("members")
    )
    persons = _read(truth / "persons.csv").select(
        "person_id", "household_id", pl.col("expected_household_key").alias("_member_key")
    )
    exploded = warnings.select("household_key", "codes", "signal_tiers", "members").explode(
        "members"
    )
    by_member = exploded.join(persons, left_on="members", right_on="person_id", how="inner")
    situations = _read(truth / "situations.csv")
    keyed = warnings.select("household_key", "codes", "signal_tiers")

    def rows_of(frame: pl.DataFrame) -> pl.DataFrame:
        via_key = frame.join(
            keyed, left_on="expected_household_key", right_on="household_key", how="inner"
        )
        via_member = frame.join(
            by_member.select("household_id", "_member_key", "codes", "signal_tiers"),
            on="household_id",
            how="inner",
        ).filter(pl.col("_member_key").eq_missing(pl.col("expected_household_key")))
        cols = [*frame.columns, "codes", "signal_tiers"]
        return pl.concat([via_key.select(cols), via_member.select(cols)]).unique(
            maintain_order=True
        )

    matched = rows_of(situations.with_row_index("_sid")).with_columns(
        pl.col("signal_tiers")
        .str.split(";")
        .list.contains(pl.col("code") + "=" + pl.col("tier"))
        .alias("hit"),
        pl.col("codes").str.split(";").list.contains(pl.col("code")).alias("code_hit"),
    )
    per_situation = matched.group_by("_sid").agg(pl.col("hit").any(), pl.col("code_hit").any())
    found = (
        situations.with_row_index("_sid")
        .join(per_situation, on="_sid", how="left")
        .with_columns(pl.col("hit").fill_null(False), pl.col("code_hit").fill_null(False))
    )
    table = (
        found.group_by("code", "tier")
        .agg(
            pl.len().alias("planted"),
            pl.col("hit").sum().alias("found_with_tier"),
            pl.col("code_hit").sum().alias("found_any_tier"),
        )
        .with_columns((pl.col("found_with_tier") / pl.col("planted")).alias("recall"))
        .sort("code", "tier")
    )
    quiet = _read(truth / "quiet.csv")
    alarms = rows_of(quiet.with_row_index("_qid")).select("_qid").unique().height
    absent_path = truth / "absent.csv"
    absent = (
        _read(absent_path)
        if absent_path.exists()
        else pl.DataFrame(
            schema={
                "household_id": pl.String,
                "expected_household_key": pl.String,
                "code": pl.String,
            }
        )
    )
    violated = (
        rows_of(absent.with_row_index("_aid"))
        .filter(pl.col("codes").str.split(";").list.contains(pl.col("code")))
        .select("_aid")
        .unique()
        .height
    )
    summary = {
        "planted": float(found.height),
        "recall_with_tier": int(found["hit"].sum()) / found.height if found.height else 0.0,
        "quiet_households": float(quiet.height),
        "quiet_warned": float(alarms),
        "quiet_warned_share": alarms / quiet.height if quiet.height else 0.0,
        "absent": float(absent.height),
        "absent_violated": float(violated),
    }
    return table, summary
