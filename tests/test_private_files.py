"""The state, its log, its temporary files and publish's folders are their owner's only,
and what a run that died left behind is removed by the next one (outputs.md "Who may see
what": any local user must not read an ID or phone number)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import AS_OF, build_small_input
from monitor import pipeline
from monitor.engine import Engine
from monitor.errors import StateLockedError
from monitor.resources import packaged
from monitor.state import open_state

ROOT = Path(__file__).resolve().parents[1]
POLICY = packaged("policy", "2026.yaml")


def lock_path(state: Path) -> Path:
    return state.with_name(state.name + ".lock")


def wal_path(state: Path) -> Path:
    return state.with_name(state.name + ".wal")


def temp_folder_of(state: Path) -> Path:
    """The one private temporary folder beside the state."""
    return state.parent / f".{state.name}.tmp"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(input_dir: Path, out: Path, state: Path, as_of: dt.date = AS_OF) -> pipeline.RunSummary:
    return pipeline.run_all(pipeline.make_context(input_dir, out, as_of, state))


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def duckdb_child(state: Path, sql: str, *, crash: bool) -> None:
    """Run `sql` on the state in another process; with `crash`, die before the checkpoint
    (the change stays in the write-ahead log, as after a run that was killed)."""
    code = textwrap.dedent(f"""
        import os, duckdb
        con = duckdb.connect({str(state)!r})
        con.execute("SET checkpoint_threshold = '1GB'")
        con.execute({sql!r})
        if {crash!r}:
            os._exit(0)
        con.close()
    """)
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture
def system_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Python's temporary folder is a fresh one; yields every path created in it, even the
    ones removed before the test looks (tempfile creates through os.open / os.mkdir)."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    created: list[str] = []
    real_open, real_mkdir = os.open, os.mkdir

    def spy_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & os.O_CREAT and str(path).startswith(str(folder)):
            created.append(str(path))
        return real_open(path, flags, *args, **kwargs)

    def spy_mkdir(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).startswith(str(folder)):
            created.append(str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "mkdir", spy_mkdir)
    yield created
    created.extend(str(p) for p in folder.iterdir())


# ---------------------------------------------------------------- 1. owner-only state files


def test_state_its_log_and_its_lock_are_owner_only(tmp_path: Path) -> None:
    state = tmp_path / "state" / "s.duckdb"
    umask = os.umask(0o022)
    os.umask(umask)
    run(build_small_input(tmp_path / "in"), tmp_path / "out", state)
    assert mode(state) == 0o600
    assert mode(lock_path(state)) == 0o600
    # the log DuckDB creates later, at the first write after the open, is private too
    with open_state(state) as engine:
        engine.execute("create table scratch as select range as i from range(10)")
        assert wal_path(state).exists()
        assert mode(wal_path(state)) == 0o600
        assert os.umask(0o077) == 0o077  # while the state is open ...
    assert os.umask(umask) == umask  # ... and the process's own umask after
    assert mode(state) == 0o600


def test_wider_modes_of_an_existing_state_are_narrowed_when_it_is_opened(tmp_path: Path) -> None:
    state = tmp_path / "s.duckdb"
    with open_state(state):
        pass
    duckdb_child(state, "create table left_in_the_log as select 1 as x", crash=True)
    for path in (state, wal_path(state), lock_path(state)):
        path.chmod(0o644)  # what the state had before: any local user could read it
    with open_state(state, read_only=True) as engine:
        assert engine.execute("select x from left_in_the_log") == [(1,)]
        assert wal_path(state).exists()
        assert {p.name: mode(p) for p in (state, wal_path(state), lock_path(state))} == {
            "s.duckdb": 0o600,
            "s.duckdb.wal": 0o600,
            "s.duckdb.lock": 0o600,
        }
    with open_state(state):
        pass
    assert mode(state) == 0o600 and mode(lock_path(state)) == 0o600


# ---------------------------------------------------------------- 2. one private temporary folder


def test_the_temporary_folder_is_private_and_empty_after_a_run(tmp_path: Path) -> None:
    state = tmp_path / "s.duckdb"
    run(build_small_input(tmp_path / "in"), tmp_path / "out", state)
    folder = temp_folder_of(state)
    assert folder.is_dir() and mode(folder) == 0o700
    assert list(folder.iterdir()) == []


def test_a_run_on_a_gb18030_export_creates_nothing_in_the_system_temp_folder(
    tmp_path: Path, system_tmp: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor import readers

    state = tmp_path / "s.duckdb"
    copies: list[tuple[Path, int]] = []
    real_copy = readers._utf8_copy

    def watch(path: Path, encoding: str) -> tuple[Path, bool]:
        readable, temporary = real_copy(path, encoding)
        if temporary:
            copies.append((readable, mode(readable)))
        return readable, temporary

    monkeypatch.setattr(readers, "_utf8_copy", watch)
    input_dir = build_small_input(tmp_path / "in")
    system_tmp.clear()  # the test's own xlsx inputs were written through /tmp
    summary = run(input_dir, tmp_path / "out", state)
    assert summary.workbooks == 2  # the township workbooks (xlsxwriter's parts) were written
    # the medical export is GB18030: its UTF-8 copy went to the private folder, 0600
    assert [(p.parent, m) for p, m in copies] == [(temp_folder_of(state), 0o600)]
    assert not copies[0][0].exists()
    system_tmp.extend(str(p) for p in Path(tempfile.gettempdir()).iterdir())
    assert [p for p in system_tmp if Path(p).name.startswith("monitor-")] == []
    assert system_tmp == []  # nothing at all: not the copy, not the workbooks' parts
    assert list(temp_folder_of(state).iterdir()) == []


# ---------------------------------------------------------------- 2-4. a run killed half-way

# `python -m monitor.cli run`, held at one point (after the transcoded copy is written, or
# before the output is moved into place) so that the kill comes while the files exist.
HOLD = {
    "transcoding": (
        "monitor.readers",
        "_utf8_copy",
        "def held(path, encoding):\n"
        "    result = real(path, encoding)\n"
        "    if result[1]:\n"
        "        time.sleep(600)\n"
        "    return result\n",
    ),
    "publishing": (
        "monitor.publish",
        "_move_into_place",
        "def held(tmp, out):\n    time.sleep(600)\n    return real(tmp, out)\n",
    ),
}


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prefect")


def _wait_for(
    found: Callable[[], bool], proc: subprocess.Popen[bytes], seconds: float = 300
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the run ended (code {proc.returncode}) before the kill")
        time.sleep(0.1)
    raise AssertionError("the held point was not reached")


@pytest.mark.slow
@pytest.mark.parametrize("where", ["transcoding", "publishing"])
def test_a_killed_run_leaves_private_leftovers_that_the_next_run_removes(
    where: str, tmp_path: Path, prefect_home: Path
) -> None:
    input_dir = build_small_input(tmp_path / "in")
    state, out = tmp_path / "state" / "s.duckdb", tmp_path / "out"
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    module, name, held = HOLD[where]
    code = (
        f"import sys, time\nimport {module} as m\nreal = m.{name}\n{held}m.{name} = held\n"
        "sys.argv = ['monitor', *sys.argv[1:]]\nfrom monitor.cli import main\nmain()\n"
    )
    env = {**os.environ, "PREFECT_HOME": str(prefect_home), "TMPDIR": str(system_tmp)}
    args = [str(input_dir), "--out", str(out), "--state", str(state), "--as-of", "2026-11-15"]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "run", *args],
        cwd=tmp_path,
        env=env,
        start_new_session=True,  # its own process group: Prefect's server dies with it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    folder = temp_folder_of(state)
    try:
        if where == "transcoding":
            _wait_for(lambda: folder.is_dir() and any(folder.glob("utf8-*.csv")), proc)
        else:
            _wait_for(
                lambda: any(p.name == "warnings.csv" for p in tmp_path.glob(".out.tmp-*/*")), proc
            )
        time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    # what the killed run left: full IDs, but its owner's only
    leftovers = sorted(folder.iterdir()) + sorted(tmp_path.glob(".out.*"))
    assert leftovers
    figures = {p.name.split("-")[0]: mode(p) for p in leftovers}
    if where == "transcoding":
        assert figures["utf8"] == 0o600
    else:
        assert figures[".out.tmp"] == 0o700
        assert all(mode(p) == 0o600 for p in tmp_path.glob(".out.tmp-*/*.csv"))
    assert mode(state) == 0o600 and mode(lock_path(state)) == 0o600
    if wal_path(state).exists():  # the log of the killed run's uncheckpointed work
        assert mode(wal_path(state)) == 0o600

    summary = run(input_dir, out, state)  # the next run takes the lock and clears them
    assert summary.warnings == 2 and (out / "warnings.csv").exists()
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []
    assert [p.name for p in system_tmp.iterdir() if p.name.startswith(("monitor-", "utf8-"))] == []
    assert mode(out) == 0o700
    assert all(mode(p) == (0o700 if p.is_dir() else 0o600) for p in out.rglob("*"))


# ---------------------------------------------------------------- 3. publish's folders


def test_leftover_output_folders_of_dead_processes_are_removed_by_the_next_run(
    tmp_path: Path,
) -> None:
    input_dir = build_small_input(tmp_path / "in")
    state, out = tmp_path / "s.duckdb", tmp_path / "out"
    run(input_dir, out, state)
    dead, live = dead_pid(), os.getppid()
    planted = {
        f".out.tmp-{dead}": True,  # a publish killed while writing
        f".out.old-{dead}": True,  # ... or between its two renames
        f".out.tmp-{live}": False,  # a live process's: not ours to remove
        f".other.tmp-{dead}": False,  # another output folder's
    }
    for name in planted:
        (tmp_path / name / "townships").mkdir(parents=True)
        (tmp_path / name / "warnings.csv").write_text("household_key\n", encoding="utf-8")
    run(input_dir, out, state, AS_OF + dt.timedelta(days=1))
    assert {n: (tmp_path / n).exists() for n in planted} == {
        n: not removed for n, removed in planted.items()
    }
    assert mode(out) == 0o700
    assert {mode(p) for p in out.rglob("*") if p.is_file()} == {0o600}
    assert {mode(p) for p in out.rglob("*") if p.is_dir()} == {0o700}


def test_a_publish_that_fails_half_way_leaves_no_copy_beside_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import monitor.workbooks

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    # the township workbooks and the departments' lists are written by one call
    monkeypatch.setattr(monitor.workbooks, "write_jobs", broken)
    with pytest.raises(OSError, match="disk full"):
        run(build_small_input(tmp_path / "in"), tmp_path / "out", tmp_path / "s.duckdb")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


# ---------------------------------------------------------------- 2. what-if's copy


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_what_if_copies_the_state_with_its_log_privately_and_leaves_nothing(
    tmp_path: Path, system_tmp: list[str]
) -> None:
    from monitor.whatif import what_if

    state = tmp_path / "s.duckdb"
    input_dir = build_small_input(tmp_path / "in")
    system_tmp.clear()  # the test's own xlsx inputs were written through /tmp
    run(input_dir, tmp_path / "out", state)
    # the checkpointed file says the run is still running; its log, left by a process that
    # died, completes it: a copy without the log would have no completed run to compare
    duckdb_child(state, "update runs set status = 'running'", crash=False)
    duckdb_child(state, "update runs set status = 'completed'", crash=True)
    assert wal_path(state).exists()
    before = {p.name: _digest(p) for p in (state, wal_path(state))}

    diff = what_if(state, POLICY).summary
    assert diff["baseline"].sum() == 2
    assert diff["added"].sum() == 0 and diff["removed"].sum() == 0
    # the nightly state is untouched, and nothing is left anywhere
    assert {p.name: _digest(p) for p in (state, wal_path(state))} == before
    assert list(temp_folder_of(state).iterdir()) == []
    system_tmp.extend(str(p) for p in Path(tempfile.gettempdir()).iterdir())
    assert system_tmp == []


def test_what_if_works_in_the_private_folder_and_refuses_a_state_being_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor import whatif

    state = tmp_path / "s.duckdb"
    run(build_small_input(tmp_path / "in"), tmp_path / "out", state)
    seen: list[tuple[Path, int, int]] = []
    real_last_run = whatif._last_run

    def watch(engine: Engine) -> object:
        copy = Path(engine.execute("select path from duckdb_databases() where database_name = current_database()")[0][0])  # fmt: skip
        seen.append((copy.parent.parent, mode(copy.parent), mode(copy)))
        return real_last_run(engine)

    monkeypatch.setattr(whatif, "_last_run", watch)
    whatif.what_if(state, POLICY)
    assert seen == [(temp_folder_of(state), 0o700, 0o600)]
    with open_state(state), pytest.raises(StateLockedError, match="另一次运行正在写入"):
        whatif.what_if(state, POLICY)
    assert list(temp_folder_of(state).iterdir()) == []
