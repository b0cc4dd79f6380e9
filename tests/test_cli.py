from pathlib import Path

from typer.testing import CliRunner

from monitor.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme() -> None:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert names
    for name in names:
        assert f"`monitor {name}" in README, f"monitor {name} is not in the README"


def test_bad_date_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", str(tmp_path), "--out", str(tmp_path / "o"), "--as-of", "15/11/2026"]
    )
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output
