"""Aggregates Django lacks, on PostgreSQL and on the embedded SQLite."""

import statistics

from django.db.models import Aggregate


class Median(Aggregate):
    """The median of the non-null values; percentile_cont on PostgreSQL, a Python aggregate on SQLite
    (registered by ProposalsConfig when a connection opens)."""

    function = "MEDIAN"
    name = "Median"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection,
                           template="percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)", **extra_context)


class SQLiteMedian:
    """sqlite3's aggregate protocol: step() per row, finalize() once."""

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("MEDIAN", 1, SQLiteMedian)
