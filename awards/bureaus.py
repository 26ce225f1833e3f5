"""申报台局: the review units a nomination goes to.

A provincial 广播电视局 (by region code, from ``common.regions``) or, for units
NRTA staff marked as 中央直属单位, 国家广播电视总局 itself under the code
``NRTA_BUREAU`` ("000000", not a GB/T 2260 division, so it can never collide).
The grouping by area is the one of the seed's "按照分组的方式查看".
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common import regions

NRTA_BUREAU = "000000"
NRTA_NAME = "国家广播电视总局"

# Areas in the order of the customary 六大区, each with its region codes.
GROUPS: tuple[tuple[object, tuple[str, ...]], ...] = (
    (_("华北"), ("110000", "120000", "130000", "140000", "150000")),
    (_("东北"), ("210000", "220000", "230000")),
    (_("华东"), ("310000", "320000", "330000", "340000", "350000", "360000", "370000")),
    (_("中南"), ("410000", "420000", "430000", "440000", "450000", "460000")),
    (_("西南"), ("500000", "510000", "520000", "530000", "540000")),
    (_("西北"), ("610000", "620000", "630000", "640000", "650000", "660000")),
)


def name(code: str | None) -> str:
    """The official name of the review unit (湖南省广播电视局, 国家广播电视总局)."""
    if code == NRTA_BUREAU:
        return NRTA_NAME
    region = regions.get(code)
    return region.radio_bureau if region else ""


def abbr(code: str | None) -> str:
    """Short form used in reference numbers (湘, 兵; 总局 for central nominations)."""
    if code == NRTA_BUREAU:
        return "总局"
    region = regions.get(code)
    return region.abbr if region else ""


def province_of(code: str | None) -> str:
    """The province whose officials review it; "" for 国家广播电视总局."""
    return code if regions.get(code) else ""


def flat_choices() -> list[tuple[str, str]]:
    return [(NRTA_BUREAU, NRTA_NAME)] + [(r.code, r.radio_bureau) for r in regions.REGIONS]


def grouped_choices(*, include_central: bool) -> list[tuple[object, list[tuple[str, str]]]]:
    """Choices for a grouped <select> (optgroups by area)."""
    groups: list[tuple[object, list[tuple[str, str]]]] = []
    if include_central:
        groups.append((_("中央"), [(NRTA_BUREAU, NRTA_NAME)]))
    for label, codes in GROUPS:
        groups.append((label, [(code, name(code)) for code in codes]))
    return groups


# Sanity: the grouping covers every region exactly once.
assert sorted(c for _label, codes in GROUPS for c in codes) == sorted(r.code for r in regions.REGIONS)
