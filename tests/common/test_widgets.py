"""common.widgets.OptionsSelect writes what Django's Select writes, without a template per option."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

from common.widgets import OptionsSelect
from filings import countries


def _tags(html: str) -> list[str]:
    """The markup as a list of tags and texts (Django's templates put newlines between options)."""
    return re.findall(r"<[^>]+>|[^<\s][^<]*", html)


CHOICES = [
    ("", "请选择"),
    *countries.choices(),
    ("群组", [("a", "A & <b>"), ("b", 'B "引号"')]),
    ("safe", mark_safe("<em>已标记</em>")),
]


@pytest.mark.parametrize("value", ["", "CN", "HK", None, "unknown", "a", ["CN", "HK"]])
def test_the_markup_is_djangos_for_any_value(value):
    attrs = {"class": "form-select is-invalid", "data-flag": True, "data-off": False, "aria-invalid": "true"}
    django = forms.Select(choices=CHOICES, attrs=attrs).render("performers-new-country", value, {"id": "id_x"})
    ours = OptionsSelect(choices=CHOICES, attrs=attrs).render("performers-new-country", value, {"id": "id_x"})
    assert _tags(ours) == _tags(django)


def test_one_option_is_selected_and_text_is_escaped():
    html = OptionsSelect(choices=CHOICES).render("c", "CN")
    assert html.count(" selected") == 1
    assert '<option value="CN" selected>中国</option>' in html
    assert "A &amp; &lt;b&gt;" in html and "B &quot;引号&quot;" in html
    assert "<em>已标记</em>" in html  # a safe label is kept, as the template keeps it


def test_the_performer_form_uses_it_and_still_validates():
    from filings.forms import PerformerForm

    form = PerformerForm(data={"name": "示例乐团", "country": "ZZ", "virtual": "False"})
    assert isinstance(form.fields["country"].widget, OptionsSelect)
    assert not form.is_valid()
    assert "country" in form.errors
    assert 'name="country"' in str(form["country"])


def _form():
    class Everything(forms.Form):
        text = forms.CharField(label="名称", help_text="说明", max_length=20)
        email = forms.EmailField(required=False)
        url = forms.URLField(widget=forms.URLInput(attrs={"placeholder": "https://"}), assume_scheme="https")
        number = forms.IntegerField(min_value=0)
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        when = forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        )
        secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
        hidden = forms.CharField(widget=forms.HiddenInput)
        agree = forms.BooleanField(required=False)
        synopsis = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
        off = forms.CharField(disabled=True, required=False)
        kind = forms.ChoiceField(choices=[("", "请选择"), ("live", "直播"), ("rec", 'A & "B"')])
        grouped = forms.ChoiceField(choices=CHOICES, required=False)
        several = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙"), ("c", "丙")], required=False)
        maybe = forms.NullBooleanField()
        unit = forms.TypedChoiceField(choices=[(1, "一"), (2, "二")], coerce=int)

    return Everything


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": 'A "q" & <b>',
            "email": "x@example.cn",
            "url": "https://e.cn/?a=1&b=2",
            "number": "7",
            "day": "2026-03-01",
            "when": "2026-03-01T20:00",
            "secret": "s<",
            "hidden": "h&",
            "agree": "on",
            "synopsis": "第一行\n<第二行>",
            "off": "x",
            "kind": "rec",
            "grouped": "a",
            "several": ["a", "c"],
            "maybe": "true",
            "unit": "2",
        },
        {"text": "", "number": "x", "day": "bad", "when": "bad", "synopsis": ""},
    ],
)
def test_the_fast_renderer_writes_djangos_markup_byte_for_byte(data):
    from django.forms.renderers import DjangoTemplates

    from common.widgets import FastFormRenderer

    form_class = _form()
    django = form_class(data, initial={"text": "初始", "day": "2026-01-02"}, renderer=DjangoTemplates())
    ours = form_class(data, initial={"text": "初始", "day": "2026-01-02"}, renderer=FastFormRenderer())
    if data is not None:
        django.is_valid(), ours.is_valid()
    for name in form_class.base_fields:
        extra = {"class": "form-control is-invalid", "aria-invalid": "true"} if name == "text" else None
        assert ours[name].as_widget(attrs=extra) == django[name].as_widget(attrs=extra), name
    assert str(ours) == str(django)  # whole-form templates are Django's own


def test_the_portal_renders_forms_with_it():
    from django.forms.renderers import get_default_renderer

    from common.widgets import FastFormRenderer

    assert isinstance(get_default_renderer(), FastFormRenderer)


@pytest.mark.django_db
def test_a_model_choice_select_is_djangos_too():
    from django.forms.renderers import DjangoTemplates

    from accounts.models import User
    from common.widgets import FastFormRenderer
    from tests.factories import ApplicantFactory

    chosen = ApplicantFactory(full_name="张 & 三")
    ApplicantFactory(full_name="李四")

    class People(forms.Form):
        filler = forms.ModelChoiceField(queryset=User.objects.order_by("pk"))

    data = {"filler": str(chosen.pk)}
    ours = People(data, renderer=FastFormRenderer())["filler"].as_widget()
    assert ours == People(data, renderer=DjangoTemplates())["filler"].as_widget()
    assert f'<option value="{chosen.pk}" selected>' in ours
