"""A1 经营单位用户注册: every field rule, the SMS code button without JavaScript, success."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind
from accounts.forms.registration import EnterpriseRegistrationForm
from accounts.models import AuditEvent, Organisation, SmsCode, User
from tests.accounts.test_registration_support import (
    PASSWORD,
    credit_code,
    enterprise_data,
    field_errors,
    field_value,
    has_field,
    messages_text,
    page,
    select_options,
    send_register_code,
    text_of,
    wrong_code,
)
from tests.factories import ApplicantFactory, OrganisationFactory

URL = reverse("accounts:register")
pytestmark = pytest.mark.django_db


def _register(client, **overrides):
    """Send a code, then submit the form with it; returns the response of 注册."""
    data = enterprise_data(**overrides)
    data["sms_code"] = send_register_code(client, URL, data)
    return client.post(URL, data)


def _assert_kept(response, data, *skip):
    """The other typed values are shown again; passwords never are."""
    for name in ("name", "full_name", "phone", "credit_code"):
        if name not in skip:
            assert (field_value(response, name) or "") == data[name], name
    assert field_value(response, "password1") is None
    assert field_value(response, "password2") is None


def test_register_page_shows_the_seed_fields_in_order(client):
    response = client.get(URL)

    assert response.status_code == 200
    root = page(response)
    labels = [text_of(label).rstrip("*") for label in root.iter("{http://www.w3.org/1999/xhtml}label")]
    assert labels[:8] == [
        "企业名称",
        "登录人姓名",
        "登录人手机号",
        "统一社会信用代码",
        "图形验证码",
        "短信验证码",
        "密码",
        "确认密码",
    ]
    html = response.content.decode()
    assert "建议使用经营单位法定代表人手机号" in html
    assert 'name="action" value="send_code" formnovalidate' in html
    assert reverse("page", args=["user-agreement"]) in html and reverse("page", args=["privacy"]) in html
    assert ">关闭</a>" in html and ">注册</button>" in html
    assert not has_field(response, "province")  # only when the credit code does not decide it
    # Links to the other registration types.
    assert reverse("accounts:register_institution") in html and reverse("accounts:register_individual") in html


def test_register_enterprise_success_creates_unit_and_administrator(client):
    response = _register(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user = User.objects.get(username="13812340001")
    org = user.organisation
    assert (org.kind, org.name, org.credit_code, org.province) == (
        OrganisationKind.ENTERPRISE,
        "湖南星光文化传媒有限公司",
        credit_code(),
        "430000",
    )
    assert org.administrator == user
    assert (user.phone, user.full_name) == ("13812340001", "李华")
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="register")
    assert (event.actor, event.target, event.detail["kind"]) == (user, org.name, "enterprise")
    follow = client.get(response["Location"])
    assert "注册成功，登录账号为手机号13812340001，请使用手机号和密码登录。" in [
        str(m) for m in follow.wsgi_request._messages
    ]


def test_register_send_code_keeps_values_and_drops_captcha(client, sms_outbox):
    data = enterprise_data()
    response = client.post(URL, {**data, "action": "send_code"})

    assert response.status_code == 200
    assert messages_text(response) == ["验证码已发送，5分钟内有效。"]
    assert [m.phone for m in sms_outbox] == ["13812340001"]
    _assert_kept(response, data)
    # No other field is validated by 获取验证码.
    assert field_errors(response, "password1") == []
    # The captcha was used up; the session remembers it was solved for this phone.
    assert not has_field(response, "captcha_1")
    assert "图形验证码已验证" in response.content.decode()


def test_register_send_code_checks_only_phone_and_captcha(client, sms_outbox):
    data = enterprise_data(phone="1381234", captcha_1="WRONG", name="", password1="x")
    response = client.post(URL, {**data, "action": "send_code"})

    assert field_errors(response, "phone") == ["请输入正确的11位手机号码。"]
    assert field_errors(response, "captcha") == ["图形验证码不正确，请重新输入。"]
    assert field_errors(response, "name") == []
    assert field_errors(response, "password1") == []
    assert sms_outbox == []


def test_register_send_code_refuses_registered_phone(client, sms_outbox):
    ApplicantFactory(username="13812340001")
    response = client.post(URL, {**enterprise_data(), "action": "send_code"})

    assert field_errors(response, "phone") == ["该手机号已注册，请直接登录。"]
    assert sms_outbox == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("91430100MA4L0000", "统一社会信用代码应为18位。"),
        ("91430100MA4L00001I", "统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V）。"),
        (
            credit_code()[:-1] + ("0" if credit_code()[-1] != "0" else "1"),
            "统一社会信用代码校验位不正确，请核对后重新输入。",
        ),
        ("", "请输入统一社会信用代码。"),
    ],
)
def test_register_credit_code_rules(client, value, message):
    data = enterprise_data(credit_code=value)
    response = client.post(URL, data)

    assert response.status_code == 200
    assert field_errors(response, "credit_code") == [message]
    _assert_kept(response, data)
    assert not User.objects.exists()


def test_register_credit_code_already_registered(client):
    OrganisationFactory(credit_code=credit_code())
    data = enterprise_data()
    response = client.post(URL, data)

    assert field_errors(response, "credit_code") == ["该统一社会信用代码已注册。"]
    _assert_kept(response, data)


def test_register_credit_code_lower_case_and_spaces_are_normalised(client):
    response = _register(client, credit_code=" " + credit_code().lower() + " ")

    assert response.status_code == 302
    assert Organisation.objects.get().credit_code == credit_code()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1381234000", "请输入正确的11位手机号码。"),
        ("12812340001", "请输入正确的11位手机号码。"),
        ("1381234000a", "请输入正确的11位手机号码。"),
        ("", "请输入手机号。"),
    ],
)
def test_register_phone_rules(client, value, message):
    data = enterprise_data(phone=value)
    response = client.post(URL, data)

    assert field_errors(response, "phone") == [message]
    _assert_kept(response, data, "phone")
    assert field_value(response, "phone") == (value or None)


def test_register_phone_already_registered(client):
    ApplicantFactory(username="13812340001")
    data = enterprise_data()
    response = client.post(URL, data)

    assert field_errors(response, "phone") == ["该手机号已注册，请直接登录。"]
    _assert_kept(response, data)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short1a", "密码长度应为10-20位。"),
        ("alllowercase123", "密码必须同时包含数字、大写字母和小写字母。"),
        ("NoDigitsHereAtAll", "密码必须同时包含数字、大写字母和小写字母。"),
        ("Abcdefghij1234567890X", "密码长度应为10-20位。"),
    ],
)
def test_register_weak_password(client, password, message):
    data = enterprise_data(password1=password, password2=password)
    data["sms_code"] = send_register_code(client, URL, data)
    response = client.post(URL, data)

    assert field_errors(response, "password1") == [message]
    _assert_kept(response, data)
    assert not User.objects.exists()


def test_register_password_similar_to_phone_is_refused(client):
    data = enterprise_data(password1="A13812340001a", password2="A13812340001a")
    response = client.post(URL, data)

    assert field_errors(response, "password1") == ["密码与登录账号过于相似。"]


def test_register_password_mismatch(client):
    data = enterprise_data(password2=PASSWORD + "x")
    response = client.post(URL, data)

    assert field_errors(response, "password2") == ["两次输入的密码不一致。"]
    _assert_kept(response, data)


def test_register_required_fields_and_agreement(client):
    response = client.post(URL, {"captcha_0": "key", "captcha_1": "PASSED"})

    assert field_errors(response, "name") == ["请输入企业名称。"]
    assert field_errors(response, "full_name") == ["请输入登录人姓名。"]
    assert field_errors(response, "sms_code") == ["请输入短信验证码。"]
    assert field_errors(response, "password1") == ["请输入密码。"]
    assert field_errors(response, "password2") == ["请再次输入密码。"]
    assert field_errors(response, "agree") == ["请阅读并接受《用户须知》和《隐私保护》。"]
    summary = text_of(next(e for e in page(response).iter() if e.get("id") == "error-summary"))
    assert "企业名称：请输入企业名称。" in summary


def test_register_wrong_captcha(client):
    data = enterprise_data(captcha_1="WRONG", sms_code="123456")
    response = client.post(URL, data)

    assert field_errors(response, "captcha") == ["图形验证码不正确，请重新输入。"]
    _assert_kept(response, data)


def test_register_missing_captcha(client):
    data = enterprise_data(captcha_1="", sms_code="123456")
    response = client.post(URL, data)

    assert field_errors(response, "captcha") == ["请输入图形验证码。"]


def test_register_captcha_mark_is_only_for_that_phone(client):
    data = enterprise_data()
    send_register_code(client, URL, data)
    response = client.post(URL, {**data, "phone": "13812340002", "captcha_1": ""})

    assert field_errors(response, "captcha") == ["请输入图形验证码。"]


def test_register_captcha_mark_expires_after_ten_minutes(client):
    data = enterprise_data()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        data["sms_code"] = send_register_code(client, URL, data)
        traveller.shift(timedelta(minutes=10, seconds=1))
        response = client.post(URL, {**data, "captcha_1": ""})

    assert field_errors(response, "captcha") == ["请输入图形验证码。"]


def test_register_wrong_sms_code(client):
    data = enterprise_data()
    code = send_register_code(client, URL, data)
    response = client.post(URL, {**data, "sms_code": wrong_code(code)})

    assert field_errors(response, "sms_code") == ["短信验证码不正确，还可尝试4次。"]
    _assert_kept(response, data)
    assert not User.objects.exists()


def test_register_sms_code_not_requested(client):
    response = client.post(URL, enterprise_data(sms_code="123456"))

    assert field_errors(response, "sms_code") == ["请先获取短信验证码。"]


def test_register_sms_code_for_another_purpose_is_refused(client):
    from accounts.services.sms_codes import issue_code
    from tests.conftest import last_sms_code

    issue_code("13812340001", "login")
    response = client.post(URL, enterprise_data(sms_code=last_sms_code("13812340001")))

    assert field_errors(response, "sms_code") == ["请先获取短信验证码。"]


def test_register_sms_code_expired(client):
    data = enterprise_data()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        data["sms_code"] = send_register_code(client, URL, data)
        traveller.shift(timedelta(seconds=301))
        response = client.post(URL, data)

    assert field_errors(response, "sms_code") == ["短信验证码已过期，请重新获取。"]
    assert not User.objects.exists()


def test_register_sms_code_five_wrong_tries_lock_the_code(client):
    data = enterprise_data()
    code = send_register_code(client, URL, data)
    seen = [field_errors(client.post(URL, {**data, "sms_code": wrong_code(code)}), "sms_code") for _ in range(5)]
    response = client.post(URL, {**data, "sms_code": code})

    assert seen == [
        ["短信验证码不正确，还可尝试4次。"],
        ["短信验证码不正确，还可尝试3次。"],
        ["短信验证码不正确，还可尝试2次。"],
        ["短信验证码不正确，还可尝试1次。"],
        ["短信验证码错误次数过多，请重新获取。"],
    ]
    assert field_errors(response, "sms_code") == ["短信验证码错误次数过多，请重新获取。"]
    assert not User.objects.exists()


def test_register_sms_code_is_single_use(client):
    data = enterprise_data()
    data["sms_code"] = send_register_code(client, URL, data)
    request = client.post(URL, {**data, "password2": "mismatch"}).wsgi_request  # a session with the captcha mark

    first = EnterpriseRegistrationForm(data, request=request)
    assert first.is_valid(), first.errors
    again = EnterpriseRegistrationForm(data, request=request)

    assert not again.is_valid()
    assert again.errors["sms_code"] == ["请先获取短信验证码。"]


def test_register_right_code_is_kept_while_other_fields_are_wrong(client):
    data = enterprise_data()
    data["sms_code"] = send_register_code(client, URL, data)
    response = client.post(URL, {**data, "password2": "mismatch"})
    assert field_errors(response, "sms_code") == []
    assert field_value(response, "sms_code") == data["sms_code"]

    response = client.post(URL, data)

    assert response.status_code == 302
    assert SmsCode.objects.get().used_at is not None


def test_register_province_choice_required_for_central_codes(client):
    code = credit_code(division="100000")
    data = enterprise_data(credit_code=code)
    data["sms_code"] = send_register_code(client, URL, data)
    response = client.post(URL, data)

    assert field_errors(response, "province") == ["该统一社会信用代码无法确定所属省份，请选择所属省份。"]
    assert len(select_options(response, "province")) == 33  # the prompt + 31 provinces + 兵团
    _assert_kept(response, data)
    assert field_errors(response, "sms_code") == []

    response = client.post(URL, {**data, "province": "110000"})

    assert response.status_code == 302
    assert Organisation.objects.get().province == "110000"


def test_register_province_limited_to_candidates_for_xpcc_cities(client):
    code = credit_code(division="659001")
    data = enterprise_data(credit_code=code, province="430000")
    response = client.post(URL, data)

    assert select_options(response, "province") == ["", "650000", "660000"]
    assert field_errors(response, "province") == ["请从列表中选择所属省份。"]

    data["sms_code"] = send_register_code(client, URL, data)
    response = client.post(URL, {**data, "province": "660000"})

    assert response.status_code == 302
    assert Organisation.objects.get().province == "660000"


def test_register_province_is_ignored_when_code_decides(client):
    response = _register(client, province="110000")

    assert response.status_code == 302
    assert Organisation.objects.get().province == "430000"


def test_register_logged_in_user_is_sent_home(client):
    client.force_login(ApplicantFactory())
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_register_never_a_500_for_odd_input(client):
    response = client.post(
        URL,
        {
            "name": "x" * 500,
            "phone": ["1", "2"],
            "credit_code": "\x00",
            "province": "zz",
            "captcha_0": "",
            "captcha_1": "",
            "action": "send_code",
        },
    )
    assert response.status_code == 200
    response = client.post(URL, {"name": "x" * 500, "credit_code": "９１", "sms_code": "abcdef", "agree": "maybe"})
    assert response.status_code == 200
    assert field_errors(response, "name") == ["不能超过200个字符（当前500个）。"]
