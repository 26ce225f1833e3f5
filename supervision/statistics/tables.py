"""A statistics table: what the page shows, the chart draws and the export writes (the same figures)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str = "bar"  # bar | line | stack
    # columns (by index, from 1) that the chart draws as series; the first column is the category
    series: tuple[int, ...] = ()
    note: str = ""

    def chart_data(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "type": self.chart,
            "categories": [str(r[0]) for r in self.rows],
            "series": [{"name": self.headers[i], "data": [r[i] for r in self.rows]} for i in self.series],
        }


def ratio(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def days(value: float | None) -> str | float:
    return round(value, 1) if value is not None else "—"
