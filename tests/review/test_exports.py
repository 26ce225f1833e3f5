"""Spreadsheet cells: local times, booleans, and no formula injection."""

import datetime as dt

from django.utils import timezone

from common.exports import cell, csv_bytes, resolve


def test_cell_formats_values_for_spreadsheets():
    aware = timezone.make_aware(dt.datetime(2026, 3, 1, 1, 30), dt.UTC)

    assert cell(aware) == "2026-03-01 09:30"  # Asia/Shanghai
    assert cell(dt.date(2026, 3, 1)) == "2026-03-01"
    assert cell(None) == ""
    assert cell(True) == "是"
    assert cell(12) == 12


def test_cell_neutralises_formulas():
    assert cell("=1+1") == "'=1+1"
    assert cell("+86 139") == "'+86 139"
    assert cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell("WY-湘-2026-000001") == "WY-湘-2026-000001"


def test_resolve_follows_paths_methods_and_callables():
    class Org:
        name = "星辰"

    class Obj:
        organisation = Org()

        def get_state_display(self):
            return "待受理"

    obj = Obj()
    assert resolve(obj, "organisation__name") == "星辰"
    assert resolve(obj, "get_state_display") == "待受理"
    assert resolve(obj, lambda o: "x") == "x"


def test_csv_bytes_start_with_bom():
    data = csv_bytes(["名称"], [["春之声"]])

    assert data == "\ufeff名称\r\n春之声\r\n".encode()
