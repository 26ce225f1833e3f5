"""国家/地区: ISO 3166 with Chinese names; 中国香港/中国澳门/中国台湾 only as regions of China."""

import pytest
from django.utils import translation

from filings import countries


def test_china_and_its_regions_come_first():
    with translation.override("zh-hans"):
        groups = countries.choices()
    assert groups[0] == ("中国", [("CN", "中国"), ("HK", "中国香港"), ("MO", "中国澳门"), ("TW", "中国台湾")])
    assert groups[1][0] == "其他国家和地区"


def test_regions_never_appear_as_countries():
    with translation.override("zh-hans"):
        others = dict(countries.choices()[1][1])
    assert not {"CN", "HK", "MO", "TW"} & set(others)
    assert not [name for name in others.values() if "台湾" in name or "香港" in name or "澳门" in name]
    assert len(others) == 249 - 4


@pytest.mark.parametrize(("code", "zh"), [("US", "美国"), ("AT", "奥地利"), ("KR", "大韩民国"), ("FR", "法国")])
def test_chinese_names_from_pycountry(code, zh):
    with translation.override("zh-hans"):
        assert countries.name(code) == zh


def test_english_names_in_english():
    with translation.override("en"):
        assert countries.name("TW") == "Taiwan, China"
        assert countries.name("US") == "United States"


def test_unknown_code_is_not_valid():
    assert countries.is_valid("XX") is False
    assert countries.is_valid("hk") is True
