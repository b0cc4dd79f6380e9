"""Errors raised by monitor. The CLI turns every MonitorError into one message."""

from __future__ import annotations


class MonitorError(Exception):
    """Base class: a problem the user can act on; the message says what to do."""


class ContractError(MonitorError):
    """A data contract file is malformed."""


class PolicyError(MonitorError):
    """A policy file is missing, malformed or out of range."""


class InputFileError(MonitorError):
    """One input file cannot be used (unreadable, missing a required column, ...)."""

    def __init__(
        self, source: str, file: str, reason: str, column: str = "", records: int | None = None
    ) -> None:
        super().__init__(f"{source}/{file}: {reason}")
        self.source = source
        self.file = file
        self.reason = reason
        self.column = column
        self.records = records  # data records under the header, when the file could be parsed


class StateLockedError(MonitorError):
    """Another run holds the state lock."""


class StrictModeError(MonitorError):
    """--strict was given and at least one input file failed."""
