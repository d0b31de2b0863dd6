"""Migration operations that apply on PostgreSQL only, so the SQLite path keeps migrating cleanly."""

from django.db import connection
from django.db.migrations.operations.base import Operation


class PostgresOnly(Operation):
    """Wraps an operation; on any other database it changes neither the schema nor the model state.

    The state follows the default connection, as the models do (see archive/models/search.py), so the
    autodetector sees the same fields in both and `makemigrations --check` is clean on either database.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, operation):
        self.operation = operation

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operation], {})

    @staticmethod
    def _applies(conn=connection) -> bool:
        return conn.vendor == "postgresql"

    def state_forwards(self, app_label, state):
        if self._applies():
            self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(schema_editor.connection):
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(schema_editor.connection):
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.operation.migration_name_fragment
