import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import app, main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme() -> None:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert names
    for name in names:
        assert f"`monitor {name}" in README, f"monitor {name} is not in the README"


def test_every_flow_is_documented_in_the_readme() -> None:
    """Each Prefect flow of monitor.flows has a row in the README's flow table (its name
    and module)."""
    import importlib
    import pkgutil

    from prefect import Flow

    import monitor.flows

    found = {}
    for module in pkgutil.iter_modules(monitor.flows.__path__):
        imported = importlib.import_module(f"monitor.flows.{module.name}")
        for value in vars(imported).values():
            if isinstance(value, Flow) and value.__module__ == imported.__name__:
                found[value.name] = imported.__name__
    assert {"nightly", "backfill", "feedback", "what-if", "explain", "check-export",
            "price-subsidy", "audit-sample"} <= set(found)  # fmt: skip
    for name, module in found.items():
        assert f"| `{name}` |" in README and f"`{module}`" in README, name


def test_generate_and_evaluate_exist_only_where_citygen_is_installed() -> None:
    assert {"generate", "evaluate"} <= {
        c.callback.__name__ for c in app.registered_commands if c.callback
    }
    # A product install has no citygen: sys.modules["citygen"] = None makes it unimportable.
    code = (
        "import sys; sys.modules['citygen'] = None; sys.argv = ['monitor', '--help']\n"
        "from monitor.cli import main\nmain()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "run" in done.stdout and "whatif" in done.stdout
    assert "generate" not in done.stdout and "evaluate" not in done.stdout


def test_bad_date_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", str(tmp_path), "--out", str(tmp_path / "o"), "--as-of", "15/11/2026"]
    )
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_a_year_without_a_policy_file_stops_the_run_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in" / "roster").mkdir(parents=True)
    argv = ["monitor", "run", str(tmp_path / "in"), "--out", str(tmp_path / "o"),
            "--state", str(tmp_path / "s.duckdb"), "--as-of", "2031-01-05"]  # fmt: skip
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "policy/2031.yaml" in err and "--policy FILE" in err
    assert not (tmp_path / "o").exists()
