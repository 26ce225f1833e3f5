"""The captcha's hidden key input carries no attribute HTML forbids on ``type=hidden`` (no Java needed).

The Nu HTML Checker reported placeholder / maxlength / required / autocomplete /
aria-* on it on every page with a captcha (issue 12); tests/portal/test_markup.py
checks whole pages, this checks the widget wherever Java is missing.
"""

import re

import pytest

pytestmark = pytest.mark.django_db


def inputs(html: str) -> dict[str, str]:
    return {
        re.search(r'name="([^"]+)"', tag).group(1): tag for tag in re.findall(r"<input[^>]*>", html) if "name=" in tag
    }


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/register/", "/accounts/password/reset/"])
def test_the_hidden_key_has_only_its_name_value_and_id(client, path):
    html = client.get(path).content.decode()

    hidden = inputs(html)["captcha_0"]
    attributes = set(re.findall(r'\s([a-z-]+)(?:="[^"]*")?', hidden.removeprefix("<input")))
    assert attributes == {"type", "name", "value", "id"}, hidden
    # The answer box keeps what helps the user.
    answer = inputs(html)["captcha_1"]
    for attribute in ('placeholder="请输入验证码"', 'autocomplete="off"', 'maxlength="8"', "required"):
        assert attribute in answer


def test_after_bad_input_too(client):
    html = client.post("/accounts/login/", {}).content.decode()

    hidden = inputs(html)["captcha_0"]
    assert not re.search(r"\s(aria-[a-z]+|required|placeholder|maxlength|autocomplete|class)\b", hidden), hidden
    assert 'aria-invalid="true"' in inputs(html)["captcha_1"]
