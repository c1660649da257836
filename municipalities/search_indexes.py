"""A migration operation: trigram indexes for the search (municipalities.search), on
PostgreSQL only.

The search matches a field with `column LIKE '%word%'` or `column ILIKE '%word%'`
(municipalities.search.contains). A GIN index of pg_trgm on the column serves both for a
word of three characters or more, Japanese included (the database's LC_CTYPE, C.UTF-8 or
ja_JP.UTF-8, counts kana and kanji as letters). On SQLite the operation does nothing: the
search works there by reading the tables.

The pg_trgm extension is created by municipalities' migration `0010_search_indexes`
(django.contrib.postgres's TrigramExtension, a no-op elsewhere); the migrations that use
this operation depend on it.
"""

from django.db.migrations.operations.base import Operation


class TrigramIndexes(Operation):
    """Create (and, backwards, drop) one trigram index per field of a model, where the
    database is PostgreSQL."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str, fields: list[str]):
        self.model_name = model_name
        self.fields = fields

    def deconstruct(self):
        return (self.__class__.__name__, [], {"model_name": self.model_name, "fields": self.fields})

    def state_forwards(self, app_label, state):
        pass  # not part of the models' state: an index Django's own SQLite backend cannot make

    def _indexes(self, app_label, state):
        model = state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        for name in self.fields:
            column = model._meta.get_field(name).column
            yield f"{table}_{column}_trgm"[:63], table, column

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        for index, table, column in self._indexes(app_label, to_state):
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(index)} ON {quote(table)} "
                f"USING gin ({quote(column)} gin_trgm_ops)"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for index, _table, _column in self._indexes(app_label, from_state):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")

    def describe(self):
        return f"Trigram indexes (PostgreSQL) on {self.model_name}: {', '.join(self.fields)}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_trigram_indexes"
