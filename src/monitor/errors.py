"""Errors raised by monitor. The CLI turns every MonitorError into one message."""

from __future__ import annotations


class MonitorError(Exception):
    """Base class: a problem the user can act on; the message says what to do."""


class ContractError(MonitorError):
    """A data contract file is malformed."""


class PolicyError(MonitorError):
    """A policy file is missing, malformed or out of range."""


VALUE_CHARS = 200  # quarantine.csv's value: what was read, truncated (outputs.md)


class InputFileError(MonitorError):
    """One input file cannot be used (unreadable, missing a required column, ...)."""

    def __init__(
        self,
        source: str,
        file: str,
        reason: str,
        column: str = "",
        records: int | None = None,
        value: str = "",
    ) -> None:
        super().__init__(f"{source}/{file}: {reason}")
        self.source = source
        self.file = file
        self.reason = reason  # no personal data: it goes to the report
        self.column = column
        self.records = records  # data records under the header, when the file could be parsed
        # the header cells or the value concerned, as read (quarantine.csv's value; may hold
        # personal data, so never in the reason); at most VALUE_CHARS characters
        self.value = value[:VALUE_CHARS]


class StateLockedError(MonitorError):
    """Another run holds the state lock."""


class StrictModeError(MonitorError):
    """--strict was given and at least one input file failed."""


class GeographyError(MonitorError):
    """The city's reference list of counties and townships (config/city.yaml) is not valid."""


class DispositionError(MonitorError):
    """A disposition names an unknown signal, outcome or household."""


class RecordBalanceError(MonitorError):
    """A file's records read differ from the records staged plus quarantined (a bug: the file
    fails alone, nothing of it is kept)."""


class StateVersionError(MonitorError):
    """The state was made by a newer monitor than this one (its schema version is higher)."""


class ResourceNotFoundError(MonitorError):
    """A policy or configuration file is in none of the places searched (named in the message)."""


class SqlError(MonitorError):
    """A SQL statement failed; the message names the model (or stage) and the statement."""


class WhatIfError(MonitorError):
    """A what-if run cannot start (no state to work on, a bad alternative policy)."""


class InputError(MonitorError):
    """The input folder given to a run cannot be what was meant (it does not exist, or holds
    no source folder at all)."""


class PrefectServerError(MonitorError):
    """The Prefect server that a served deployment needs is not configured or not reachable."""


class OutputError(MonitorError):
    """The output folder (or the state copy beside it) cannot be written: no space, no
    permission, a read-only file system. The previous output stays."""


_WRITE_PROBLEMS = {
    28: "磁盘空间不足",  # ENOSPC
    122: "超出磁盘配额",  # EDQUOT
    13: "没有写入权限",  # EACCES
    1: "没有写入权限",  # EPERM
    30: "文件系统为只读",  # EROFS
}


def write_problem(exc: BaseException) -> str | None:
    """What stopped a write, in words, when `exc` (or what caused it: xlsxwriter and polars
    wrap the OSError) is a full disk, a missing permission or a read-only file system."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _WRITE_PROBLEMS:
            return _WRITE_PROBLEMS[seen.errno]
        if any(f"[Errno {n}]" in str(seen) for n in _WRITE_PROBLEMS):
            return next(w for n, w in _WRITE_PROBLEMS.items() if f"[Errno {n}]" in str(seen))
        seen = seen.__cause__ or seen.__context__
    return None


class PartsFailedError(Exception):
    """Parts of a stage failed on an internal error (a bug, not the input): the other parts'
    work is kept and the run stops before the next stage; rerunning resumes (the ledger).
    Not a MonitorError: the command line reports it as an internal error (exit 1)."""


class StateMissingError(MonitorError):
    """A command that reads a state was given a path where there is none."""


class ExplainError(MonitorError):
    """A household cannot be explained from this state (no completed run, another as-of date)."""


class UnknownHouseholdError(ExplainError):
    """`monitor explain` was given a household key the state does not know."""


class CheckExportError(MonitorError):
    """`monitor check-export` cannot check the file (an unknown source, no state to compare with)."""


class PriceSubsidyError(MonitorError):
    """`monitor price-subsidy` cannot list the month (a bad month, no completed run by then)."""


class AuditSampleError(MonitorError):
    """`monitor audit-sample` cannot draw a sample (no completed run, one county only)."""
