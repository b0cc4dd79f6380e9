-- Records that the state is now at schema version $version (created or upgraded).
insert into schema_versions values ($version, current_timestamp, $note)
