"""Where monitor's files are: the package's own (SQL models, data contracts, default policy and
configuration, shipped inside the package and found with importlib.resources, never by walking
up to a checkout) and an operator's own, which take precedence.

An operator's file is looked for in this order: the command's option (``--policy FILE``), then
the deployment's folder ``$MONITOR_HOME/<kind>/<name>`` (``$MONITOR_HOME/policy/2027.yaml``,
``$MONITOR_HOME/config/city.yaml``), then the packaged default; an error names every place
searched.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from monitor.errors import ResourceNotFoundError

HOME_VARIABLE = "MONITOR_HOME"


def packaged(*parts: str) -> Path:
    """A file or folder shipped inside the package (src/monitor/<parts> in a checkout)."""
    return Path(str(resources.files("monitor").joinpath(*parts)))


def find(kind: str, name: str, given: Path | None = None) -> Path:
    """The operator's `kind`/`name` (policy/2027.yaml, config/city.yaml): `given`, else
    $MONITOR_HOME/`kind`/`name`, else the packaged default."""
    searched: list[Path] = []
    if given is not None:
        if given.is_file():
            return given
        searched.append(given)
    else:
        home = os.environ.get(HOME_VARIABLE, "").strip()
        if home:
            candidate = Path(home) / kind / name
            if candidate.is_file():
                return candidate
            searched.append(candidate)
        default = packaged(kind, name)
        if default.is_file():
            return default
        searched.append(default)
    raise ResourceNotFoundError(
        f"{kind}/{name}: not found; looked in " + ", ".join(str(p) for p in searched)
    )
