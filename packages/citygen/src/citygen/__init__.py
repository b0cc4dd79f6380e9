"""The synthetic city: messy department exports plus the truth the pipeline should find.

`generate_city(out, people=…, seed=…, as_of=…, min_per_tier=0)` writes,
deterministically in its arguments (byte-identical files for the same
arguments, xlsx included):

    out/input/<source>/…        the eleven sources of exports.md (roster, education,
                                hr, housing, health, medical_insurance, emergency,
                                rural, disability, hotline, grid), CSV (UTF-8, UTF-8 with
                                BOM, GB18030; comma or tab) and XLSX (title rows,
                                说明 sheets, 合计 rows), several files per source;
                                among them files that repeat others (below)
    out/previous/hr/…           the HR snapshot one month before as_of
    out/truth/rows.csv          one row per data record of every file above:
                                source, folder (input|previous), file, row
                                (1-based among data records of the file),
                                person_id (true 18-character ID; blank when the
                                person is unknown to the state or the record is
                                unusable), defects (';'-separated tags below)
    out/truth/persons.csv       every resident: person_id, name, sex (M/F),
                                birth_date, county (current 6-digit code),
                                township, village, household_id (the generator's
                                own), relation, phone, roster_family_id (blank
                                for a member the roster omits), rural_household_id,
                                expected_household_key (the roster 家庭编号, else
                                "XC:" + rural 户编号, else blank = a key made by the
                                pipeline), death_date, twin
    out/truth/situations.csv    planted situations: household_id,
                                expected_household_key, person_id, code, tier
                                (red/orange/yellow/review), fact (short English
                                description with its numbers), kind
                                (roster|rural|other), variant (plan.py's variant
                                or case that planted it; a case may plant rows of
                                several codes)
    out/truth/quiet.csv         households that must raise no signal at all:
                                household_id, expected_household_key, kind,
                                variant (the quiet control below, blank for the
                                others)
    out/truth/absent.csv        codes that must not be raised for a planted
                                household: household_id, expected_household_key,
                                code (cases deceased_member, all_deceased,
                                roster_and_rural, exited_below below)
    out/truth/hotline_callers.csv  per ticket: folder, file, row, person_id,
                                ticket_id, caller (resident|unknown), phone_known
                                (the phone appears in the roster's 联系电话 or on
                                a ticket carrying a valid ID)
    out/truth/grid_visits.csv   per grid visit record: folder, file, row, person_id,
                                record_no, visited (resident|unknown), phone_known
                                (as for tickets; a visit with a valid ID counts too),
                                role (planted: a GRID_REPORT situation's visit;
                                quiet: a quiet household's control; background;
                                unknown: a person unknown to the state)
    out/truth/manifest.json     seed, people, as_of, version, min_per_tier,
                                counts (situations, quiet households, absent
                                expectations, records per source), slots no
                                household could take (unplanted_slots,
                                unplanted_quiet_controls), sha256 of every file
                                (sorted by path)

Files that repeat others, as deliveries do (their rows are tagged below):

    medical_insurance/医保结算明细_<YYYYMM>_重新导出.xlsx
                                the latest closed month with an ISO-dated CSV
                                (202608 for as_of 2026-11-15) re-exported by another
                                system: slash dates (2026/8/19), amounts as text
                                with separators (12,000.00); it holds the month's
                                settlements of the `reexport` case and about 3 % of
                                its other records, in the CSV's order
    hotline/12345工单_<as-of quarter>_重发.csv
    emergency/应急_受灾人员_<as_of>_重发.xlsx
                                the as-of quarter's tickets and the disaster list
                                delivered again under another name: every record of
                                the first file (same order and values), then a few
                                records of the last days that only this file has

IDs carry the county's region code in force in the person's birth year
(people born before 1992 carry the former 滁县地区 codes 3423xx, as real IDs
do and as python-stdnum checks), the birth date, a sequence (odd = male) and
the MOD 11-2 check character.

Defect vocabulary of truth/rows.csv (tags of one record, sorted, ';'-joined):

    id_lower_x          check character written as lower-case x
    id_fullwidth        digits (and X) in full-width form
    id_spaces           spaces inside, before or after the ID
    id_apostrophe       a leading apostrophe ('340102…)
    id_15               the old 15-digit form (people born 1900–1999)
    id_excel_truncated  an 18-digit ID that went through Excel as a number:
                        15 significant digits (a numeric xlsx cell; in CSV the
                        text 3.40102199001011E+17); unrecoverable
    id_typo_digit       one character changed (the ID no longer validates)
    id_typo_swap        two adjacent digits swapped (no longer validates)
    id_blank            no ID although the record is about a known person
    name_spaces         ASCII spaces before, inside or after the name
    name_fullwidth      an ideographic (full-width) space in or after the name
    name_dot_variant    a minority name's middle dot written • ． . or dropped
    name_traditional    traditional characters (張偉)
    name_homophone      one character replaced by a homophone (张伟 -> 张玮)
    name_blank          no name (the ID is there)
    date_slash          2026/10/5 (also a file's own style: every dated record
    date_compact        20261005   of such a file carries the tag)
    date_chinese        2026年10月5日
    date_dotted         2026.10.05
    date_excel_serial   an Excel serial number (46300; numeric cell in xlsx)
    date_blank          the record's main date is blank
    date_out_of_range   an impossible date (2062-10-05, 1900-…)
    amount_thousands    1,234.50
    amount_yuan_suffix  1234.5元
    amount_currency     ￥1234.50
    amount_blank        an amount left blank (unknown, not zero)
    label_unknown       a categorical value outside the contract's labels
    label_old           the old label 支出型困难 (= 刚性支出困难)
    household_field_disagrees  a roster member row whose 救助类别/状态 differs
                        from the head's row
    card_disagrees      残疾类别/残疾等级 columns disagree with the card number
                        (the card wins)
    duplicate           an exact copy of an earlier record (same file, or the
                        next month's settlement file, or the roster's batch file)
    reexport            a settlement repeated in the month's xlsx re-export, in
                        that file's formats (counts once)
    redelivered         a record repeated in a file delivered again under another
                        name (counts once)
    unusable            neither ID nor name: the pipeline must quarantine it

Planted situations are facts, not rule evaluations (see plan.py), with values
well away from the thresholds; the records carrying them keep a usable ID
(cosmetic damage at most; the two rural cases below blank IDs on purpose) and,
for hotline tickets, the caller's real name, phone and township. A planted household may also raise codes that follow from
its facts under policy.md (a large bill is a rigid expenditure that can put a
低保边缘 household below the standard); quiet households get nothing that
could trigger any code, only window controls such as a big bill 13+ months
ago. Yellow-only codes (EDU_COST, UNEMPLOYED, INCOME_DROP) are planted in
monitored households only: alone they do not make a 主动发现 case.

How many: every code gets max(6, 45 per million residents) slots cycled over
its variants and kinds (plan.VARIANTS); `min_per_tier` N tops every (code,
tier) of a cycle up to N (the roster and the rural list then grow to a
household per slot at least). The cases below come on top, each max(2, 15 per
million, N) times, planted after the cycles with their own random stream (the
cycles' households and facts do not depend on them); those marked * take a
household no other situation shares, and the households they put on the
rural list are numbered from 5000001 in their county's series.
Quiet households number QUIET_FACTOR (2) times the planted ones per kind; what
the roster and the rural list cannot spare (70 % of their unplanted households
at most) is made up by households on neither list.

GRID_REPORT (the grid source, added 2026-12) gets as many slots as a code of the
cycles (at least min_per_tier), its kinds cycling as the generic codes' do and
its 情况类型 over 生活困难, 患病, 残疾, 独居老人 (60+ living alone) and 留守儿童 (a
child of 3–15). It is planted after the cycles, the cases and the quiet choice,
with its own random stream, by a visit record alone (3–25 days ago): on a
household of the slot's kind that is neither quiet nor an exclusive case's, one
without a planted situation first, so that a grid report is often the only
sign (主动发现 for a household on no list). The visit carries the person's real
name, township and phone, and their ID as well unless a clean roster row of
theirs shows that phone (a record sharing no identifier is never linked). 30 %
of the quiet households get a control visit: 其他 in the last 28 days, or a
hardship label 45–120 days ago. Nothing else changes, so a city's other exports
are the same bytes with and without the grid source. Background visits (the
roster's households far more often, elders more than others) give quiet and
planted households no hardship visit in the last 60 days.

    deceased_member*    a 低保 household of 2+: one member died 30–200 days ago
                        (卫健 死亡日期) after a 重大疾病 diagnosis, holding a grade-1
                        card, with 60,000 of 住院 out-of-pocket (medical assistance
                        paid) before the death: DECEASED review and MED_OOP_HIGH
                        red; absent SEVERE_DISABILITY, MAJOR_ILLNESS (no living
                        member carries them)
    all_deceased*       a roster household of 1–2 whose every member died 30–200
                        days ago, the oldest holding a grade-1 card: DECEASED
                        review; every other code absent
    roster_and_rural*   a 低保 (在保) household of 3 in a rural township whose
                        roster rows list 2 (the third member is on no roster;
                        persons.csv keys them to the rural household), per capita
                        1.34–1.46 x 750 over those 2 (over 3 it would be below the
                        standard), no HR income; all 3 on the rural list (脱贫户,
                        脱贫不稳定户, 风险是否消除 否): INCOME_ABOVE_STANDARD review and
                        RURAL_RISK orange on the roster key; absent
                        INCOME_BELOW_STANDARD, INCOME_EDGE
    rural_head_member_id_damaged*
                        a household of one put on the rural list (监测户,
                        突发严重困难户): the head row says 与户主关系 本人, its
                        成员证件号码 is blank (tag id_blank; rows.csv keeps the
                        head's person_id), 户主证件号码 valid: RURAL_RISK red on
                        XC:<户编号>
    rural_no_member_links*
                        a household of 1–2 put on the rural list (脱贫户,
                        脱贫不稳定户) whose every 成员证件号码 and 户主证件号码 is blank,
                        names kept (id_blank): RURAL_RISK orange on XC:<户编号>
    dropout_blank_year  a 小学/初中 辍学 row with a blank 学年 in the latest year's
                        file (half of them with a 在读 row of the year before, none
                        of a later year): DROPOUT red
    wage_earners_oop*   a 低保 household of 2–3 recording 500 a month, two members
                        with HR wages of 1,500 (2,400 after the 20 % deduction),
                        16,000 out-of-pocket (住院 with assistance, 门诊慢特病):
                        56 % of 12 x 2,400, MED_OOP_HIGH orange (red on the
                        recorded income alone); per capita stays below the standard
    zero_income_oop*    a 临时救助/低保边缘 household recording 家庭月总收入 0 (known),
                        no HR rows, 6,500 out-of-pocket: MED_OOP_HIGH red and
                        INCOME_BELOW_STANDARD orange
    exited_below*       a 低保 household with 状态 退出, per capita 0.4–0.75 x the
                        standard, a 住院 settlement with 医疗救助支付 0:
                        INCOME_BELOW_STANDARD orange; absent MED_ASSIST_MISSING
    reexport            26,000 out-of-pocket in two 住院 settlements of the
                        re-exported month, both also in the re-export (counted
                        twice it would be 52,000 = red): MED_OOP_HIGH orange

    parent_left*        a 特困/低保 household with a child of 3–15: one adult died
                        30–200 days ago, another aged 25+ lives with the child:
                        DECEASED review; absent CARE_NEEDED
    disabled_with_family*
                        a 特困/低保 member of 20–70 with a severe card (grade 1–2,
                        or 3 智力/精神) living with others: SEVERE_DISABILITY
                        orange; absent CARE_NEEDED
    rural_disabled_on_dibao*
                        a 低保 (在保) household of 2+ in a rural township, on the
                        rural list (put there if it was not), a member of 25–50
                        with a severe card: SEVERE_DISABILITY orange; absent
                        WORK_ABILITY_LOST
    rural_disabled_retired*
                        a rural-list household's member of 63–80 with a severe
                        card: SEVERE_DISABILITY orange; absent WORK_ABILITY_LOST
    dibao_wage_blank_benefit*
                        a 低保 (在保) household whose blank 月保障金额 leaves no 补差
                        once a wage of 1.35–1.65 x the standard counts:
                        INCOME_ABOVE_STANDARD review; absent BENEFIT_CHECK

The codes of issue 14 are planted by their facts: CARE_NEEDED yellow by an elder
of 82–95 alone on 特困/低保 (在保 or 渐退), one whose only housemate died, or a
member of 20–75 alone with a severe card; orange by children of 3–15 whose
adults (25+) all died (事实无人抚养). WORK_ABILITY_LOST orange by a rural-list
member of 25–50 (on no roster, or on 低保边缘/刚性支出困难) with a severe card or a
重大疾病 in the last 300 days. BENEFIT_CHECK review by a 低保 (在保) household
whose 月保障金额 is blank, 0 or 40–75 % of its 补差 (standard x members - recorded
income). Quiet controls beside them (plan.QUIET_CONTROLS, each max(2, 15 per
million, N) times where households allow, chosen before the other quiet
households and marked in quiet.csv): 77–79-year-olds alone on 特困/低保, an 82+
member living with a spouse, an 82+ member alone on 低保边缘 or after leaving
低保, a rural member's 重大疾病 14–20 months ago, a rural-list household on
低保, 低保 households paid their 补差 exactly or 93–97 % of it, and a 低保 渐退
household with a blank 月保障金额. Other quiet households never hold an elder of
77+ alone on 特困/低保.

A household that left assistance (状态 退出) is not on 低保/特困: quiet and
planted ones that left did so on an income of 1.7–2.3 times the standard.

Records per source and chunk are built column-wise with numpy (chunks of
40,000 people, one random stream per chunk and purpose), then streamed to
files that stay open for the whole run; memory stays flat (about 140–280 MB
from 100k to 5 million people) and a million people take about a minute.
"""

from __future__ import annotations

from .city import GENERATOR_VERSION, generate_city

__all__ = ["GENERATOR_VERSION", "generate_city"]
