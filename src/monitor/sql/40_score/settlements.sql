-- One row per distinct medical settlement of a linked person in the medical window.
-- Out-of-pocket = 医疗总费用 - 基本医保支付 - 大病保险支付 - 医疗救助支付 where all
-- are present, else 个人自付; negative rows are refunds and net out in sums. A record
-- exported twice is one settlement: linked_medical_insurance holds the version that counts
-- (30_link/record_versions.sql).
with source as (
    select * from linked_medical_insurance
),

final as (
    select
        person_id,
        record_hash,
        file_hash,
        settlement_date,
        care_type,
        assistance_paid,
        source,
        file_name,
        _row,
        case
            when total_cost is not null and basic_paid is not null and critical_paid is not null
                and assistance_paid is not null
                then total_cost - basic_paid - critical_paid - assistance_paid
            else out_of_pocket
        end as oop
    from source
    where person_id is not null and settlement_date > $medical_since and settlement_date <= $as_of
)

select * from final
