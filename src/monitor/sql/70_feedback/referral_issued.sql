-- At most one row: whether run $run_id's list of $department carried $recommendation for
-- household $household_key (a returned result is recorded only against a row it issued).
select count(*) as issued
from referrals
where run_id = $run_id
    and department = $department
    and household_key = $household_key
    and recommendation = $recommendation
