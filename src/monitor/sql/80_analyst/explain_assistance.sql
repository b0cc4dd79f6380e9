-- At most one row: what household $household_key already receives according to the exports,
-- as the latest scoring found it (household_assistance: the assistance chain), item by item.
with received as (
    select * from household_assistance
),

final as (
    select
        household_key,
        benefit_label,
        monthly_benefit,
        medical_assistance,
        medical_settlements,
        education_aid,
        education_aided_students,
        in_renovation,
        unemployment_benefit_members,
        assistance_received
    from received
    where household_key = $household_key
)

select * from final
