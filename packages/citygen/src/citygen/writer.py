"""Where rendered records go: the open files of every source."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from .files import SOURCES, Catalogue, columns_of
from .sinks import Sink, WrittenFile, open_sink
from .table import Rendered


class Writer(Protocol):
    """Takes rendered records of one file; returns the finished files on close."""

    def write(self, source: str, file: int, rendered: Rendered) -> None: ...

    def close(self) -> list[WrittenFile]: ...


def _open_all(catalogue: Catalogue, out: Path, parts: Path) -> dict[str, list[Sink]]:
    sinks: dict[str, list[Sink]] = {}
    for source in SOURCES:
        kinds = tuple(kind for _, kind in columns_of(source))
        sinks[source] = [open_sink(spec, kinds, out, parts) for spec in catalogue.files[source]]
    return sinks


def _close_all(sinks: dict[str, list[Sink]]) -> list[WrittenFile]:
    written: list[WrittenFile] = []
    for source in SOURCES:
        for sink in sinks[source]:
            written.extend(sink.close())
    return written


class LocalWriter:
    """Sinks in this process."""

    def __init__(self, catalogue: Catalogue, out: Path, parts: Path) -> None:
        self.sinks = _open_all(catalogue, out, parts)

    def write(self, source: str, file: int, rendered: Rendered) -> None:
        self.sinks[source][file].write(rendered)

    def close(self) -> list[WrittenFile]:
        return _close_all(self.sinks)


def open_writer(catalogue: Catalogue, out: Path, parts: Path) -> Writer:
    """The writer of a city's files."""
    return LocalWriter(catalogue, out, parts)
