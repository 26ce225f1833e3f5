"""Load scenario of the stack (``make load``): applicants and officials as people use the portal.

* an applicant (经营单位 administrator) logs in through the login form (captcha: the load
  stack's test answer, bench/load/settings.py), then, for each of their prepared drafts: opens
  the editor, saves a section (编辑), uploads a PDF into 材料上传, opens 核对信息, 提交, and
  reads 受理状态;
* an official (provincial MCT reviewer) logs in, then opens the 审核工作台 queue, an
  application's detail, and decides: 受理, then 审核通过 (the worker renders its certificate).

Every answer is checked (status and a word of the page), so a wrong page counts as a failure.
The accounts come from bench/load/prepare.py (LOAD_ACCOUNTS, a JSON file).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy

from locust import HttpUser, between, task

with open(os.environ.get("LOAD_ACCOUNTS", "var/load/accounts.json"), encoding="utf-8") as _handle:
    ACCOUNTS = json.load(_handle)
_applicants = itertools.cycle(ACCOUNTS["applicants"])
_officials = itertools.cycle(ACCOUNTS["officials"])
_lock = threading.Lock()
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"% load test\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class FormFields(HTMLParser):
    """The fields a browser would send from the form with ``form_id`` (no file inputs, no buttons)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("file", "submit", "button"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            else:
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._select = "-"  # chosen
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if self._select != "-" and self._first_option is not None:
                self.fields.append((self._select, self._first_option))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(rf'value="([^"]*)"[^>]*name="{name}"', html)
    return match.group(1) if match else ""


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self):
        # Behind nginx on loopback: plain http, Secure cookies kept as a browser does for a loopback origin.
        self.client.cookies.set_policy(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
        self.client.headers["Origin"] = self.host.rstrip("/")

    def cookie_header(self) -> dict:
        # requests copies cookies into a jar with the default policy, which drops Secure ones over http.
        return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)}

    def get(self, path: str, expect: str, name: str | None = None):
        with self.client.get(path, name=name, headers=self.cookie_header(), catch_response=True) as answer:
            if answer.status_code != 200 or expect not in answer.text:
                answer.failure(f"{answer.status_code}: expected {expect!r}")
            return answer

    def post(self, path: str, data, expect_redirect: str = "", name: str | None = None, files=None):
        headers = {**self.cookie_header(), "Referer": self.host.rstrip("/") + path}
        token = next((c.value for c in self.client.cookies if c.name.endswith("csrftoken")), "")
        data = [*data, ("csrfmiddlewaretoken", token)]
        with self.client.post(
            path, data=data, files=files, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as answer:
            location = answer.headers.get("Location", "")
            if answer.status_code != 302 or expect_redirect not in location:
                answer.failure(f"{answer.status_code} → {location!r}: expected a redirect to {expect_redirect!r}")
            return answer

    def log_in(self, username: str, home: str):
        page = self.get("/accounts/login/", "captcha_0", name="登录页")
        self.post(
            "/accounts/login/",
            [
                ("username", username),
                ("password", ACCOUNTS["password"]),
                ("captcha_0", hidden(page.text, "captcha_0")),
                ("captcha_1", "PASSED"),
            ],
            name="登录",
        )
        self.get(home, "退出", name="登录后首页")


class Applicant(PortalUser):
    """经营单位: 编辑, 上传, 核对, 提交, 受理状态 — one prepared draft per iteration."""

    weight = 5

    def on_start(self):
        super().on_start()
        with _lock:
            self.account = next(_applicants)  # users may share an account; never a draft
        self.log_in(self.account["username"], "/filings/")

    @task
    def file_one_application(self):
        with _lock:
            public_id = self.account["drafts"].pop() if self.account["drafts"] else None
        if public_id is None:  # all filed: only reads 受理状态
            self.get("/filings/status/", "受理状态", name="受理状态")
            return
        edit = f"/filings/applications/{public_id}/edit/"
        page = self.get(edit, "filing-form", name="编辑页")
        fields = [(k, v) for k, v in form_fields(page.text, "filing-form") if k != "csrfmiddlewaretoken"]
        fields = [(k, "压测修改的节目简介。" if k == "programme-synopsis" else v) for k, v in fields]
        self.post(edit, [*fields, ("action", "save:programme")], expect_redirect=edit, name="编辑保存")
        self.post(
            edit,
            [("action", "save:materials")],
            expect_redirect=edit,
            name="上传材料",
            files={"material-process": ("演出过程说明.pdf", PDF, "application/pdf")},
        )
        check = f"/filings/applications/{public_id}/check/"
        self.get(check, "确认提交", name="核对信息")
        self.post(check, [], expect_redirect="/filings/status/", name="提交")
        self.get("/filings/status/", "提交成功", name="受理状态")


class Official(PortalUser):
    """省级审核人员: 审核工作台 queue, an application, 受理 then 审核通过."""

    weight = 1

    def on_start(self):
        super().on_start()
        with _lock:
            self.account = next(_officials)
        self.log_in(self.account["username"], "/staff/")

    @task
    def decide_one_application(self):
        self.get("/staff/filings/filing/", "受理编号", name="审核队列")
        with _lock:
            public_id = self.account["filings"].pop() if self.account["filings"] else None
        if public_id is None:
            return
        detail = f"/staff/filings/filing/{public_id}/change/"
        self.get(detail, "审核意见", name="审核详情")
        self.post(detail, [("transition", "accept"), ("comment", "")], expect_redirect=detail, name="受理")
        self.post(
            detail,
            [("transition", "approve"), ("comment", "材料齐全，同意备案。")],
            expect_redirect=detail,
            name="审核通过",
        )
