"""PostgreSQL, as Django has it, with a schema editor that knows composite tenant keys.

Until `confide distribute` has run, nothing differs from Django's engine: the
composite forms apply only where the catalog shows the referenced table's key is
already (practice_id, id)."""

from __future__ import annotations

from django.db.backends.ddl_references import Columns
from django.db.backends.postgresql import base, schema

DISTRIBUTION = "practice_id"


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _key_of(self, table: str) -> list[str]:
        from confide.services.distribution import primary_key

        with self.connection.cursor() as cursor:
            return primary_key(cursor, table)

    def _has_practice(self, model) -> bool:
        return any(f.column == DISTRIBUTION for f in model._meta.local_concrete_fields)

    def _create_fk_sql(self, model, field, suffix):
        statement = super()._create_fk_sql(model, field, suffix)
        to_table = field.target_field.model._meta.db_table
        to_column = field.target_field.column
        if (field.column != DISTRIBUTION and self._has_practice(model)
                and self._key_of(to_table) == [DISTRIBUTION, to_column]):
            statement.parts["column"] = Columns(model._meta.db_table, [DISTRIBUTION, field.column], self.quote_name)
            statement.parts["to_column"] = Columns(to_table, [DISTRIBUTION, to_column], self.quote_name)
        return statement

    def _constraint_names(self, model, column_names=None, *args, **kwargs):
        """A composite tenant key or foreign key is found by the column Django knows."""
        names = super()._constraint_names(model, column_names, *args, **kwargs)
        if not names and column_names and DISTRIBUTION not in column_names and self._has_practice(model):
            names = super()._constraint_names(model, [DISTRIBUTION, *column_names], *args, **kwargs)
        return names

    def create_model(self, model):
        super().create_model(model)
        from confide.services.distribution import table_created

        table_created(self, model)


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
