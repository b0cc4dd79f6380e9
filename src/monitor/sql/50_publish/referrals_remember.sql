-- Remembers every row of run $run_id's department lists (referral_rows: the frame
-- monitor.referrals.referral_frame made, registered by the caller), with the household's
-- 处置时限: what a department's returned result is recorded against.
insert into referrals
select
    $run_id,
    department,
    household_key,
    recommendation,
    codes,
    tier,
    member_ids,
    county,
    township,
    try_cast(deadline as date)
from referral_rows
