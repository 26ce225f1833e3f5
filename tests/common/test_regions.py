import pytest

from common import regions


def test_region_table_has_31_divisions_and_xpcc():
    assert len(regions.REGIONS) == 32
    assert len({r.abbr for r in regions.REGIONS}) == 32
    assert regions.get("660000").name == "新疆生产建设兵团"
    assert regions.get("660000").culture_dept == "新疆生产建设兵团文化体育广电和旅游局"
    assert regions.get("430000").culture_dept == "湖南省文化和旅游厅"
    assert regions.get("430000").radio_bureau == "湖南省广播电视局"
    assert regions.get("110000").culture_dept == "北京市文化和旅游局"


@pytest.mark.parametrize("region", regions.REGIONS, ids=lambda r: r.code)
def test_every_credit_code_prefix_maps_to_its_province(region):
    if region.code == regions.XPCC_CODE:
        code = "91660100MA0000000X"
    else:
        code = f"91{region.code[:2]}0100MA0000000X"
    assert regions.province_from_credit_code(code) == region.code


def test_central_and_xpcc_city_codes_leave_the_choice_to_the_user():
    assert regions.candidate_provinces("91100000100000000X") == []
    assert regions.province_from_credit_code("91100000100000000X") is None
    assert regions.candidate_provinces("91659001MA0000000X") == ["650000", "660000"]
    assert regions.province_from_credit_code("91659001MA0000000X") is None
    assert regions.province_from_credit_code("91650100MA0000000X") == "650000"
    assert regions.candidate_provinces("91990100MA0000000X") == []
