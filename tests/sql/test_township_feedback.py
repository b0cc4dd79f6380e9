"""sql/60_report/township_feedback.sql: per township, the households earlier workbooks carried,
answered, overdue, and the latest answers by result."""

from __future__ import annotations

from .harness import AS_OF, RUN_ID, Models, rows

MODEL = "60_report/township_feedback.sql"
OCT = "2026-10-15"


def issued(key: str, run: str, deadline: str, township: str = "琅琊街道",
           county: str = "341102") -> dict[str, object]:  # fmt: skip
    return {"run_id": run, "household_key": key, "code": "DROPOUT", "county": county,
            "township": township, "deadline": deadline}  # fmt: skip


def answer(key: str, outcome: str, on: str, at: str) -> dict[str, object]:
    return {"household_key": key, "code": "DROPOUT", "outcome": outcome, "decided_on": on,
            "recorded_at": at}  # fmt: skip


def test_sent_answered_overdue_and_results(models: Models) -> None:
    models.given("runs", [{"run_id": OCT, "as_of": OCT, "started_at": f"{OCT} 02:00:00", "status": "completed"},
                          {"run_id": RUN_ID, "as_of": RUN_ID, "started_at": f"{RUN_ID} 02:00:00",
                           "status": "running"}])  # fmt: skip
    models.given("city_counties", [{"code": "341102", "county": "341102", "name": "琅琊区"},
                                   {"code": "341122", "county": "341122", "name": "来安县"}])  # fmt: skip
    models.given("issued_signals", [
        issued("H1", OCT, "2026-10-20"),          # answered twice: the later record counts
        issued("H2", OCT, "2026-10-20"),          # unanswered, still warned, past deadline
        issued("H3", OCT, "2026-12-20"),          # unanswered, deadline not reached
        issued("H4", OCT, "2026-10-20"),          # unanswered, past deadline, no longer warned
        issued("H5", OCT, "2026-10-20"),          # answered before it was sent: not an answer
        issued("H6", RUN_ID, "2026-11-20"),       # this run's: not yet sent out
        issued("H7", OCT, "2026-10-20", "半塔镇"),
        issued("H8", OCT, "2026-10-20", "汊河镇", county="341122"),
        issued("H9", OCT, "2026-10-20", "待分派", county="110101"),  # outside the city
    ])  # fmt: skip
    models.given("dispositions", [
        answer("H1", "无法联系", "2026-10-18", "2026-10-18 10:00:00"),
        answer("H1", "已核实-已救助", "2026-10-25", "2026-10-25 10:00:00"),
        answer("H5", "其他", "2026-09-01", "2026-09-01 10:00:00"),
        answer("H7", "已核实-已纳入低保", "2026-11-01", "2026-11-01 10:00:00"),
    ])  # fmt: skip
    models.given("warnings_current", [{"household_key": k} for k in ("H1", "H2", "H3", "H6")])
    got = models.query(MODEL, run_id=RUN_ID, as_of=AS_OF)
    assert rows(got, "county", "township", "sent", "answered", "overdue", "helped", "enrolled",
                "unreachable", "other") == [
        ("市外", "待分派", 1, 0, 0, 0, 0, 0, 0),  # no longer warned: not overdue
        ("来安县", "汊河镇", 1, 0, 0, 0, 0, 0, 0),
        ("琅琊区", "半塔镇", 1, 1, 0, 0, 1, 0, 0),
        ("琅琊区", "琅琊街道", 5, 1, 1, 1, 0, 0, 0),
    ]  # fmt: skip
    # in the order of the county codes, the counties outside the city last
    assert [r[:2] for r in got.rows()] == [("琅琊区", "半塔镇"), ("琅琊区", "琅琊街道"),
                                           ("来安县", "汊河镇"), ("市外", "待分派")]  # fmt: skip
