"""One wording for generic field errors (issue 12): "此项为必填项。", never Django's "这个字段是必须的。";
the password similarity message without stray spaces."""

import re

import pytest
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from filings.models import Performer
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

DJANGO_REQUIRED = "这个字段是必须的"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_an_empty_row_and_an_empty_login_say_the_portals_required_message(client):
    from tests.filings.factories import make_filing
    from tests.filings.helpers import browser_post

    user = ApplicantFactory()
    filing = make_filing(by=user)
    client.force_login(user)
    url = reverse("filings:edit", args=[filing.public_id])
    body = text(browser_post(client, url, "row-add:performers", {"performers-new-name": ""}))
    assert DJANGO_REQUIRED not in body
    assert "此项为必填项。" in body
    client.logout()
    body = text(client.post(reverse("accounts:login"), {}))
    assert DJANGO_REQUIRED not in body


def test_any_form_field_and_model_field_default_to_the_portals_required_message():
    class Late(forms.Form):
        name = forms.CharField(label="名称")

    form = Late({})
    assert form.errors["name"] == ["此项为必填项。"]
    with pytest.raises(ValidationError) as caught:
        Performer(name="", country="CN", version_id=1).full_clean(exclude=["version", "key"])
    assert caught.value.message_dict["name"] == ["此项为必填项。"]


def test_a_field_with_its_own_required_message_keeps_it():
    class Own(forms.Form):
        code = forms.CharField(error_messages={"required": "请输入验证码。"})

    assert Own({}).errors["code"] == ["请输入验证码。"]


def test_a_password_like_the_login_name_is_refused_with_a_clean_message(client):
    user = ApplicantFactory(username="hunanculture", full_name="王小明")
    with pytest.raises(ValidationError) as caught:
        validate_password("Hunanculture1", user)
    assert caught.value.messages == ["密码与登录账号过于相似。"]

    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "x", "new_password1": "Hunanculture1", "new_password2": "Hunanculture1"},
    )
    body = text(response)
    assert "密码与登录账号过于相似。" in body
    assert "密码跟 " not in body and " 太相似" not in body
    # a different password passes the similarity check
    validate_password("Qx7mLp2vRt9z", user)


def test_form_classes_django_declared_before_the_portal_loaded_say_it_too():
    from django.contrib.admin.helpers import ActionForm
    from django.forms.formsets import ManagementForm

    assert ManagementForm({}).errors["TOTAL_FORMS"] == ["此项为必填项。"]
    assert ActionForm({}).errors["action"] == ["此项为必填项。"]
