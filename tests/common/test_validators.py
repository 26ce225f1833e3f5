"""Field rules used by registration: credit code, mobile, resident ID, login account, password, landline."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.forms.registration import LANDLINE_RE
from accounts.models import User
from common.validators import (
    mask_phone,
    mask_resident_id,
    validate_credit_code,
    validate_login_account,
    validate_mobile,
    validate_resident_id,
)
from tests.accounts.test_registration_support import credit_code


def _message(func, value) -> str:
    with pytest.raises(ValidationError) as info:
        func(value)
    return info.value.messages[0]


def test_validate_credit_code_accepts_and_normalises():
    assert validate_credit_code(" 91430100ma4l678907 ") == "91430100MA4L678907"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("91430100MA4L67890", "统一社会信用代码应为18位。"),
        ("91430100MA4L6789070", "统一社会信用代码应为18位。"),
        ("91430100MA4L6789O7", "统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V）。"),
        ("91430100MA4L6789Z7", "统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V）。"),
        ("91430100MA4L678908", "统一社会信用代码校验位不正确，请核对后重新输入。"),
    ],
)
def test_validate_credit_code_rejects(value, message):
    assert _message(validate_credit_code, value) == message


def test_credit_code_helper_builds_valid_codes():
    for division in ("430100", "100000", "659001", "110105"):
        assert validate_credit_code(credit_code(division)) == credit_code(division)


@pytest.mark.parametrize("value", ["13000000000", "19912345678", "15812345678"])
def test_validate_mobile_accepts(value):
    assert validate_mobile(value) == value


@pytest.mark.parametrize("value", ["12012345678", "1381234567", "138123456789", "+8613812345678", "138-1234-5678"])
def test_validate_mobile_rejects(value):
    assert _message(validate_mobile, value) == "请输入正确的11位手机号码。"


def test_validate_resident_id_check_digit():
    assert validate_resident_id("11010519491231002x") == "11010519491231002X"
    assert _message(validate_resident_id, "110105194912310021") == "身份证号校验位不正确，请核对后重新输入。"
    assert _message(validate_resident_id, "1101051949123100") == "身份证号应为18位。"


@pytest.mark.parametrize("value", ["abcd", "StarMedia2026", "A" * 30, "1380000111", "138000011112"])
def test_validate_login_account_accepts(value):
    assert validate_login_account(value) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("13800001111", "登录账号不能是11位数字（以免与手机号混淆）。"),
        ("abc", "登录账号只能由字母和数字组成，长度4-30位。"),
        ("star media", "登录账号只能由字母和数字组成，长度4-30位。"),
        ("star.media", "登录账号只能由字母和数字组成，长度4-30位。"),
        ("A" * 31, "登录账号只能由字母和数字组成，长度4-30位。"),
    ],
)
def test_validate_login_account_rejects(value, message):
    assert _message(validate_login_account, value) == message


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        ("Qwxzlmt8k", ["密码长度应为10-20位。"]),
        ("Abcdefgh1234567890123", ["密码长度应为10-20位。"]),
        ("qwxzlmtp82", ["密码必须同时包含数字、大写字母和小写字母。"]),
        ("QWXZLMTP82", ["密码必须同时包含数字、大写字母和小写字母。"]),
        ("Qwxzlmtpkv", ["密码必须同时包含数字、大写字母和小写字母。"]),
    ],
)
def test_password_rule(password, messages):
    with pytest.raises(ValidationError) as info:
        validate_password(password, user=User(username="13812340001", phone="13812340001"))
    assert info.value.messages == messages


def test_password_rule_accepts_good_password():
    assert validate_password("Star2026Light", user=User(username="13812340001", phone="13812340001")) is None


@pytest.mark.parametrize("value", ["010-86091625", "01086091625", "0731-88888888", "0731-8888888-21"])
def test_landline_pattern_accepts(value):
    assert LANDLINE_RE.match(value)


@pytest.mark.parametrize("value", ["86091625", "10-86091625", "010-860916", "0731-888888888"])
def test_landline_pattern_rejects(value):
    assert not LANDLINE_RE.match(value)


def test_masking():
    assert mask_resident_id("43010219900307123X") == "4301**********123X"
    assert mask_phone("13812340001") == "138****0001"
