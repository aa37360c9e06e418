#!/usr/bin/env python3
"""Compares the hand-written schema.rs with `diesel print-schema` output from migrated databases.

Usage: compare_schema.py SCHEMA_RS NAME=PRINTED_SCHEMA...  (e.g. sqlite=/tmp/s.rs postgres=/tmp/p.rs)

Each file is reduced to {table: {column: (nullable, type family)}}; the normalisation rules are in
.ci/check-schema's header. Exits 1 with one readable line per difference.
"""
import re
import sys

# Diesel SQL type names that are one family across the backends (schema.rs is one file for both).
FAMILIES = {
    "SmallInt": "SmallInt", "Int2": "SmallInt",
    "Integer": "Integer", "Int4": "Integer",
    "BigInt": "BigInt", "Int8": "BigInt",
    "Text": "Text", "Varchar": "Text", "VarChar": "Text", "Bpchar": "Text", "Citext": "Text",
    "Timestamp": "Timestamp", "Timestamptz": "Timestamp",
    "Bool": "Bool",
    "Date": "Date", "Time": "Time",
    "Float": "Float", "Float4": "Float", "Double": "Double", "Float8": "Double",
    "Binary": "Binary", "Bytea": "Binary", "Blob": "Binary",
    "Json": "Json", "Jsonb": "Json",
    "Numeric": "Numeric", "Uuid": "Uuid",
}

TABLE = re.compile(r"^\s*(\w+)\s*\(([^)]*)\)\s*\{\s*$")
COLUMN = re.compile(r"^\s*(?:r#)?(\w+)\s*->\s*(.+?),?\s*$")


def family(ty):
    nullable = False
    m = re.fullmatch(r"Nullable<(.+)>", ty)
    if m:
        nullable, ty = True, m.group(1)
    ty = ty.split("::")[-1].strip()
    return nullable, FAMILIES.get(ty, ty)


def parse(path):
    tables, current = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("//")[0].rstrip()
            if not line.strip() or line.strip().startswith("#["):
                continue
            m = TABLE.match(line)
            if m and "->" not in line:
                current = tables.setdefault(m.group(1), {})
                # The primary key, under a name no column can have.
                current["(primary key)"] = (False, ", ".join(k.strip() for k in m.group(2).split(",")))
                continue
            if current is not None:
                m = COLUMN.match(line)
                if m:
                    current[m.group(1)] = family(m.group(2))
                elif line.strip() == "}":
                    current = None
    return tables


def show(col):
    nullable, fam = col
    return f"Nullable<{fam}>" if nullable else fam


def compare(expected, actual, backend):
    problems = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            problems.append(f"{backend}: table {table} is in schema.rs but not in the database")
            continue
        if table not in expected:
            problems.append(f"{backend}: table {table} is in the database but not in schema.rs")
            continue
        want, got = expected[table], actual[table]
        for column in sorted(set(want) | set(got)):
            if column not in got:
                problems.append(f"{backend}: {table}.{column} is in schema.rs ({show(want[column])}) but not in the database")
            elif column not in want:
                problems.append(f"{backend}: {table}.{column} is in the database ({show(got[column])}) but not in schema.rs")
            elif want[column] != got[column]:
                problems.append(f"{backend}: {table}.{column}: schema.rs says {show(want[column])}, the database {show(got[column])}")
    return problems


def sqlite_rowid_keys(tables):
    """SQLite's `INTEGER PRIMARY KEY` is the 64-bit rowid, which diesel prints as Nullable<Integer>
    (inserting NULL asks SQLite to assign it; a stored rowid is never NULL): a table's sole key
    column of that type is a BigInt that is never null."""
    for columns in tables.values():
        key = columns["(primary key)"][1]
        if columns.get(key, (None, None))[1] == "Integer":
            columns[key] = (False, "BigInt")
    return tables


def main():
    expected = parse(sys.argv[1])
    problems = []
    for arg in sys.argv[2:]:
        backend, path = arg.split("=", 1)
        actual = parse(path)
        if backend == "sqlite":
            actual = sqlite_rowid_keys(actual)
        problems += compare(expected, actual, backend)
    if problems:
        print("schema.rs does not match the migrated databases:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print(f"schema.rs matches ({', '.join(a.split('=')[0] for a in sys.argv[2:])}): {len(expected)} tables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
