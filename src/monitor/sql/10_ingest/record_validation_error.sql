-- Records that Great Expectations disagreed with the row flags of file $file_hash on one
-- expectation (or could not run it): the error, and the expectation fails.
update validations
set error = $error, success = false
where file_hash = $file_hash and expectation = $expectation and column_name = $column_name
