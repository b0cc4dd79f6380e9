-- One row per household warned in run $previous_run_id and not in this one (resolved.csv), by
-- household_key: 已处置 when a disposition holds its signals back (it still has signals),
-- 已解除 when it has none left.
select
    h.household_key,
    h.county,
    h.township,
    h.codes as previous_codes,
    case
        when h.household_key in (select household_key from signals_after_dispositions) then '已处置'
        else '已解除'
    end as reason,
    strftime(h.as_of, '%Y-%m-%d') as previous_as_of
from warning_history as h
where h.run_id = $previous_run_id
    and h.household_key not in (select household_key from warnings_current)
order by h.household_key
