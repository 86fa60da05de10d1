"""test/client/check_views.py: read the scorecard views the way a BI tool does.

Connects with psycopg 3 (libpq; connection settings from the PG* environment,
or from the one argument, a conninfo string) and, for every view and
materialized view in schema appraisal:
  - reads the result columns' types from the driver's cursor description, as
    Metabase does through JDBC: a plain view may only have columns of plain
    types (text, integers, numeric, double precision, boolean, date,
    timestamptz); the two-step summary types belong to materialized views;
  - fetches rows and checks each value arrives as a plain Python type;
  - checks the view and each of its columns carries a comment.
Exits 1 listing every offender; prints one line per relation.
"""
import datetime
import decimal
import sys

import psycopg

PLAIN_TYPES = {"text", "int2", "int4", "int8", "numeric", "float8", "bool", "date", "timestamptz"}
PYTHON_TYPES = (type(None), str, int, decimal.Decimal, float, bool, datetime.date, datetime.datetime)


def main():
    problems = []
    with psycopg.connect(sys.argv[1] if len(sys.argv) > 1 else "") as conn:
        rels = conn.execute(
            """SELECT c.relname, c.relkind, obj_description(c.oid, 'pg_class')
               FROM pg_class c
               WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relkind IN ('v', 'm')
               ORDER BY c.relkind DESC, c.relname""").fetchall()
        if not rels:
            problems.append("no views in schema appraisal")
        for relname, relkind, comment in rels:
            kind = "view" if relkind == "v" else "materialized view"
            if not (comment or "").strip():
                problems.append(f"{kind} {relname} has no comment")
            column_comments = dict(conn.execute(
                """SELECT a.attname, col_description(a.attrelid, a.attnum)
                   FROM pg_attribute a
                   WHERE a.attrelid = ('appraisal.' || quote_ident(%s))::regclass
                     AND a.attnum > 0 AND NOT a.attisdropped""", (relname,)).fetchall())
            cur = conn.execute(f'SELECT * FROM appraisal."{relname}" LIMIT 200')
            columns = []
            for col in cur.description:
                info = conn.adapters.types.get(col.type_code)
                type_name = info.name if info else conn.execute(
                    "SELECT format_type(%s, NULL)", (col.type_code,)).fetchone()[0]
                columns.append(f"{col.name}:{type_name}")
                if relkind == "v" and type_name not in PLAIN_TYPES:
                    problems.append(f"view {relname}: column {col.name} has type {type_name}, which BI tools do not understand")
                if not (column_comments.get(col.name) or "").strip():
                    problems.append(f"{kind} {relname}: column {col.name} has no comment")
            rows = cur.fetchall()
            pytypes = set()
            for row in rows:
                for col, value in zip(cur.description, row):
                    pytypes.add(type(value).__name__)
                    if relkind == "v" and not isinstance(value, PYTHON_TYPES):
                        problems.append(f"view {relname}: column {col.name} arrives as {type(value).__name__}")
            print(f"{kind} {relname}: {len(rows)} rows; {', '.join(columns)}; python {sorted(pytypes)}")
    for p in problems:
        print("PROBLEM:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
