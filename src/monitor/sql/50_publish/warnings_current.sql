-- One row per household with at least one signal: tier = the highest of its
-- signals, codes sorted, score = sum of the policy's signal weights plus the money at stake
-- (out-of-pocket, a disaster's loss: signal_catalog.scores_amount) in ten-thousands of yuan,
-- at most 50 (orders rows within a tier; a per-capita income is not money at stake). Each signal's
-- text names the member it concerns (warnings.csv and the workbooks may show names; the
-- report never shows explanations) and says each event once. Beside it, what the household
-- already receives according to the exports (household_assistance: the assistance chain).
with all_signals as (
    select s.*, c.weight, c.label, c.scores_amount, t.tier_rank
    from signals_after_dispositions as s
    inner join signal_catalog as c using (code)
    inner join tier_ranks as t using (tier)
),

named as (
    select
        a.*,
        coalesce(p.name || '：', '') || a.detail as said
    from all_signals as a
    left join persons as p using (person_id)
),

signals as (
    select * from named where not suppressed
),

-- a sentence that two records say alike (one event in two departments' words, one death on
-- two records) is said once
sentences as (
    select household_key, code, tier_rank, said, min(file_hash) as file_hash, min(_row) as _row
    from signals
    group by household_key, code, tier_rank, said
),

sentence_text as (
    select
        household_key,
        code,
        string_agg(said, '；' order by tier_rank, said, file_hash, _row) as detail
    from sentences
    group by household_key, code
),

-- Signals a caseworker verified recently: not raised again, but said.
suppressed_notes as (
    select
        household_key,
        '另有已核实处置的信号暂不提示：'
            || string_agg(distinct label || '（' || strftime(disposed_on, '%Y-%m-%d') || ' ' || disposition || '）', '、'
                order by label || '（' || strftime(disposed_on, '%Y-%m-%d') || ' ' || disposition || '）')
            || '。' as note
    from all_signals
    where suppressed
    group by household_key
),

per_code as (
    select
        household_key,
        code,
        min(tier_rank) as tier_rank,
        max(weight) as weight,
        max(label) as label,
        sum(case when scores_amount then coalesce(amount, 0) else 0 end) as amount,
        max(case when worse_since_disposition
            then '（' || strftime(disposed_on, '%Y-%m-%d') || ' ' || disposition || '，此后情况加重，重新提示）'
            else '' end) as worse_note
    from signals
    group by household_key, code
),

per_code_text as (
    select p.*, t.detail || p.worse_note as detail
    from per_code as p
    inner join sentence_text as t using (household_key, code)
),

members as (
    select
        household_key,
        string_agg(distinct person_id, ';' order by person_id) as member_ids
    from signals
    group by household_key
),

aggregated as (
    select
        household_key,
        min(tier_rank) as tier_rank,
        sum(weight) + least(sum(amount) / 10000.0, 50) as score,
        string_agg(code, ';' order by code) as codes,
        string_agg(
            case tier_rank when 1 then '【红色】' when 2 then '【橙色】' when 3 then '【黄色】' else '【复核】' end
                || label || '：' || detail,
            '。' order by tier_rank, code
        ) || '。' as explanation,
        string_agg(code || '=' || tier_rank, ';' order by code) as code_tiers,
        string_agg(
            code || '=' || case tier_rank when 1 then 'red' when 2 then 'orange' when 3 then 'yellow'
                else 'review' end,
            ';' order by code
        ) as signal_tiers
    from per_code_text
    group by household_key
),

final as (
    select
        a.household_key,
        h.kind,
        h.county,
        h.township,
        h.village,
        t.tier,
        round(a.score, 2) as score,
        a.codes,
        h.green_channel,
        m.member_ids,
        a.explanation || coalesce(n.note, '') as explanation,
        a.code_tiers,
        a.signal_tiers,
        h.category,
        h.status as roster_status,
        h.exit_months,
        h.living_size = 0 as no_member_left,
        r.assistance_received
    from aggregated as a
    inner join households_routed as h using (household_key)
    inner join members as m using (household_key)
    inner join tier_ranks as t on t.tier_rank = a.tier_rank
    left join suppressed_notes as n using (household_key)
    left join household_assistance as r using (household_key)
)

select * from final
