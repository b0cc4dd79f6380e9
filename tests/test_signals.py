"""The signal registry (signals.CATALOG) is the one list of codes: the SQL models raise exactly
its codes, each in the model it names, reading policy keys that exist; 救助建议 per policy.md."""

from __future__ import annotations

import datetime as dt
import re

from monitor.policy import POLICY_DIR, load_policy
from monitor.resources import packaged
from monitor.score import score_params
from monitor.signals import CATALOG, assistance

SQL = packaged("sql")


def _codes_in(text: str) -> set[str]:
    return set(re.findall(r"'([A-Z]{3,}(?:_[A-Z]+)*)'", re.sub(r"--[^\n]*", "", text)))


def test_the_sql_raises_exactly_the_registry_codes_in_the_models_it_names() -> None:
    emitted: set[str] = set()
    for path in SQL.rglob("*.sql"):
        emitted |= _codes_in(path.read_text(encoding="utf-8"))
    assert emitted == set(CATALOG), (emitted - set(CATALOG), set(CATALOG) - emitted)
    for code, signal in CATALOG.items():
        assert code in _codes_in((SQL / signal.model).read_text(encoding="utf-8")), code


def test_every_policy_key_of_a_signal_is_a_parameter_the_sql_binds() -> None:
    policy = load_policy(POLICY_DIR / "2026.yaml")[0]
    params = policy.params()
    # a list of labels (grid_hardship_types) is bound as it is, under its key
    lists = {
        k for k, v in score_params(policy, dt.date(2026, 11, 15)).items() if isinstance(v, list)
    }
    text = "\n".join(p.read_text(encoding="utf-8") for p in SQL.rglob("*.sql"))
    for code, signal in CATALOG.items():
        for key in signal.policy_keys:
            assert key in params or (key in lists and hasattr(policy, key)), (code, key)
            # windows are bound as their start dates ($medical_since), the rest by name
            window = key.removesuffix("_months").removesuffix("_days") + "_since"
            assert f"${key}" in text or f"${window}" in text, (code, key)


def test_assistance_follows_policy_md() -> None:
    # 低保 household: no 刚性支出困难认定, no 单人户纳入低保; red MED_OOP_HIGH adds 临时救助
    assert assistance("MED_OOP_HIGH=1;SEVERE_DISABILITY=2", "低保", status="在保") == (
        "医疗救助;临时救助;残疾人两项补贴核查"
    )
    # left 低保 (退出): the assessment is proposed again
    assert "刚性支出困难认定" in assistance("MED_OOP_HIGH=2", "低保", status="退出")
    assert "刚性支出困难认定" not in assistance("MED_OOP_HIGH=2", "刚性支出困难")
    assert assistance("MAJOR_ILLNESS=2", "低保边缘") == "医疗救助;单人户纳入低保"
    assert assistance("INCOME_ABOVE_STANDARD=4", "低保", 6) == "渐退（6个月）"
    assert assistance("DECEASED=4", "特困", no_member_left=True) == "减员;停发"
    assert assistance("DECEASED=4", "特困") == "减员"


def test_assistance_of_the_issue_14_codes() -> None:
    # CARE_NEEDED: 居家养老上门服务, for 特困 分散供养照料服务; the minor's (orange) 未成年人关爱保护
    assert assistance("CARE_NEEDED=3", "低保") == "居家养老上门服务"
    assert assistance("CARE_NEEDED=3", "特困") == "分散供养照料服务"
    assert assistance("CARE_NEEDED=2", "特困") == "未成年人关爱保护（事实无人抚养儿童核查）"
    assert assistance("WORK_ABILITY_LOST=2", "低保边缘") == (
        "纳入农村低保或特困人员救助供养（丧失劳动能力）"
    )
    assert assistance("BENEFIT_CHECK=4", "低保") == "核查保障金额（足额发放）"


def test_the_same_advice_of_two_codes_is_given_once() -> None:
    # MAJOR_ILLNESS and SEVERE_DISABILITY both advise 单人户纳入低保; HOTLINE_HELP and
    # INCOME_DROP both 入户核实 and 临时救助: each once, in signal order
    assert assistance("MAJOR_ILLNESS=2;SEVERE_DISABILITY=2", "低保边缘") == (
        "医疗救助;单人户纳入低保;残疾人两项补贴核查"
    )
    assert assistance("HOTLINE_HELP=2;INCOME_DROP=3", "低保") == "入户核实;临时救助"
    assert assistance("CARE_NEEDED=3;SEVERE_DISABILITY=2;WORK_ABILITY_LOST=2", "低保边缘") == (
        "居家养老上门服务;单人户纳入低保;残疾人两项补贴核查;纳入农村低保或特困人员救助供养（丧失劳动能力）"
    )
