"""test/client/check_views.py: read the views of schema appraisal as a BI tool does.

Usage: /usr/bin/python3 check_views.py [--bi-role] [--denied REL,...] [CONNINFO]

Connects with psycopg 3 (libpq; settings from CONNINFO and the PG* environment)
and, in a read-only transaction, for every view and materialized view of
schema appraisal:
  - takes the result columns' type OIDs from the cursor description of
    SELECT * ... LIMIT 0 and names them through psycopg's type registry (else
    pg_type).  A plain view (relkind 'v') may only have columns of numeric,
    bigint, integer, smallint, double precision, text, boolean, date and
    timestamptz: the types BI tools map to numbers, text, booleans, dates and
    date-times.  interval is refused (Metabase maps it to type/*; durations
    are numeric hours) and so is every type of the extension: the two-step
    summary types may appear only in materialized views and in the two views
    that roll them up for the scorecards (SUMMARY_VIEWS, not for BI tools);
  - fetches every row, in text and in binary format, and checks each value
    arrives as the Python type of its column (Decimal, int, str, bool, date,
    an aware datetime, float), and the two formats agree;
  - reads the rows again with the session time zone set to Pacific/Chatham
    (UTC+12:45/+13:45): BI tools set it (Metabase: SET SESSION TIMEZONE), and
    no view may change with it (days are read in the report_time_zone
    setting);
  - reads the relation and column comments from pg_description with the
    queries Metabase's sync runs, and requires one on every view and column.
With --bi-role (a LOGIN role holding only the grants of docs/operations.md), also: the role
is no superuser and no member of another role; Metabase lists every view for
it; it cannot write or refresh; and it cannot read the relations of --denied.
Prints a compact report; exits 1 listing every problem.
"""
import collections
import datetime
import decimal
import sys

import psycopg
from psycopg import sql

# PostgreSQL type (psycopg's name) -> (Python type, Metabase base type)
# views that hold two-step summaries, as the materialized views do
SUMMARY_VIEWS = {"agent_summaries", "pooled_summaries"}

PLAIN = {
    "numeric": (decimal.Decimal, "Decimal"),
    "int8": (int, "BigInteger"),
    "int4": (int, "Integer"),
    "int2": (int, "Integer"),
    "float8": (float, "Float"),
    "text": (str, "Text"),
    "bool": (bool, "Boolean"),
    "date": (datetime.date, "Date"),
    "timestamptz": (datetime.datetime, "DateTimeWithLocalTZ"),
}
OTHER_ZONE = "Pacific/Chatham"

# Metabase's sync (src/metabase/driver/postgres.clj): the tables it lists and
# their descriptions ...
METABASE_TABLES = """
SELECT c.relname, c.relkind, d.description,
       has_schema_privilege(current_user, n.nspname, 'usage')
         AND has_any_column_privilege(current_user, c.oid, 'select') AS listed
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON c.relnamespace = n.oid
  LEFT JOIN pg_catalog.pg_description d
         ON c.oid = d.objoid AND d.objsubid = 0 AND d.classoid = 'pg_class'::regclass
 WHERE n.nspname = 'appraisal' AND c.relkind IN ('v', 'm')
 ORDER BY c.relkind DESC, c.relname"""
# ... and the fields of a table or view, with their comments (Metabase shows
# no column comments of materialized views: pgjdbc's getColumns reads them
# from pg_description the same way, and so does this check)
METABASE_FIELDS = """
SELECT c.column_name,
       CASE WHEN c.udt_schema IN ('public', 'pg_catalog') THEN c.udt_name
            ELSE format('%%s.%%s', c.udt_schema, c.udt_name) END,
       col_description(format('%%I.%%I', c.table_schema::text, c.table_name::text)::regclass::oid,
                       c.ordinal_position)
  FROM information_schema.columns c
 WHERE c.table_schema = 'appraisal' AND c.table_name = %s
 ORDER BY c.ordinal_position"""
MATVIEW_FIELDS = """
SELECT a.attname,
       CASE WHEN n.nspname IN ('public', 'pg_catalog') THEN t.typname
            ELSE format('%%s.%%s', n.nspname, t.typname) END,
       d.description
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.objoid = a.attrelid AND d.objsubid = a.attnum AND d.classoid = 'pg_class'::regclass
 WHERE a.attrelid = format('appraisal.%%I', %s::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum"""


class Check:
    def __init__(self, conn):
        self.conn = conn
        self.problems = []
        self.type_names = {}

    def problem(self, text):
        self.problems.append(text)

    def type_name(self, oid):
        """psycopg's name of a type OID, else 'schema.name' from pg_type."""
        if oid not in self.type_names:
            info = self.conn.adapters.types.get(oid)
            if info is not None:
                self.type_names[oid] = info.name
            else:
                self.type_names[oid] = self.conn.execute(
                    "SELECT format('%%s.%%s', n.nspname, t.typname) FROM pg_type t"
                    " JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = %s", (oid,)).fetchone()[0]
        return self.type_names[oid]

    def read(self, rel, binary=False):
        with self.conn.cursor(binary=binary) as cur:
            cur.execute(sql.SQL("SELECT * FROM appraisal.{}").format(sql.Identifier(rel)))
            return cur.fetchall()


def key(row):
    """A row as comparable text: instants in UTC, decimals with their scale."""
    return tuple(repr(v.astimezone(datetime.timezone.utc)) if isinstance(v, datetime.datetime) else repr(v)
                 for v in row)


def check_relation(chk, rel, relkind, comment, listed, bi_role):
    conn = chk.conn
    kind = "view" if relkind == "v" else "materialized view"
    name = f"{kind} {rel}"
    if not (comment or "").strip():
        chk.problem(f"{name} has no comment (Metabase shows no description)")
    if bi_role and not listed:
        chk.problem(f"{name} is not listed for {conn.info.user}: it lacks SELECT")
        return

    # types from the driver's description of an empty result
    with conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT * FROM appraisal.{} LIMIT 0").format(sql.Identifier(rel)))
        columns = [(c.name, chk.type_name(c.type_code)) for c in cur.description]
    for col, typ in columns:
        if relkind == "v" and rel not in SUMMARY_VIEWS and typ not in PLAIN:
            chk.problem(f"{name}: column {col} is {typ}, which BI tools do not understand")
        elif (relkind == "m" or rel in SUMMARY_VIEWS) and typ not in PLAIN and not typ.startswith("appraisal."):
            chk.problem(f"{name}: column {col} is {typ}, neither a plain type nor a summary type")

    # comments and types as Metabase's sync sees them
    fields = conn.execute(METABASE_FIELDS if relkind == "v" else MATVIEW_FIELDS, (rel,)).fetchall()
    if [f[0] for f in fields] != [c[0] for c in columns]:
        chk.problem(f"{name}: the catalog lists columns {[f[0] for f in fields]}, the driver {[c[0] for c in columns]}"
                    f" (as {conn.info.user})")
    for (col, typ), field in zip(columns, fields):
        if not (field[2] or "").strip():
            chk.problem(f"{name}: column {col} has no comment")
        if field[1] != typ:
            chk.problem(f"{name}: column {col} is {field[1]} in the catalog, {typ} for the driver")

    # every row, as text and as binary
    rows = chk.read(rel)
    if not rows:
        chk.problem(f"{name}: no rows, so nothing was converted (the data set does not reach it)")
    seen = collections.defaultdict(set)
    filled = collections.Counter()
    for row in rows:
        for (col, typ), value in zip(columns, row):
            if value is None:
                continue
            filled[col] += 1
            seen[col].add(type(value).__name__)
            if typ not in PLAIN and relkind == "v" and rel not in SUMMARY_VIEWS:
                continue                 # refused above already
            want = PLAIN.get(typ, (str, None))[0]     # the extension's types arrive as text
            if type(value) is not want:
                chk.problem(f"{name}: column {col} ({typ}) arrives as {type(value).__name__}, not {want.__name__}")
            elif want is datetime.datetime and value.tzinfo is None:
                chk.problem(f"{name}: column {col} ({typ}) arrives as a naive datetime")
    if relkind == "v" and rel not in SUMMARY_VIEWS:
        binary = chk.read(rel, binary=True)
        if collections.Counter(map(key, binary)) != collections.Counter(map(key, rows)):
            chk.problem(f"{name}: rows read in binary format differ from those read as text")

    # report: one line per relation, its columns grouped by type
    by_type = collections.defaultdict(list)
    for col, typ in columns:
        by_type[typ].append(col)
    print(f"{name}: {len(rows)} rows, {len(columns)} columns")
    if bi_role:                  # the owner's run printed the details
        return rows
    for typ, cols in by_type.items():
        py = "/".join(sorted(set().union(*(seen[c] for c in cols)))) or "-"
        metabase = PLAIN.get(typ, (None, "type/*"))[1]
        print(f"  {typ} -> {py} [{metabase}]: {', '.join(cols)}")
    empty = [c for c, _ in columns if rows and not filled[c]]
    if empty:
        print(f"  (NULL in every row, conversion not exercised: {', '.join(empty)})")
    return rows


def expect_refused(conn, what, statement, sqlstate="42501"):
    """Run statement in its own (read-write) transaction: it must fail with sqlstate."""
    try:
        with conn.transaction(force_rollback=True):
            conn.execute(statement)
    except psycopg.Error as e:
        if e.sqlstate == sqlstate:
            return None
        return f"{what}: refused, but with {e.sqlstate} {e.diag.message_primary}, not {sqlstate}"
    return f"{what}: allowed"


def main():
    args = sys.argv[1:]
    bi_role = "--bi-role" in args
    args = [a for a in args if a != "--bi-role"]
    denied = []
    if "--denied" in args:
        i = args.index("--denied")
        denied = [r for r in args[i + 1].split(",") if r]
        del args[i:i + 2]
    conninfo = args[0] if args else ""

    with psycopg.connect(conninfo) as conn:
        chk = Check(conn)
        user = conn.info.user
        print(f"-- connected as {user} with psycopg {psycopg.__version__} (libpq {psycopg.pq.version()}),"
              f" server {conn.info.server_version}")
        if bi_role:
            is_super, memberships = conn.execute(
                "SELECT rolsuper OR rolbypassrls, (SELECT count(*) FROM pg_auth_members WHERE member = r.oid)"
                " FROM pg_roles r WHERE rolname = current_user").fetchone()
            if is_super or memberships:
                chk.problem(f"{user} is a superuser, bypasses RLS or is a member of another role: not a plain BI role")
        conn.rollback()

        conn.read_only = True        # reading a view must not need to write
        conn.execute("SET TimeZone = 'UTC'")
        rels = conn.execute(METABASE_TABLES).fetchall()
        if not any(r[1] == "v" for r in rels):
            chk.problem("no views in schema appraisal")
        text_rows = {}
        for rel, relkind, comment, listed in rels:
            try:
                with conn.transaction():         # a savepoint: go on after an error
                    if bi_role and f"appraisal.{rel}" in denied:
                        continue                 # refused below
                    rows = check_relation(chk, rel, relkind, comment, listed, bi_role)
            except psycopg.Error as e:
                chk.problem(f"reading {rel} as {user} failed: {e.sqlstate} {e.diag.message_primary}")
                continue
            if relkind == "v" and rows is not None:
                text_rows[rel] = rows

        conn.execute(sql.SQL("SET TimeZone = {}").format(sql.Literal(OTHER_ZONE)))
        for rel, rows in text_rows.items():
            if collections.Counter(map(key, chk.read(rel))) != collections.Counter(map(key, rows)):
                chk.problem(f"view {rel}: its rows change with the session time zone (UTC vs {OTHER_ZONE})")
        print(f"-- {len(text_rows)} views read again with TimeZone {OTHER_ZONE}")
        conn.rollback()
        conn.read_only = False

        if bi_role:
            for what, stmt in [
                ("change a setting", "INSERT INTO appraisal.settings (name, value) VALUES ('min_tickets', '1')"),
                ("rename an employee", "UPDATE appraisal.employees SET name = name"),
                ("delete tickets", "DELETE FROM appraisal.tickets"),
                ("truncate KPI results", "TRUNCATE appraisal.kpi_results"),
                ("refresh the summaries", "SELECT * FROM appraisal.refresh_scorecards()"),
            ]:
                p = expect_refused(conn, f"{user} may not {what}", stmt)
                if p:
                    chk.problem(p)
            for rel in denied:
                p = expect_refused(conn, f"{user} may not read {rel}",
                                   sql.SQL("SELECT * FROM {} LIMIT 0").format(sql.Identifier(*rel.split("."))))
                if p:
                    chk.problem(p)
            print(f"-- {user} cannot write, refresh, or read {', '.join(denied) or '(nothing denied)'}")

    for p in chk.problems:
        print("PROBLEM:", p)
    if chk.problems:
        print(f"check_views.py: {len(chk.problems)} problems (as {user})")
        sys.exit(1)
    print(f"check_views.py: every view reads through psycopg as plain types, with comments (as {user})")


if __name__ == "__main__":
    main()
