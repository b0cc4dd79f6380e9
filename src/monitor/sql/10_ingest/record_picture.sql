-- Records that file $file_name (content $file_hash) is part of snapshot source $source's
-- picture at run $run_id.
insert into pictures (run_id, source, file_hash, file_name)
values ($run_id, $source, $file_hash, $file_name)
