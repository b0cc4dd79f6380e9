-- Marks run $run_id completed, once its outputs are published.
update runs set status = 'completed', finished_at = current_timestamp
where run_id = $run_id
