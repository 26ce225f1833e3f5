"""A2 机构注册 and 个人注册 (NRTA)."""

import pytest
from django.urls import reverse

from accounts import crypto
from accounts.enums import InstitutionType, OrganisationKind
from accounts.models import AuditEvent, Organisation, User
from tests.accounts.test_registration_support import (
    CAPTCHA_OK,
    PASSWORD,
    credit_code,
    element_by_id,
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
from tests.factories import ApplicantFactory, OrganisationFactory, UserFactory

INSTITUTION_URL = reverse("accounts:register_institution")
INDIVIDUAL_URL = reverse("accounts:register_individual")
ID_NUMBER = "430102199003071234"
pytestmark = pytest.mark.django_db


def institution_data(**overrides):
    data = {
        "name": "湖南广播影视集团有限公司",
        "institution_type": InstitutionType.ENTERPRISE,
        "credit_code": credit_code(serial=7),
        "email": "contact@hnbc.example.cn",
        "contact_name": "王芳",
        "contact_phone": "010-86091625",
        "login_account": "HunanMedia",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "agree": "on",
        **CAPTCHA_OK,
    }
    data.update(overrides)
    return data


def individual_data(**overrides):
    data = {
        "full_name": "赵敏",
        "id_number": ID_NUMBER,
        "phone": "13912340009",
        "email": "zhaomin@example.cn",
        "login_account": "zhaomin2026",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "personal_info_consent": "on",
        "agree": "on",
        "sms_code": "",
        **CAPTCHA_OK,
    }
    data.update(overrides)
    return data


# --- 机构注册 ---------------------------------------------------------------
def test_institution_page_has_seed_fields(client):
    response = client.get(INSTITUTION_URL)

    html = response.content.decode()
    for label in (
        "机构名称",
        "机构类型",
        "统一社会信用代码",
        "电子邮箱",
        "联系人",
        "联系电话",
        "登录账号",
        "登录密码",
        "确认密码",
    ):
        assert label in html
    assert "请填写未注册的机构名称" in html
    assert [field_value(response, "institution_type")] == [None]
    radios = element_by_id(page(response), "div_id_institution_type")
    assert [text_of(label) for label in radios.iter("{http://www.w3.org/1999/xhtml}label")] == [
        "企业单位",
        "事业单位",
        "党群机关",
    ]
    assert reverse("accounts:register") in html and INDIVIDUAL_URL in html


def test_institution_success_with_landline(client):
    response = client.post(INSTITUTION_URL, institution_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user = User.objects.get(username="HunanMedia")
    org = user.organisation
    assert (org.kind, org.institution_type, org.credit_code, org.province) == (
        OrganisationKind.INSTITUTION,
        InstitutionType.ENTERPRISE,
        credit_code(serial=7),
        "430000",
    )
    assert (org.email, org.contact_name, org.contact_phone) == ("contact@hnbc.example.cn", "王芳", "010-86091625")
    assert org.administrator == user
    assert user.phone is None  # a landline is not a login phone
    assert user.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="register", actor=user).count() == 1


def test_institution_mobile_contact_becomes_login_phone_when_free(client):
    client.post(INSTITUTION_URL, institution_data(contact_phone="13712340001"))

    assert User.objects.get(username="HunanMedia").phone == "13712340001"


def test_institution_mobile_contact_in_use_is_not_taken(client):
    ApplicantFactory(username="13712340001")
    response = client.post(INSTITUTION_URL, institution_data(contact_phone="13712340001"))

    assert response.status_code == 302
    user = User.objects.get(username="HunanMedia")
    assert (user.phone, user.organisation.contact_phone) == (None, "13712340001")


def test_institution_name_already_registered_case_insensitive(client):
    OrganisationFactory(kind=OrganisationKind.INSTITUTION, name="Mango TV")
    data = institution_data(name="mango tv")
    response = client.post(INSTITUTION_URL, data)

    assert field_errors(response, "name") == ["该机构名称已注册。"]
    assert field_value(response, "login_account") == "HunanMedia"
    assert field_value(response, "email") == "contact@hnbc.example.cn"
    assert field_value(response, "institution_type") == "enterprise"
    assert field_value(response, "password1") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("13800001111", "登录账号不能是11位数字（以免与手机号混淆）。"),
        ("abc_123", "登录账号只能由字母和数字组成，长度4-30位。"),
        ("ab1", "登录账号只能由字母和数字组成，长度4-30位。"),
        ("a" * 31, "登录账号只能由字母和数字组成，长度4-30位。"),
        ("张三账号", "登录账号只能由字母和数字组成，长度4-30位。"),
        ("", "请输入登录账号。"),
    ],
)
def test_institution_login_account_rules(client, value, message):
    response = client.post(INSTITUTION_URL, institution_data(login_account=value))

    assert field_errors(response, "login_account") == [message]
    assert field_value(response, "name") == "湖南广播影视集团有限公司"


def test_institution_login_account_duplicate_case_insensitive(client):
    UserFactory(username="HunanMedia", phone=None)
    response = client.post(INSTITUTION_URL, institution_data(login_account="hunanmedia"))

    assert field_errors(response, "login_account") == ["该登录账号已被使用，请换一个。"]


@pytest.mark.parametrize("value", ["010-86091625", "01086091625", "0731-8888888", "13712340001", "010-86091625-123"])
def test_institution_contact_phone_accepts_mobile_and_landline(client, value):
    response = client.post(INSTITUTION_URL, institution_data(contact_phone=value))

    assert response.status_code == 302


@pytest.mark.parametrize("value", ["86091625", "1234", "010-860916", "tel:010"])
def test_institution_contact_phone_rejects_others(client, value):
    response = client.post(INSTITUTION_URL, institution_data(contact_phone=value))

    assert field_errors(response, "contact_phone") == ["请输入正确的联系电话（手机号或固定电话，如010-86091625）。"]


def test_institution_required_fields(client):
    response = client.post(INSTITUTION_URL, CAPTCHA_OK)

    assert field_errors(response, "name") == ["请输入机构名称。"]
    assert field_errors(response, "institution_type") == ["请选择机构类型。"]
    assert field_errors(response, "email") == ["请输入电子邮箱。"]
    assert field_errors(response, "contact_name") == ["请输入联系人。"]
    assert field_errors(response, "contact_phone") == ["请输入联系电话。"]
    assert field_errors(response, "agree") == ["请阅读并接受《用户须知》和《隐私保护》。"]


def test_institution_bad_email_and_duplicate_credit_code(client):
    OrganisationFactory(credit_code=credit_code(serial=7))
    response = client.post(INSTITUTION_URL, institution_data(email="not-an-email"))

    assert field_errors(response, "email") == ["请输入正确的电子邮箱地址。"]
    assert field_errors(response, "credit_code") == ["该统一社会信用代码已注册。"]


def test_institution_password_rules(client):
    response = client.post(INSTITUTION_URL, institution_data(password1="summertime2026x", password2="summertime2026x"))
    assert field_errors(response, "password1") == ["密码必须同时包含数字、大写字母和小写字母。"]

    response = client.post(INSTITUTION_URL, institution_data(password2="Other2026Light"))
    assert field_errors(response, "password2") == ["两次输入的密码不一致。"]


def test_institution_wrong_captcha(client):
    response = client.post(INSTITUTION_URL, institution_data(captcha_1="nope"))

    assert field_errors(response, "captcha") == ["图形验证码不正确，请重新输入。"]
    assert not User.objects.exists()


def test_institution_central_code_requires_province(client):
    data = institution_data(credit_code=credit_code(division="100000", serial=8))
    response = client.post(INSTITUTION_URL, data)

    assert field_errors(response, "province") == ["该统一社会信用代码无法确定所属省份，请选择所属省份。"]
    assert "110000" in select_options(response, "province")

    response = client.post(INSTITUTION_URL, {**data, "province": "110000"})

    assert response.status_code == 302
    assert Organisation.objects.get().province == "110000"


# --- 个人注册 ---------------------------------------------------------------
def test_individual_page_has_fields_and_separate_consent(client):
    response = client.get(INDIVIDUAL_URL)

    html = response.content.decode()
    for label in ("姓名", "身份证号", "手机号", "电子邮箱", "登录账号", "登录密码", "确认密码"):
        assert label in html
    assert has_field(response, "personal_info_consent") and has_field(response, "agree")
    assert "个人信息保护法" in html


def test_individual_success_stores_id_encrypted(client):
    data = individual_data()
    data["sms_code"] = send_register_code(client, INDIVIDUAL_URL, data)
    response = client.post(INDIVIDUAL_URL, data)

    assert response.status_code == 302
    assert "注册成功，登录账号为zhaomin2026，请使用登录账号和密码登录。" in [
        str(m) for m in client.get(response["Location"]).wsgi_request._messages
    ]
    user = User.objects.get(username="zhaomin2026")
    org = user.organisation
    assert (org.kind, org.name, org.administrator, org.credit_code, org.province) == (
        OrganisationKind.INDIVIDUAL,
        "赵敏",
        user,
        None,
        "430000",
    )
    assert (user.phone, user.email, user.full_name) == ("13912340009", "zhaomin@example.cn", "赵敏")
    assert ID_NUMBER not in user.id_number_encrypted
    assert user.id_number == ID_NUMBER
    assert user.id_number_masked == "4301**********1234"
    assert user.id_number_digest == crypto.blind_index(ID_NUMBER)
    assert user.personal_info_consent_at is not None
    event = AuditEvent.objects.get(action="register")
    assert ID_NUMBER not in str(event.detail)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("430102199003071233", "身份证号校验位不正确，请核对后重新输入。"),
        ("43010219900307123", "身份证号应为18位。"),
        ("430102199013071238", "身份证号格式不正确。"),
        ("", "请输入身份证号。"),
    ],
)
def test_individual_id_number_rules(client, value, message):
    response = client.post(INDIVIDUAL_URL, individual_data(id_number=value))

    assert field_errors(response, "id_number") == [message]
    assert field_value(response, "full_name") == "赵敏"
    assert field_value(response, "login_account") == "zhaomin2026"


def test_individual_id_number_already_registered(client):
    other = UserFactory(username="someone1")
    other.set_id_number(ID_NUMBER)
    other.save()
    response = client.post(INDIVIDUAL_URL, individual_data())

    assert field_errors(response, "id_number") == ["该身份证号已注册。"]


def test_individual_lower_case_x_is_accepted(client):
    number = "11010519491231002X"
    data = individual_data(id_number=number.lower())
    data["sms_code"] = send_register_code(client, INDIVIDUAL_URL, data)
    response = client.post(INDIVIDUAL_URL, data)

    assert response.status_code == 302
    assert User.objects.get().id_number == number


def test_individual_consent_is_required(client):
    data = individual_data()
    data.pop("personal_info_consent")
    response = client.post(INDIVIDUAL_URL, data)

    assert field_errors(response, "personal_info_consent") == ["请勾选同意收集和使用个人信息，否则无法注册。"]
    assert field_value(response, "id_number") == ID_NUMBER


def test_individual_phone_is_confirmed_by_sms(client):
    data = individual_data()
    code = send_register_code(client, INDIVIDUAL_URL, data)
    response = client.post(INDIVIDUAL_URL, {**data, "sms_code": wrong_code(code)})

    assert field_errors(response, "sms_code") == ["短信验证码不正确，还可尝试4次。"]
    assert messages_text(response) == []
    assert not User.objects.exists()


def test_individual_phone_and_account_taken(client):
    ApplicantFactory(username="13912340009")
    UserFactory(username="ZhaoMin2026", phone=None)
    response = client.post(INDIVIDUAL_URL, individual_data())

    assert field_errors(response, "phone") == ["该手机号已注册，请直接登录。"]
    assert field_errors(response, "login_account") == ["该登录账号已被使用，请换一个。"]
