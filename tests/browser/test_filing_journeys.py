"""End-to-end journeys of SPEC §B and §E in a real browser (headless Chromium), in Chinese.

1. A domestic filing from an empty form to 提交 with real files, 撤回, 提交 again,
   受理 and 通过 by the 湖南 official in the reviewers' admin (/staff/), then the
   unit's 受理状态, 审核记录, 网络演出剧(节)目管理 and 证照查看 with the PDF.
2. An import review returned (退回修改, a comment required) and resubmitted.
3. A change request (变更) approved with the diff in the admin, shown to the unit
   and on the public /verify/<token>/ page.

Each step asserts what the person sees. Screenshots go to $PORTAL_SCREENSHOTS.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect
from stdnum.cn import uscc

from filings.enums import FilingKind, FilingState
from filings.models import Filing
from review.models import Certificate
from tests.browser.files import minimal_pdf
from tests.factories import OrganisationFactory, StaffFactory
from tests.filings.factories import applicant, make_filing, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

HUNAN_DEPT = "湖南省文化和旅游厅"
YEAR = date.today().year  # reference numbers use the local (Beijing) year; tests never run at New Year's midnight


# --- files ------------------------------------------------------------------------------------


# --- people and pages -------------------------------------------------------------------------


def credit_code(base: str) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check character) from its first 17 characters."""
    return base + uscc.calc_check_digit(base)


def unit_with_member(name: str, *, phone: str, full_name: str):
    unit = OrganisationFactory(activated=True, name=name, credit_code=credit_code(f"91430100MA4L{phone[-5:]}"))
    return unit, applicant(unit, username=phone, full_name=full_name, email=f"{phone}@example.cn")


def hunan_official(**kwargs):
    return StaffFactory(profile__authority="mct", profile__level="province", profile__province="430000", **kwargs)


def flash(page):
    return page.locator(".portal-messages")


def admin_flash(page):
    return page.locator("ul.messagelist")


def log_in(page, account: str, password: str = "Demo2026portal"):
    page.goto(page.url_for("/accounts/login/"))
    page.get_by_label("账号", exact=True).fill(account)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("验证码", exact=True).fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def browser_as(new_page, account: str):
    """A fresh browser context logged in as ``account``; confirm() dialogs (提交, 撤回) are accepted."""
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, account)
    return page


def status_row(page, name: str):
    return page.get_by_test_id("status-row").filter(has_text=name)


def history_actions(page) -> list[str]:
    """The 操作 column of the applicant's 审核记录 table."""
    return page.locator("#history tbody tr td:nth-child(2)").all_inner_texts()


def saved(page, section: str):
    """The in-place 已保存。 note of one editor section (htmx answers with that section only)."""
    return page.locator(f"#section-{section} [data-saved]")


def submit_after_check(page):
    """核对信息 → the whole application read-only → 确认提交 (its confirm() accepted by browser_as)."""
    page.locator("#filing-form").get_by_role("button", name="核对信息", exact=True).click()
    expect(page.get_by_role("heading", name="核对信息", exact=True)).to_be_visible()
    page.get_by_role("button", name="确认提交", exact=True).click()


def step(page, label: str):
    return page.locator(".step-list .list-group-item").filter(has_text=label)


def open_in_staff(page, model: str, public_id: str):
    page.goto(page.url_for(f"/staff/filings/{model}/{public_id}/change/"))
    expect(page.get_by_role("heading", name="审核操作")).to_be_visible()


def staff_act(page, action: str, comment: str = ""):
    if comment:
        page.get_by_label("审核意见").fill(comment)
    page.locator("#content-main .buttons").get_by_role("button", name=action, exact=True).click()
    page.wait_for_load_state()
    confirm = page.get_by_test_id("confirm-button")  # decisions ask for confirmation first (issue 12)
    if confirm.count():
        confirm.click()


# --- 1. domestic filing ------------------------------------------------------------------------


def test_domestic_filing_from_empty_to_approved_certificate(new_page, shot, screenshot_dir, tmp_path):
    unit, member = unit_with_member("长沙星辰文化传媒有限公司", phone="13912340077", full_name="周星辰")
    official = hunan_official(full_name="湘审核")
    report_pdf = tmp_path / "自审报告.pdf"
    report_pdf.write_bytes(minimal_pdf())
    licence_png = tmp_path / "版权授权书.png"
    licence_png.write_bytes(png_bytes(32, 24))
    licence_pdf = tmp_path / "版权授权书附件.pdf"
    licence_pdf.write_bytes(minimal_pdf("licence"))

    page = browser_as(new_page, member.username)
    page.get_by_test_id("tile-activities").click()
    expect(page.get_by_role("heading", name="活动申请", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("营业性演出\\(内地\\)"))).to_be_disabled()
    page.get_by_role("link", name="国产网络演出剧(节)目备案").click()

    # 1 基本信息: the other sections wait for its first 保存.
    expect(page.get_by_role("heading", name="国产网络演出剧(节)目备案", level=1)).to_be_visible()
    expect(page.get_by_text("请先填写并保存基本信息。")).to_have_count(5)
    expect(step(page, "场次信息")).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#unit-name")).to_have_value("长沙星辰文化传媒有限公司")
    page.get_by_label("填报人").select_option(label="周星辰")
    page.get_by_label("业务负责人").select_option(label="周星辰")
    page.get_by_label("电子邮件").fill("zhou@xingchen.example.cn")
    page.locator("#section-basic").get_by_role("button", name="保存").click()
    expect(flash(page)).to_contain_text("基本信息已保存，请继续填写其他信息。")
    expect(page).to_have_url(re.compile(r"/filings/applications/[\w-]+/edit/#section-programme$"))
    expect(step(page, "基本信息")).to_have_class(re.compile(r"\bdone\b"))
    filing = Filing.objects.get(organisation=unit)
    assert f"/applications/{filing.public_id}/edit/" in page.url  # addressed by its random public id

    # 2 网络演出剧(节)目信息: 回看 → 期限类型 → 自/至 appear as they apply.
    programme = page.locator("#section-programme")
    programme.get_by_label("网络演出剧(节)目名称").fill("星辰之夜线上音乐会")
    programme.get_by_label("内容安全负责人").fill("李安全")
    programme.get_by_label("演出联系人(申报单位)").fill("王联系")
    page.check("#id_programme-first_recorded_1")  # 否
    programme.get_by_label("视频下载地址").fill("https://video.xingchen.example.cn/night.mp4")
    expect(programme.get_by_label("回看地址")).to_be_hidden()
    page.check("#id_programme-replay_0")  # 是
    expect(programme.get_by_label("回看地址")).to_be_visible()
    expect(page.locator("#id_programme-replay_from")).to_be_hidden()
    page.check("#id_programme-replay_type_0")  # 时间段
    page.fill("#id_programme-replay_from", f"{YEAR + 1}-01-01")
    page.fill("#id_programme-replay_to", f"{YEAR + 1}-03-31")
    programme.get_by_label("回看地址").fill("https://replay.xingchen.example.cn/night")
    programme.get_by_label("播出平台").fill("星辰视频")
    programme.get_by_label("演出内容简介").fill("湖南青年乐团的线上交响音乐会，共两个乐章。")
    programme.get_by_role("button", name="保存").click()
    expect(saved(page, "programme")).to_have_text("已保存。")
    expect(step(page, "网络演出剧(节)目信息")).to_have_class(re.compile(r"\bdone\b"))
    expect(page.locator("#id_programme-replay_to")).to_have_value(f"{YEAR + 1}-03-31")

    # 3 演员/团体: add two rows, edit one.
    page.fill("#id_performers-new-name", "湖南青年交响乐团")
    page.select_option("#id_performers-new-country", "CN")
    page.check("#id_performers-new-virtual_1")
    page.locator("#performers-new").get_by_role("button", name="新增").click()
    performers = page.locator("#section-performers tbody")
    expect(performers).to_contain_text("湖南青年交响乐团")
    page.fill("#id_performers-new-name", "虚拟歌手星星")
    page.select_option("#id_performers-new-country", "JP")
    page.check("#id_performers-new-virtual_0")
    page.locator("#performers-new").get_by_role("button", name="新增").click()
    expect(performers.locator("tr")).to_have_count(2)
    expect(performers.locator("tr").nth(1)).to_contain_text("日本")
    performers.locator("tr").nth(1).get_by_role("button", name="编辑").click()
    edit_row = page.locator("#section-performers tr.table-warning")
    edit_row.get_by_label("演员/团体名称").fill("虚拟歌手星辰")
    edit_row.get_by_role("button", name="保存").click()
    expect(performers.locator("tr").nth(1)).to_contain_text("虚拟歌手星辰")
    expect(performers.locator("tr").nth(1)).to_contain_text("是")

    # 4 场次信息
    page.fill("#id_sessions-new-name", "首场")
    page.select_option("#id_sessions-new-type", "live")
    page.fill("#id_sessions-new-starts_at", f"{YEAR + 1}-01-01T19:30")
    page.fill("#id_sessions-new-url", "https://live.xingchen.example.cn/1")
    page.locator("#sessions-new").get_by_role("button", name="新增").click()
    sessions = page.locator("#section-sessions tbody")
    expect(sessions).to_contain_text(f"{YEAR + 1}-01-01 19:30")
    expect(sessions).to_contain_text("直播")
    expect(page.locator("#deadline-note")).to_contain_text(f"本节目备案期限为 {YEAR + 1}-01-31")

    # 5 联合播出信息: 否
    page.check("#id_joint-joint_broadcast_1")
    page.locator("#section-partners").get_by_role("button", name="保存").click()
    expect(saved(page, "partners")).to_have_text("已保存。")
    for label in ("演员/团体信息", "场次信息", "联合播出信息"):
        expect(step(page, label)).to_have_class(re.compile(r"\bdone\b"))
    expect(step(page, "材料上传")).not_to_have_class(re.compile(r"\bdone\b"))
    shot(page, "filing-form-midway")

    # Bad input: 核对信息 without materials and pledge lists each problem at the top, linked to its field.
    page.locator("#filing-form").get_by_role("button", name="核对信息", exact=True).click()
    expect(page.get_by_role("heading", name="核对信息", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="确认提交")).to_have_count(0)
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert summary.locator("li").all_inner_texts() == [
        "演出获得版权授权证明：请上传此项材料。",
        "自审报告：请上传此项材料。",
        "承诺书：请阅读承诺书并勾选“确认以上承诺”。",
    ]
    expect(summary.get_by_role("link", name="自审报告：请上传此项材料。")).to_have_attribute(
        "href", re.compile(r"/edit/\?problems=1#material-self_review$")
    )
    expect(summary.get_by_role("link", name=re.compile("^承诺书"))).to_have_attribute(
        "href", re.compile(r"#id_pledge-pledged$")
    )
    shot(page, "problem-list")
    # The link leads back into the editor, with the problems next to the fields and what was typed kept.
    summary.get_by_role("link", name="演出获得版权授权证明：请上传此项材料。").click()
    expect(page).to_have_url(re.compile(r"#material-copyright$"))
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#material-copyright-error")).to_have_text("请上传此项材料。")
    expect(page.locator("#material-self_review-error")).to_have_text("请上传此项材料。")
    expect(page.locator("#id_pledge-pledged-error")).to_have_text("请阅读承诺书并勾选“确认以上承诺”。")
    expect(page.locator("#id_programme-name")).to_have_value("星辰之夜线上音乐会")
    filing.refresh_from_db()
    assert (filing.state, filing.reference) == (FilingState.DRAFT, "")

    # 6 材料上传: a PDF for 自审报告, a PNG and a PDF for 版权授权证明, in one upload.
    page.set_input_files("#id_material-self_review", str(report_pdf))
    page.set_input_files("#id_material-copyright", [str(licence_png), str(licence_pdf)])
    page.locator("#material-self_review").get_by_role("button", name="点击上传").click()
    expect(saved(page, "materials")).to_have_text("已保存。")
    expect(page.locator("#material-self_review").get_by_role("link")).to_have_text(["自审报告.pdf"])
    expect(page.locator("#material-copyright").get_by_role("link")).to_have_text(
        ["版权授权书.png", "版权授权书附件.pdf"]
    )
    expect(step(page, "材料上传")).to_have_class(re.compile(r"\bdone\b"))

    # 承诺书 → 提交 → 受理状态 shows 待受理 with the WY-湘-… reference.
    page.get_by_label("确认以上承诺").check()
    submit_after_check(page)
    expect(page).to_have_url(page.url_for("/filings/status/"))
    reference = f"WY-湘-{YEAR}-000001"
    expect(flash(page)).to_contain_text(f"提交成功，受理编号 {reference}。")
    row = status_row(page, "星辰之夜线上音乐会")
    expect(row).to_contain_text(reference)
    expect(row).to_contain_text("国产网络演出剧(节)目备案")
    expect(row.locator(".badge")).to_have_text("待受理")
    expect(row.get_by_role("link", name="修改")).to_have_count(0)

    # 撤回 (its confirmation page) → 草稿 (the reference stays; 作废, not 删除) → 修改 → 提交 again.
    row.get_by_role("link", name="撤回").click()
    expect(page.get_by_test_id("confirm-summary")).to_contain_text(reference)
    page.get_by_role("button", name="确认撤回").click()
    expect(flash(page)).to_contain_text("已撤回，申请已回到草稿状态，可修改后重新提交。")
    expect(row.locator(".badge")).to_have_text("草稿")
    expect(row).to_contain_text(reference)
    expect(row.get_by_role("link", name="删除")).to_have_count(0)
    expect(row.get_by_role("link", name="作废")).to_have_count(1)
    row.get_by_role("link", name="修改").click()
    expect(page.locator("#id_programme-name")).to_have_value("星辰之夜线上音乐会")
    submit_after_check(page)
    expect(flash(page)).to_contain_text(f"提交成功，受理编号 {reference}。")
    expect(row.locator(".badge")).to_have_text("待受理")

    # The 湖南 official: /staff/ → 待受理 → open → 受理 → 通过.
    staff = browser_as(new_page, official.username)
    staff.goto(staff.url_for("/staff/"))
    queue = staff.get_by_test_id("queue-card").filter(has_text="网络演出剧(节)目申请").first
    queue.locator("a[data-queue=pending]").click()
    expect(staff.locator("#result_list")).to_contain_text("长沙星辰文化传媒有限公司")
    staff.locator("#result_list").get_by_role("link", name=reference).click()
    expect(staff.get_by_test_id("review-state")).to_have_text("待受理")
    expect(staff.locator("#review-files + ul")).to_contain_text("自审报告：自审报告.pdf")
    expect(staff.locator("#content-main .buttons button")).to_have_text(["受理"])
    staff_act(staff, "受理")
    expect(admin_flash(staff)).to_contain_text("已受理")
    expect(staff.get_by_test_id("review-state")).to_have_text("审核中")
    expect(staff.locator("#content-main .buttons button")).to_have_text(["通过", "不通过", "退回修改"])
    shot(staff, "admin-detail-actions")
    staff_act(staff, "通过")
    expect(admin_flash(staff)).to_contain_text("已通过")
    expect(staff.get_by_test_id("review-state")).to_have_text("已通过")
    expect(staff.get_by_text("当前状态下没有您可以执行的审核操作。")).to_be_visible()

    # Back as the unit: 已通过 (one word per state on every page) with the whole 审核记录.
    page.goto(page.url_for("/filings/status/"))
    expect(row.locator(".badge")).to_have_text("已通过")
    row.get_by_role("link", name="查看", exact=True).click()
    expect(page.get_by_test_id("state")).to_have_text("已通过")
    expect(page.locator("#history tbody tr").last).to_contain_text("已通过")
    assert history_actions(page) == ["已提交", "已撤回", "已提交", "已受理", "审核通过"]
    expect(page.locator("#history tbody tr").nth(3)).to_contain_text("审核部门")
    expect(page.locator("#history tbody tr").first).to_contain_text("周星辰")

    # 网络演出剧(节)目管理 lists the programme; 证照查看 shows the certificate.
    page.goto(page.url_for("/filings/"))
    page.get_by_role("link", name="网络演出剧（节）目管理").click()
    programme_row = page.get_by_test_id("programme-row").filter(has_text="星辰之夜线上音乐会")
    expect(programme_row).to_contain_text(reference)
    expect(programme_row).to_contain_text("星辰视频")
    programme_row.get_by_role("link", name="证照查看").click()
    number = f"网演备〔{YEAR}〕湘字第000001号"
    expect(page.get_by_role("heading", name="星辰之夜线上音乐会")).to_be_visible()
    expect(page.get_by_test_id("certificate-status")).to_have_text("有效")
    table = page.locator("table").first
    for text in (number, "长沙星辰文化传媒有限公司", reference, HUNAN_DEPT, "/verify/"):
        expect(table).to_contain_text(text)
    shot(page, "certificate-page")
    with page.expect_download() as info:
        page.get_by_test_id("download-pdf").click()
    download = info.value
    assert download.suggested_filename == f"{number}.pdf"
    pdf_path = tmp_path / "certificate.pdf"
    download.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    # The printed QR code leads to the same public verify page as the 核验地址 shown on the page.
    verify_url = table.get_by_role("link").get_attribute("href")
    assert re.fullmatch(r"https?://[^/]+/verify/[\w-]{16,}/", verify_url), verify_url
    if shutil.which("pdftoppm") and shutil.which("zbarimg"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "150",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf_path),
                str(tmp_path / "page"),
            ],
            check=True,
        )
        decoded = subprocess.run(
            ["zbarimg", "-q", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True, check=True
        ).stdout.strip()
        assert decoded == verify_url
    if screenshot_dir:
        out = os.path.join(screenshot_dir, "certificate-pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf_path), out], check=True)


# --- 2. import review returned and resubmitted ------------------------------------------------


def test_import_review_returned_with_comment_and_resubmitted(new_page, shot, tmp_path):
    unit, member = unit_with_member("湘江国际演艺有限公司", phone="13912340088", full_name="陈国际")
    official = hunan_official(full_name="湘审核二")
    filing = make_filing(
        organisation=unit,
        by=member,
        kind=FilingKind.IMPORT,
        state=FilingState.SUBMITTED,
        name="维也纳之声线上音乐会",
        platform="湘江视频",
    )
    reference = filing.reference
    assert reference.startswith(f"JK-湘-{YEAR}-")

    staff = browser_as(new_page, official.username)
    staff.goto(staff.url_for("/staff/filings/filing/?queue=pending"))
    staff.locator("#result_list").get_by_role("link", name=reference).click()
    expect(staff.get_by_test_id("review-state")).to_have_text("待受理")
    expect(staff.locator("#content-main")).to_contain_text("进口网络演出剧(节)目内容审查")
    staff_act(staff, "受理")
    expect(staff.get_by_test_id("review-state")).to_have_text("审核中")
    # 退回修改 needs a comment: refused without one, with the typed nothing kept and a Chinese message.
    staff_act(staff, "退回修改")
    expect(staff.locator("#comment-errors")).to_have_text("请填写意见（退回修改时必须说明理由）。")
    expect(staff.get_by_label("审核意见")).to_have_attribute("aria-invalid", "true")
    expect(staff.get_by_test_id("review-state")).to_have_text("审核中")
    comment = "请补充版权授权证明的中文译本。"
    staff_act(staff, "退回修改", comment)
    expect(admin_flash(staff)).to_contain_text("已退回修改")
    expect(staff.get_by_test_id("review-state")).to_have_text("退回修改")
    expect(staff.get_by_test_id("review-records")).to_contain_text(comment)

    page = browser_as(new_page, member.username)
    page.goto(page.url_for("/filings/status/"))
    row = status_row(page, "维也纳之声线上音乐会")
    expect(row.locator(".badge")).to_have_text("退回修改")
    expect(row).to_contain_text("进口网络演出剧(节)目内容审查")
    row.get_by_role("link", name="修改").click()
    expect(page.get_by_role("status").filter(has_text="退回修改意见")).to_contain_text(comment)
    # The import form keeps its own seed labels.
    basic = page.locator("#section-basic")
    expect(basic.get_by_label("申请人")).to_be_visible()
    expect(basic.get_by_label("电子邮箱")).to_be_visible()
    expect(basic.get_by_text("填报人")).to_have_count(0)
    shot(page, "import-returned-edit")
    page.locator("#section-programme").get_by_label("播出平台").fill("湘江视频国际版")
    translation = tmp_path / "版权授权证明中文译本.png"
    translation.write_bytes(png_bytes(20, 20))
    page.set_input_files("#id_material-copyright", str(translation))
    page.get_by_label("确认以上承诺").check()
    submit_after_check(page)
    expect(flash(page)).to_contain_text(f"提交成功，受理编号 {reference}。")
    expect(row.locator(".badge")).to_have_text("待受理")

    row.get_by_role("link", name="查看", exact=True).click()
    assert history_actions(page) == ["已提交", "已受理", "退回修改", "已提交"]
    expect(page.locator("#history tbody tr").nth(2)).to_contain_text(comment)
    expect(page.locator("#section-programme")).to_contain_text("湘江视频国际版")
    expect(page.locator("#material-copyright")).to_contain_text("版权授权证明中文译本.png")

    # The official sees the resubmission with the whole history and the new file.
    staff.reload()
    expect(staff.get_by_test_id("review-state")).to_have_text("待受理")
    expect(staff.get_by_test_id("review-records").locator("tbody tr")).to_have_count(4)
    expect(staff.locator("#review-files + ul")).to_contain_text("版权授权证明中文译本.png")


# --- 3. change request ---------------------------------------------------------------------------


def test_change_request_approved_shows_new_data_and_on_verify_page(new_page, shot):
    unit, member = unit_with_member("株洲光影文化有限公司", phone="13912340099", full_name="刘光影")
    official = hunan_official(full_name="湘审核三")
    filing = make_filing(
        organisation=unit, by=member, state=FilingState.APPROVED, name="光影戏剧节", platform="光影视频"
    )
    certificate = Certificate.objects.get(organisation=unit)
    verify_path = f"/verify/{certificate.token}/"

    public = new_page()
    public.goto(public.url_for(verify_path))
    expect(public.get_by_test_id("programme-data")).to_contain_text("光影戏剧节")

    page = browser_as(new_page, member.username)
    page.goto(page.url_for("/filings/programmes/"))
    programme_row = page.get_by_test_id("programme-row").filter(has_text="光影戏剧节")
    programme_row.get_by_role("link", name="变更", exact=True).click()
    expect(page.get_by_role("heading", name="网络演出剧(节)目变更")).to_be_visible()
    page.get_by_role("button", name="开始变更").click()
    expect(page.locator("#error-summary")).to_be_visible()  # nothing ticked
    page.get_by_label("变更网络演出剧(节)目信息").check()
    page.get_by_role("button", name="开始变更").click()
    expect(flash(page)).to_contain_text("请修改勾选的变更项")
    expect(page.locator("#id_basic-email")).to_have_count(0)  # only the ticked part is editable
    programme = page.locator("#section-programme")
    programme.get_by_label("网络演出剧(节)目名称").fill("光影戏剧节（第二季）")
    programme.get_by_label("播出平台").fill("光影视频国际版")
    page.get_by_label("确认以上承诺").check()
    submit_after_check(page)
    # the change's own reference, tied to the programme's
    expect(flash(page)).to_contain_text(f"提交成功，受理编号 {filing.reference}-BG01。")
    change_row = status_row(page, "光影戏剧节（第二季）")
    expect(change_row).to_contain_text(f"{filing.reference}-BG01")
    expect(change_row).to_contain_text("演出变更（国产网络演出剧(节)目备案）")
    expect(change_row.locator(".badge")).to_have_text("待受理")

    # Until approved, the programme shows its current data.
    page.goto(page.url_for(f"/filings/programmes/{filing.public_id}/"))
    expect(page.get_by_role("heading", name="光影戏剧节", exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("该节目有一项变更申请（待受理）")
    expect(page.locator("#section-programme")).to_contain_text("光影视频")
    expect(page.locator("#section-programme")).not_to_contain_text("光影视频国际版")

    # The official sees old → new and approves.
    staff = browser_as(new_page, official.username)
    staff.goto(staff.url_for("/staff/filings/changerequest/?queue=pending"))
    staff.locator("#result_list").get_by_role("link", name=f"{filing.reference}-BG01").click()
    diff = staff.get_by_test_id("change-diff")
    name_row = diff.locator("tr").filter(has=staff.locator("th", has_text=re.compile(r"^网络演出剧\(节\)目名称$")))
    expect(name_row.locator("td.old")).to_have_text("光影戏剧节")
    expect(name_row.locator("td.new")).to_have_text("光影戏剧节（第二季）")
    platform_row = diff.locator("tr").filter(has=staff.locator("th", has_text=re.compile(r"^播出平台$")))
    expect(platform_row.locator("td.old")).to_have_text("光影视频")
    expect(platform_row.locator("td.new")).to_have_text("光影视频国际版")
    expect(staff.get_by_test_id("change-detail")).to_contain_text("变更网络演出剧(节)目信息")
    shot(staff, "admin-change-diff")
    staff_act(staff, "受理")
    expect(staff.get_by_test_id("review-state")).to_have_text("审核中")
    staff_act(staff, "通过")
    expect(staff.get_by_test_id("review-state")).to_have_text("已通过")

    # The unit sees the new data.
    page.goto(page.url_for("/filings/programmes/"))
    programme_row = page.get_by_test_id("programme-row").filter(has_text=filing.reference)
    expect(programme_row.locator("td").nth(2)).to_have_text("光影戏剧节（第二季）")
    expect(programme_row.locator("td").nth(4)).to_have_text("光影视频国际版")
    programme_row.get_by_role("link", name="查看", exact=True).click()
    expect(page.get_by_role("heading", name="光影戏剧节（第二季）")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)
    expect(page.locator("#section-programme")).to_contain_text("光影视频国际版")

    # The public verify page shows the new data at once (certificate itself is not reissued).
    public.reload()
    data = public.get_by_test_id("programme-data")
    expect(data).to_contain_text("光影戏剧节（第二季）")
    expect(data).to_contain_text("光影视频国际版")
    expect(public.get_by_test_id("verify-status")).to_contain_text("有效")
    expect(public.get_by_test_id("certificate-data")).to_contain_text(certificate.number)
    shot(public, "verify-page")
