"""Database expressions for the statistics: days between two times, and percentiles computed in the database.

PostgreSQL: ``PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY …)``. SQLite has no ordered-set aggregate, so
:func:`percentiles` numbers each group's rows with window functions (``ROW_NUMBER``/``COUNT`` over the
group) and fetches only the (at most four) rows around each wanted position; the interpolation between
those two values is the same as PERCENTILE_CONT's. No query brings all rows to Python.
"""

from __future__ import annotations

import math

from django.db import connections
from django.db.models import Aggregate, Count, FloatField, Func, QuerySet


class DaysBetween(Func):
    """(end − start) in days, as a float."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        (start, start_params), (end, end_params) = (compiler.compile(e) for e in self.get_source_expressions())
        if connection.vendor == "postgresql":
            return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)", [*end_params, *start_params]
        return f"(julianday({end}) - julianday({start}))", [*end_params, *start_params]


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile (``fraction`` is a constant of this module, never user input)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentiles(queryset: QuerySet, group: str, value, fractions=(0.5, 0.9)) -> dict:
    """{group value: {"n": count, 0.5: median, 0.9: p90}} of ``value`` over ``queryset``, in one query."""
    qs = queryset.order_by().annotate(_v=value)
    connection = connections[qs.db]  # the replica's, inside common.replica.reads_from_replica
    if connection.vendor == "postgresql":
        aggregates = {f"p{int(f * 100)}": PercentileCont("_v", f) for f in fractions}
        rows = qs.values(group).annotate(n=Count("pk"), **aggregates)
        return {r[group]: {"n": r["n"], **{f: r[f"p{int(f * 100)}"] for f in fractions}} for r in rows}
    inner, params = qs.values_list(group, "_v").query.sql_with_params()
    wanted = " OR ".join(
        f"rn = CAST((n - 1) * {f} AS INTEGER) + 1 OR rn = CAST((n - 1) * {f} AS INTEGER) + 2" for f in fractions
    )
    # the inner query's two columns are named g and v by a first, empty, branch of a UNION
    numbered = (
        "SELECT g, v, ROW_NUMBER() OVER (PARTITION BY g ORDER BY v) AS rn, COUNT(*) OVER (PARTITION BY g) AS n "  # noqa: S608
        f"FROM (SELECT 1 AS g, 1 AS v WHERE 0 UNION ALL {inner}) AS u"
    )
    sql = f"SELECT g, v, rn, n FROM ({numbered}) AS w WHERE {wanted}"  # noqa: S608 (ORM SQL with its params apart)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found: dict = {}
        for g, v, rn, n in cursor.fetchall():
            found.setdefault(g, {"n": n, "at": {}})["at"][rn] = v
    result = {}
    for g, data in found.items():
        n, at = data["n"], data["at"]
        entry = {"n": n}
        for f in fractions:
            h = (n - 1) * f
            lo = math.floor(h)
            low, high = at[lo + 1], at.get(lo + 2, at[lo + 1])
            entry[f] = low + (high - low) * (h - lo)
        result[g] = entry
    return result
