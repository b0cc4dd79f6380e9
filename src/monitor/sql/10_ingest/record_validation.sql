-- Records how loaded file $file_hash fared against one expectation of its Great
-- Expectations suite: elements, unexpected (its row flags' count), success and error.
insert into validations (
    file_hash, expectation, column_name, element_count, unexpected_count, success, error
)
values ($file_hash, $expectation, $column_name, $element_count, $unexpected_count, $success, $error)
