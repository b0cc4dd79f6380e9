"""The synthetic city: messy department exports plus the truth the pipeline should find.

`generate_city(out, people=…, seed=…, as_of=…)` writes, deterministically in
its arguments (byte-identical files for the same arguments, xlsx included):

    out/input/<source>/…        the ten sources of exports.md (roster, education,
                                hr, housing, health, medical_insurance, emergency,
                                rural, disability, hotline), CSV (UTF-8, UTF-8 with
                                BOM, GB18030; comma or tab) and XLSX (title rows,
                                说明 sheets, 合计 rows), several files per source
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
                                own), relation, phone, roster_family_id,
                                rural_household_id, expected_household_key (the
                                roster 家庭编号, else "XC:" + rural 户编号, else
                                blank = a key made by the pipeline), death_date,
                                twin
    out/truth/situations.csv    planted situations: household_id,
                                expected_household_key, person_id, code, tier
                                (red/orange/yellow/review), fact (short English
                                description with its numbers), kind
                                (roster|rural|other)
    out/truth/quiet.csv         households that must raise no signal at all:
                                household_id, expected_household_key, kind
    out/truth/hotline_callers.csv  per ticket: folder, file, row, person_id,
                                ticket_id, caller (resident|unknown), phone_known
                                (the phone appears in the roster's 联系电话 or on
                                a ticket carrying a valid ID)
    out/truth/manifest.json     seed, people, as_of, version, records per source,
                                sha256 of every file (sorted by path)

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
    unusable            neither ID nor name: the pipeline must quarantine it

Planted situations are facts, not rule evaluations (see plan.py), with values
well away from the thresholds; the records carrying them keep a usable ID
(cosmetic damage at most) and, for hotline tickets, the caller's real name,
phone and township. A planted household may also raise codes that follow from
its facts under policy.md (a large bill is a rigid expenditure that can put a
低保边缘 household below the standard); quiet households get nothing that
could trigger any code, only window controls such as a big bill 13+ months
ago. Yellow-only codes (EDU_COST, UNEMPLOYED, INCOME_DROP) are planted in
monitored households only: alone they do not make a 主动发现 case.

Records per source and chunk are built column-wise with numpy (chunks of
40,000 people, one random stream per chunk and purpose), then streamed to
files that stay open for the whole run; memory stays flat (about 140–280 MB
from 100k to 5 million people) and a million people take about a minute.
"""

from __future__ import annotations

from .city import GENERATOR_VERSION, generate_city

__all__ = ["GENERATOR_VERSION", "generate_city"]
