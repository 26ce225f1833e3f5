"""Countries and regions for 演员/团体信息 (ISO 3166-1 / GB/T 2659, from pycountry).

Hong Kong, Macao and Taiwan are listed only as regions of China (中国香港,
中国澳门, 中国台湾), never beside countries. Codes stored are ISO alpha-2.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext as _

CHINA = "CN"
CHINA_REGIONS = {
    "HK": ("中国香港", "Hong Kong, China"),
    "MO": ("中国澳门", "Macao, China"),
    "TW": ("中国台湾", "Taiwan, China"),
}
CHINA_NAMES = ("中国", "China")


@lru_cache(maxsize=1)
def _zh() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError:  # translations missing: fall back to English names
        return gettext.NullTranslations()


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, str]]:
    """alpha-2 → (Chinese name, English name)."""
    zh = _zh()
    table: dict[str, tuple[str, str]] = {}
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        table[country.alpha_2] = (zh.gettext(country.name), english)
    table[CHINA] = CHINA_NAMES
    table.update(CHINA_REGIONS)
    return table


def _chinese_ui() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def name(code: str | None) -> str:
    names = _table().get((code or "").upper())
    if not names:
        return code or ""
    return names[0] if _chinese_ui() else names[1]


def is_valid(code: str | None) -> bool:
    return (code or "").upper() in _table()


def choices() -> list:
    """Grouped choices: 中国 (with its regions) first, then every other country by English name.

    Built once per language (every 演员/团体 row form asks for it; ~250 names sorted each time cost
    the editor page a millisecond or two); new lists each call, so callers may change them."""
    return [(group, list(items)) for group, items in _choices(get_language() or "zh-hans")]


@lru_cache(maxsize=8)
def _choices(language: str) -> tuple:
    table = _table()
    china = [(CHINA, name(CHINA))] + [(code, name(code)) for code in ("HK", "MO", "TW")]
    others = sorted(
        (code for code in table if code != CHINA and code not in CHINA_REGIONS),
        key=lambda code: table[code][1],
    )
    return (
        (_("中国"), tuple(china)),
        (_("其他国家和地区"), tuple((code, name(code)) for code in others)),
    )
