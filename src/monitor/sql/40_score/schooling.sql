-- One row per education record of a living household member in the latest school year on
-- record for them (several when that year has several rows), with the member's household.
-- A blank 学年 is the school year in course when its file was first delivered (a school
-- year starts on 1 September): an export without the column is about the current year.
-- DROPOUT and EDU_COST read it (person_signals), and so does schooling as rigid
-- expenditure (household_income, plan §二(八) 就学).
with people as (
    select * from member_facts
),

education as (
    select
        e.*,
        p.household_key,
        e.school_year is null as year_blank,
        coalesce(
            e.school_year,
            year(d.delivered) - case when month(d.delivered) < 9 then 1 else 0 end
        ) as effective_year
    from linked_education as e
    inner join people as p using (person_id)
    -- a run's id is its as-of date
    left join (
        select file_hash, coalesce(try_cast(first_run_id as date), cast($as_of as date)) as delivered
        from files
    ) as d using (file_hash)
    where p.alive
),

latest_school_year as (
    select person_id, max(effective_year) as effective_year
    from education
    group by person_id
),

final as (
    select e.*
    from education as e
    inner join latest_school_year as l using (person_id, effective_year)
)

select * from final
