"""The SQL dialect of the models in sql/: DuckDB SQL whose engine-specific functions and syntax
are kept few and listed here, each with what it becomes in Spark SQL, so that a later Spark
engine (province scale) is a port of this list, not of the SQL. tests/test_dialect.py
transpiles every model with sqlglot to the Spark dialect and fails on a function that is
neither portable nor listed here.

Names are sqlglot's (``string_agg`` parses as GROUP_CONCAT, ``strftime`` as TIME_TO_STR, an
unknown function keeps its own name).
"""

from __future__ import annotations

# Functions with the same meaning in DuckDB and Spark SQL (sqlglot transpiles them 1:1).
PORTABLE: frozenset[str] = frozenset(
    {
        "AND", "OR", "CASE", "IF", "CAST", "TRY_CAST", "COALESCE", "NULLIF", "GREATEST",
        "LEAST", "COUNT", "SUM", "MIN", "MAX", "AVG", "ROUND", "ABS", "SUBSTRING", "LENGTH",
        "UPPER", "LOWER", "TRIM", "CONCAT", "CONCAT_WS", "YEAR", "MONTH", "DAY", "ROW_NUMBER", "RANK",
        "CURRENT_TIMESTAMP", "MD5", "EXISTS", "FIRST_VALUE",
    }
)  # fmt: skip

# DuckDB functions the models use, and their Spark SQL port.
ENGINE_SPECIFIC: dict[str, str] = {
    "ARG_MIN": "arg_min(value, key) -> min_by(value, key)",
    "ARG_MAX": "arg_max(value, key) -> max_by(value, key)",
    "FIRST": "first(x order by k) -> min_by(x, struct(k...)): Spark's first() ignores order",
    "FORMAT": "format('{:,.0f}', x) -> format_number(x, 0)",
    "GROUP_CONCAT": "string_agg(x, sep order by k) -> array_join of array_sort(collect_list(struct(k, x))).x",
    "LOGICAL_OR": "bool_or(x) -> bool_or(x)",
    "TIME_TO_STR": "strftime(d, '%Y-%m-%d') -> date_format(d, 'yyyy-MM-dd')",
    "ARRAY": "[] (a list literal) -> array()",
    "ARRAY_AGG": "list(x) -> collect_list(x) (sort with array_sort where order matters)",
    "ARRAY_CONTAINS": "list_contains(l, x) -> array_contains(l, x)",
    "list_has_all": "list_has_all(a, b) -> size(array_except(b, a)) = 0",
    "PAD": "lpad(s, n, c) -> lpad(s, n, c)",
    "SHA2": "sha256(x) -> sha2(x, 256)",
    "hash": "hash(a, b) -> xxhash64(a, b): other values, so another (as deterministic) m sample",
    "to_months": "to_months(n) -> make_interval(0, n)",
    "EXPLODE": "unnest(l) -> explode(l)",
    "GENERATE_SERIES": "range(a, b) as r(x) in from -> lateral view explode(sequence(a, b - 1))",
    "JSON_EXTRACT_SCALAR": "json_extract_string(j, key) -> get_json_object(j, concat('$.', key))",
    "REGEXP_EXTRACT": "regexp_extract(s, p, g) -> regexp_extract(s, p, g) (RE2 and Java regex read \\w alike)",
    "SPLIT": "string_split(s, sep) -> split(s, sep) (a regex in Spark: quote the separator)",
    "list_position": "list_position(l, x) -> array_position(l, x)",
    "to_json": "to_json(t) of a row -> to_json(struct(t.*))",
}

# Engine-specific syntax the models use, and its Spark SQL port.
ENGINE_SYNTAX: dict[str, str] = {
    "select distinct on (k) ... order by k, o": "row_number() over (partition by k order by o) = 1",
    "select * exclude (c)": "name the columns (Spark SQL has no EXCLUDE)",
    "$name parameters": "the engine binds them; Spark SQL's named parameter markers are :name",
    "count(*) filter (where c)": "count_if(c) / sum(case when c then 1 end)",
    "insert or replace (of a keyed row)": "merge into t using (...) on key when matched"
    " then update set * when not matched then insert * (Delta tables)",
    "{% for s in sources %} (Jinja templates)": "expanded by the engine before the SQL is"
    " sent, the same for any engine",
}
