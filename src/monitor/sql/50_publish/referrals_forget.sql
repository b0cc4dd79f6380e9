-- Forgets the department lists of run $run_id (a rerun of the same as-of date replaces them).
delete from referrals
where run_id = $run_id
