"""Great Expectations validation of every loaded file, with suites generated from the contracts.

Expectations run on the clean frame of a file, in chunks. A failed
expectation neither stops the run nor drops data: each row that breaks a
row-level expectation is kept and flagged with the expectation's name and
column (``expect_column_values_to_be_in_set:stage``); the per-file results
go to the state's ``validations`` table and the report.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from monitor.contracts import Contract

log = logging.getLogger(__name__)

MAX_AMOUNT = 10_000_000  # yuan: a single amount above this is implausible in these exports
MAX_INTEGER = 1_000  # 不动产套数, 住院天数
MIN_DATE = dt.date(1900, 1, 1)
LINKABLE_ID = ("valid", "repaired")


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation of a source's suite (a GX class name and its column/kwargs)."""

    type: str
    column: str
    kwargs: tuple[tuple[str, Any], ...] = ()

    @property
    def flag(self) -> str:
        return f"{self.type}:{self.column}"


@dataclass
class ExpectationResult:
    """How one file fared against one expectation."""

    spec: ExpectationSpec
    element_count: int = 0
    unexpected_count: int = 0
    error: str | None = None  # the expectation could not be evaluated (a GX exception)

    @property
    def success(self) -> bool:
        return self.unexpected_count == 0 and self.error is None


def suite_for(contract: Contract, today: dt.date) -> list[ExpectationSpec]:
    """The source's expectations, generated from its contract."""
    specs = [
        ExpectationSpec(
            "expect_column_values_to_be_in_set", "id_status", (("value_set", LINKABLE_ID),)
        )
    ]
    for col in contract.columns:
        if col.name == contract.person.id:
            continue
        if col.required:
            specs.append(ExpectationSpec("expect_column_values_to_not_be_null", col.name))
        if col.type == "category":
            allowed = tuple(dict.fromkeys((*col.domain, *col.synonyms.values())))
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_in_set", col.name, (("value_set", allowed),)
                )
            )
        elif col.type == "date":
            # Dates go to GX as yyyymmdd integers: a numeric range check is vectorized in
            # pandas, where datetimes are compared one Python object at a time.
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_between",
                    col.name,
                    (
                        ("min_value", _yyyymmdd(MIN_DATE)),
                        ("max_value", _yyyymmdd(today + dt.timedelta(days=366))),
                    ),
                )
            )
        elif col.type == "amount":
            low = -MAX_AMOUNT if col.signed else 0
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_between",
                    col.name,
                    (("min_value", low), ("max_value", MAX_AMOUNT)),
                )
            )
        elif col.type == "integer":
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_between",
                    col.name,
                    (("min_value", 0), ("max_value", MAX_INTEGER)),
                )
            )
    return specs


@functools.cache
def _context() -> Any:
    """An ephemeral GX context (nothing written to disk), progress bars off."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx

    # GX sets its loggers' levels on import; quiet them after, before the context says hello
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except Exception:  # the knob moved between GX versions; bars only cost stderr noise
        log.debug("could not turn GX progress bars off")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    return context


def start() -> None:
    """Import Great Expectations and build its context now (a fixed cost of ~5 s per process)."""
    _context()


@functools.cache
def _batch_definition() -> Any:
    source = _context().data_sources.add_pandas("monitor")
    return source.add_dataframe_asset("file").add_batch_definition_whole_dataframe("chunk")


@functools.cache
def _gx_suite(name: str, specs: tuple[ExpectationSpec, ...]) -> Any:
    _context()
    import great_expectations as gx

    classes = {
        "expect_column_values_to_be_in_set": gx.expectations.ExpectColumnValuesToBeInSet,
        "expect_column_values_to_not_be_null": gx.expectations.ExpectColumnValuesToNotBeNull,
        "expect_column_values_to_be_between": gx.expectations.ExpectColumnValuesToBeBetween,
    }
    suite = gx.ExpectationSuite(name=name)
    for spec in specs:
        kwargs = {k: list(v) if isinstance(v, tuple) else v for k, v in spec.kwargs}
        suite.add_expectation(classes[spec.type](column=spec.column, **kwargs))
    return suite


def _yyyymmdd(value: dt.date) -> int:
    return value.year * 10_000 + value.month * 100 + value.day


def _date_number(col: pl.Expr) -> pl.Expr:
    """A Date column as yyyymmdd integers (how date ranges are checked)."""
    return col.dt.year() * 10_000 + col.dt.month().cast(pl.Int32) * 100 + col.dt.day()


def _numeric_dates(frame: pl.DataFrame) -> pl.DataFrame:
    dates = [c for c, t in frame.schema.items() if t == pl.Date]
    return frame.with_columns(_date_number(pl.col(c)).alias(c) for c in dates)


def unexpected(spec: ExpectationSpec) -> pl.Expr:
    """The rows an expectation finds unexpected, as a polars expression (GX's semantics:
    null values are not checked except by not_null; bounds are inclusive)."""
    col = pl.col(spec.column)
    kwargs = dict(spec.kwargs)
    if spec.type == "expect_column_values_to_not_be_null":
        return col.is_null()
    if spec.type == "expect_column_values_to_be_in_set":
        return col.is_not_null() & ~col.is_in(list(kwargs["value_set"]))
    low, high = kwargs["min_value"], kwargs["max_value"]
    return col.is_not_null() & ((col < low) | (col > high))


def flag_frame(
    frame: pl.DataFrame, contract: Contract, today: dt.date
) -> tuple[pl.DataFrame, list[ExpectationResult]]:
    """Flag the rows that break the source's suite, with the suite's own rules as polars
    expressions (``unexpected``); and how many rows broke each expectation.

    Great Expectations checks the same rules on the same rows in batches
    (``GxBatch``): its counts must equal these.
    """
    specs = suite_for(contract, today)
    checks = _numeric_dates(frame).select(
        "_row", *[unexpected(s).fill_null(False).alias(s.flag) for s in specs]
    )
    counts = checks.select(pl.col(s.flag).sum() for s in specs).row(0)
    results = [
        ExpectationResult(spec, element_count=frame.height, unexpected_count=int(count))
        for spec, count in zip(specs, counts, strict=True)
    ]
    # the same rows, in the same order: the flags go straight beside them
    gx = checks.select(
        pl.concat_str(
            [pl.when(pl.col(s.flag)).then(pl.lit(s.flag)) for s in specs],
            separator=";",
            ignore_nulls=True,
        ).alias("_gx")
    ).to_series()
    merged = frame.with_columns(gx).with_columns(
        pl.concat_str(
            [pl.col("flags"), pl.when(pl.col("_gx") != "").then(pl.col("_gx"))],
            separator=";",
            ignore_nulls=True,
        ).alias("flags")
    )
    merged = merged.with_columns(
        pl.when(pl.col("flags") == "").then(None).otherwise(pl.col("flags")).alias("flags")
    ).drop("_gx")
    return merged, results


@dataclass
class GxBatch:
    """Rows of one source waiting for Great Expectations, from one file or several.

    A GX validation costs ~0.25 s before it looks at a row, so the rows of a
    source's files are validated together, up to limits.chunk_rows() rows at a time (45 files
    of a 1M-person city: 45 validations -> 10). Per file, the counts are the row
    flags' (``flag_frame``); GX's count over the batch must equal the sum of the
    files' counts, and where it does not, or an expectation could not run, every
    file of the batch gets the error (``run``).
    """

    contract: Contract
    today: dt.date
    frames: list[pl.DataFrame] = field(default_factory=list)
    flagged: dict[str, dict[str, int]] = field(default_factory=dict)  # file -> flag -> rows
    rows: int = 0
    # file -> expectation -> error, for the files of the batches run so far (``take``)
    problems: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, file_key: str, frame: pl.DataFrame, results: list[ExpectationResult]) -> None:
        """Queue a flagged frame's rows (only the columns the suite reads)."""
        specs = suite_for(self.contract, self.today)
        columns = ["_row", *dict.fromkeys(s.column for s in specs)]
        self.frames.append(_numeric_dates(frame.select(columns)))
        counts = self.flagged.setdefault(file_key, {})
        for r in results:
            counts[r.spec.flag] = counts.get(r.spec.flag, 0) + r.unexpected_count
        self.rows += frame.height

    def run(self) -> None:
        """Validate the queued rows; what did not hold goes to ``problems``.

        A GX failure does not stop the load (the rows are flagged already): it is
        recorded as every expectation's error for the batch's files.
        """
        if not self.frames:
            return
        specs = suite_for(self.contract, self.today)
        try:
            self._validate(specs)
        except Exception as exc:
            log.exception("%s: Great Expectations could not run", self.contract.source)
            error = f"GX could not run on this batch: {type(exc).__name__}: {str(exc)[:200]}"
            for key in self.flagged:
                self.problems.setdefault(key, {}).update(
                    dict.fromkeys((s.flag for s in specs), error)
                )
        finally:
            self.frames, self.flagged, self.rows = [], {}, 0

    def _validate(self, specs: list[ExpectationSpec]) -> None:
        suite = _gx_suite(f"{self.contract.source}-{self.today}", tuple(specs))
        frame = pl.concat(self.frames, how="vertical")
        batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame.to_pandas()})
        outcome = batch.validate(suite, result_format={"result_format": "SUMMARY"})
        for item in outcome.results:
            config = item.expectation_config
            flag = f"{config.type}:{config.kwargs['column']}"
            res = item.result or {}
            info = item.exception_info or {}
            raised = [v for v in info.values() if isinstance(v, dict) and v.get("raised_exception")]
            if info.get("raised_exception") or raised:
                message = (raised[0] if raised else info).get("exception_message")
                error = f"GX could not evaluate it: {str(message)[:300]}"
            else:
                counted = int(res.get("unexpected_count") or 0)
                flagged = sum(c.get(flag, 0) for c in self.flagged.values())
                if counted == flagged:
                    continue
                error = (
                    f"GX counted {counted} in a batch of {len(self.flagged)} file(s),"
                    f" the row flags {flagged}"
                )
            log.warning("%s: expectation %s: %s", self.contract.source, flag, error)
            for key in self.flagged:
                self.problems.setdefault(key, {})[flag] = error

    def take(self) -> dict[str, dict[str, str]]:
        """The problems found so far, handed over once."""
        problems, self.problems = self.problems, {}
        return problems


def validate_frame(
    frame: pl.DataFrame, contract: Contract, today: dt.date
) -> tuple[pl.DataFrame, list[ExpectationResult]]:
    """Flag a clean frame's rows and validate them with Great Expectations, on their own."""
    flagged, results = flag_frame(frame, contract, today)
    batch = GxBatch(contract, today)
    batch.add("frame", flagged, results)
    batch.run()
    problems = batch.take().get("frame", {})
    for r in results:
        r.error = problems.get(r.spec.flag)
    return flagged, results
