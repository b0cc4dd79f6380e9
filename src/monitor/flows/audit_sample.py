"""Analysts' ad-hoc flow: the supervision sample (随机检查、县级互查), from the published state."""

# No `from __future__ import annotations`: Prefect builds its parameter model from the
# annotations, which must be the types themselves (Path, date), not their names.
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from monitor.audit import audit_sample as draw_sample
from monitor.flows import quiet_logging
from monitor.state import published_state


@task(name="audit-sample", cache_policy=NO_CACHE, persist_result=False)
def audit_sample_task(
    out: Path, per_township: int, seed: str | None, dest: Path, policy_file: Path | None
) -> list[str]:
    # The summary's lines only leave the task (counts by county, the seed, file names); the
    # households go to the owner-only files in `dest`.
    result = draw_sample(published_state(out), per_township, seed, policy_file=policy_file,
                         dest=dest)  # fmt: skip
    return result.lines()


@flow(name="audit-sample", persist_result=False)
def audit_sample(
    per_township: int,
    seed: str | None = None,
    out: Path = Path("out"),
    dest: Path = Path("."),
    policy_file: Path | None = None,
) -> list[str]:
    """Up to `per_township` recent decisions of each township (the latest warnings and the
    dispositions of the policy's audit window), drawn reproducibly from `seed` (default:
    the run's as-of date), written to `dest` as one workbook per county for another county
    to check."""
    quiet_logging()
    lines = audit_sample_task(out, per_township, seed, dest, policy_file)
    get_run_logger().info("%s", "\n".join(lines))
    return lines
