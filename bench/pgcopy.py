"""COPY into a table whose exact columns this code does not own.

Other branches add columns. A `Table` asks PostgreSQL which columns exist: columns we supply and that exist
are written; generated columns (e.g. a search vector) and columns with a database default are left to
PostgreSQL; a NOT NULL column without default that we do not know gets a neutral value of its type, with a
warning naming it, so the load still works and the person merging sees what to teach the generator.
"""

import sys
from collections.abc import Iterable, Sequence

NULL = r"\N"

# A neutral value per type for NOT NULL columns the generator does not know yet (COPY text format).
NEUTRAL = {
    "text": "",
    "character varying": "",
    "integer": "0",
    "bigint": "0",
    "smallint": "0",
    "boolean": "f",
    "numeric": "0",
    "double precision": "0",
    "date": "1970-01-01",
    "timestamp with time zone": "now",
    "jsonb": "{}",
    "json": "{}",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def escape(value: str) -> str:
    """COPY text format escaping, for values that may hold backslashes, tabs or newlines."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Table:
    def __init__(self, pg, name: str, columns: Sequence[str]):
        self.pg = pg
        self.name = name
        with pg.cursor() as cursor:
            cursor.execute(
                "SELECT column_name, is_nullable, column_default, is_generated, is_identity, data_type "
                "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s",
                [name],
            )
            existing = {row[0]: row[1:] for row in cursor.fetchall()}
        if not existing:
            raise SystemExit(f"bench: table {name} does not exist; run migrate first")
        self.positions = [i for i, column in enumerate(columns) if column in existing]
        self.columns = [columns[i] for i in self.positions]
        for column in columns:
            if column not in existing:
                print(f"bench: warning: {name}.{column} no longer exists; not written", file=sys.stderr)
        self.fillers = []
        for column, (nullable, default, generated, identity, data_type) in existing.items():
            if column in columns or nullable == "YES" or default is not None:
                continue
            if generated == "ALWAYS" or identity == "YES":
                continue
            if data_type not in NEUTRAL:
                raise SystemExit(f"bench: {name}.{column} ({data_type}) is NOT NULL without default: teach bench/")
            print(
                f"bench: warning: {name}.{column} is new to the generator; filling '{NEUTRAL[data_type]}'",
                file=sys.stderr,
            )
            self.fillers.append((column, NEUTRAL[data_type]))
        self.all_positions = len(self.positions) == len(columns)
        self.suffix = "".join("\t" + value for _, value in self.fillers)

    def copy(self, rows: Iterable[Sequence[str | None]], chunk_rows: int = 5_000) -> int:
        """Stream rows (tuples of COPY-ready strings, None for NULL) into the table; return the count."""
        names = ", ".join(f'"{column}"' for column in [*self.columns, *(c for c, _ in self.fillers)])
        count = 0
        positions, whole, suffix = self.positions, self.all_positions, self.suffix
        with self.pg.cursor() as cursor, cursor.copy(f'COPY "{self.name}" ({names}) FROM STDIN') as copy:
            lines = []
            for row in rows:
                if not whole:
                    row = [row[i] for i in positions]
                lines.append("\t".join(NULL if value is None else value for value in row) + suffix)
                if len(lines) >= chunk_rows:
                    copy.write("\n".join(lines) + "\n")
                    count += len(lines)
                    lines = []
            if lines:
                copy.write("\n".join(lines) + "\n")
                count += len(lines)
        return count
