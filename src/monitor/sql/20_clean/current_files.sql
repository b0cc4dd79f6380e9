-- One row per file whose records make up the current picture for this run:
-- the latest delivered picture of each snapshot source (a missing or empty
-- folder keeps the last one), and every file ever loaded for event sources.
with pictures_until_now as (
    select * from pictures where run_id <= $run_id
),

latest_picture as (
    select source, max(run_id) as run_id
    from pictures_until_now
    group by source
),

snapshot_files as (
    select p.source, p.file_hash, p.run_id as picture_run_id
    from pictures_until_now as p
    inner join latest_picture as l using (source, run_id)
),

event_files as (
    select f.source, f.file_hash, cast(null as varchar) as picture_run_id
    from files as f
    inner join source_catalog as s on s.source = f.source and s.kind = 'event'
),

final as (
    select distinct source, file_hash, picture_run_id from snapshot_files
    union
    select distinct source, file_hash, picture_run_id from event_files
)

select * from final
