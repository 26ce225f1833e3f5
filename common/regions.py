"""The region table: 31 provincial-level divisions (GB/T 2260) and 新疆生产建设兵团.

Each region carries its code, name, one-character abbreviation and the
official names of its culture-and-tourism department (MCT programme) and its
radio-and-television bureau (NRTA programme). The province of a unit is
derived from characters 3–8 of its unified social credit code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short_name: str
    abbr: str
    culture_dept: str
    radio_bureau: str


XPCC_CODE = "660000"
XINJIANG_CODE = "650000"

REGIONS: tuple[Region, ...] = (
    Region("110000", "北京市", "北京", "京", "北京市文化和旅游局", "北京市广播电视局"),
    Region("120000", "天津市", "天津", "津", "天津市文化和旅游局", "天津市广播电视局"),
    Region("130000", "河北省", "河北", "冀", "河北省文化和旅游厅", "河北省广播电视局"),
    Region("140000", "山西省", "山西", "晋", "山西省文化和旅游厅", "山西省广播电视局"),
    Region("150000", "内蒙古自治区", "内蒙古", "蒙", "内蒙古自治区文化和旅游厅", "内蒙古自治区广播电视局"),
    Region("210000", "辽宁省", "辽宁", "辽", "辽宁省文化和旅游厅", "辽宁省广播电视局"),
    Region("220000", "吉林省", "吉林", "吉", "吉林省文化和旅游厅", "吉林省广播电视局"),
    Region("230000", "黑龙江省", "黑龙江", "黑", "黑龙江省文化和旅游厅", "黑龙江省广播电视局"),
    Region("310000", "上海市", "上海", "沪", "上海市文化和旅游局", "上海市广播电视局"),
    Region("320000", "江苏省", "江苏", "苏", "江苏省文化和旅游厅", "江苏省广播电视局"),
    Region("330000", "浙江省", "浙江", "浙", "浙江省文化和旅游厅", "浙江省广播电视局"),
    Region("340000", "安徽省", "安徽", "皖", "安徽省文化和旅游厅", "安徽省广播电视局"),
    Region("350000", "福建省", "福建", "闽", "福建省文化和旅游厅", "福建省广播电视局"),
    Region("360000", "江西省", "江西", "赣", "江西省文化和旅游厅", "江西省广播电视局"),
    Region("370000", "山东省", "山东", "鲁", "山东省文化和旅游厅", "山东省广播电视局"),
    Region("410000", "河南省", "河南", "豫", "河南省文化和旅游厅", "河南省广播电视局"),
    Region("420000", "湖北省", "湖北", "鄂", "湖北省文化和旅游厅", "湖北省广播电视局"),
    Region("430000", "湖南省", "湖南", "湘", "湖南省文化和旅游厅", "湖南省广播电视局"),
    Region("440000", "广东省", "广东", "粤", "广东省文化和旅游厅", "广东省广播电视局"),
    Region("450000", "广西壮族自治区", "广西", "桂", "广西壮族自治区文化和旅游厅", "广西壮族自治区广播电视局"),
    Region("460000", "海南省", "海南", "琼", "海南省旅游和文化广电体育厅", "海南省旅游和文化广电体育厅"),
    Region("500000", "重庆市", "重庆", "渝", "重庆市文化和旅游发展委员会", "重庆市广播电视局"),
    Region("510000", "四川省", "四川", "川", "四川省文化和旅游厅", "四川省广播电视局"),
    Region("520000", "贵州省", "贵州", "黔", "贵州省文化和旅游厅", "贵州省广播电视局"),
    Region("530000", "云南省", "云南", "滇", "云南省文化和旅游厅", "云南省广播电视局"),
    Region("540000", "西藏自治区", "西藏", "藏", "西藏自治区文化厅", "西藏自治区广播电视局"),
    Region("610000", "陕西省", "陕西", "陕", "陕西省文化和旅游厅", "陕西省广播电视局"),
    Region("620000", "甘肃省", "甘肃", "甘", "甘肃省文化和旅游厅", "甘肃省广播电视局"),
    Region("630000", "青海省", "青海", "青", "青海省文化和旅游厅", "青海省广播电视局"),
    Region("640000", "宁夏回族自治区", "宁夏", "宁", "宁夏回族自治区文化和旅游厅", "宁夏回族自治区广播电视局"),
    Region("650000", "新疆维吾尔自治区", "新疆", "新", "新疆维吾尔自治区文化和旅游厅", "新疆维吾尔自治区广播电视局"),
    Region(
        "660000",
        "新疆生产建设兵团",
        "兵团",
        "兵",
        "新疆生产建设兵团文化体育广电和旅游局",
        "新疆生产建设兵团文化体育广电和旅游局",
    ),
)

BY_CODE: dict[str, Region] = {r.code: r for r in REGIONS}
REGION_CHOICES: list[tuple[str, str]] = [(r.code, r.name) for r in REGIONS]

# County-level cities administered by the XPCC carry 新疆 codes 6590xx; a unit
# registered there may belong to either 新疆 or the XPCC, so the user chooses.
_XPCC_CITY_PREFIX = "6590"
CENTRAL_REGISTRATION_CODE = "100000"


def get(code: str | None) -> Region | None:
    return BY_CODE.get(code or "")


def name(code: str | None) -> str:
    region = get(code)
    return region.name if region else ""


def candidate_provinces(credit_code: str) -> list[str]:
    """Provinces a unit with this credit code may belong to.

    One element: the code decides. Several: the user chooses among them.
    Empty list: any province (centrally registered units, ``100000``, or a
    division code not in the table).
    """
    code = (credit_code or "").strip().upper()
    if len(code) < 8:
        return []
    division = code[2:8]
    if division == CENTRAL_REGISTRATION_CODE or not division.isdigit():
        return []
    if division.startswith(_XPCC_CITY_PREFIX):
        return [XINJIANG_CODE, XPCC_CODE]
    province = division[:2] + "0000"
    if province in BY_CODE:
        return [province]
    return []


def province_from_credit_code(credit_code: str) -> str | None:
    """The province the credit code determines, or None when the user must choose."""
    candidates = candidate_provinces(credit_code)
    return candidates[0] if len(candidates) == 1 else None
