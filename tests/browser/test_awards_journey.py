"""A quarter of 网络视听节目季度推优 end to end in a real browser (headless Chromium), in Chinese.

One work goes the whole way (SPEC §D, issue 8 "Demo data and browser tests"):

1. an NRTA institution opens 项目申报 → 项目详情, downloads the 版权承诺书 template
   (a PDF arrives), opens 立刻申报, fills the 登记表 with a 播出完毕日期 after the
   quarter's window: 申报 shows the message next to the field and at the top and
   keeps what was typed; fixed, 申报 → 查看 and 我的申报 (待审核, 待初审);
2. the 湖南 official recommends it on /staff/ (已推荐 9/10 → 10/10) and a further
   推荐 in the province is refused with a message naming the quota;
3. the round closes at the provincial deadline (the ``close_rounds`` job after
   the project's deadline is moved into the past): 专家评议 as 系统;
4. an expert assigned to the quarter declares no conflict and scores it (two
   other experts' scores are fixture data, so the quorum of 3 is met);
5. NRTA staff mark it 入选 on the ranking page (the rest 未入选), open 公示;
   an anonymous visitor objects (captcha in test mode), staff dispose of it
   (不予采纳), and — the 公示's dates moved into the past — publish;
6. the public results page lists it, the applicant's 证照查看 has the 推优证书 and
   /verify/<token>/ shows it valid in NRTA wording (作品名称);
7. the same pages at 390 px wide do not scroll sideways.

The quarter is the one taking nominations today (``calendar.applicant_quarter``),
so the project is open without moving the clock. Screenshots go to $PORTAL_SCREENSHOTS.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from awards import calendar
from awards.enums import NominationState, ProjectKind
from awards.models import Nomination, Project, Publicity, QuotaLedger
from review.models import Certificate
from tests.awards.factories import (
    InstitutionFactory,
    PlatformFactory,
    ProjectFactory,
    applicant,
    nrta_ministry,
    nrta_official,
)
from tests.awards.factories_experts import assign, nrta_expert, scored_by_panel
from tests.awards.factories_review import recommend, submitted_many
from tests.browser import files

pytestmark = pytest.mark.django_db(transaction=True)

WORK = "湘水长歌"
UNIT = "湘韵网络视听传媒有限公司"
HUNAN_BUREAU = "湖南省广播电视局"
PHONE_WIDTH = 390


# --- files and people -------------------------------------------------------------------------


def minimal_pdf(text: str = "copyright pledge") -> bytes:
    """A small but complete one-page PDF (what a scanned, signed 版权承诺书 is to the checks)."""
    return files.minimal_pdf(text)


def log_in(page, account: str, password: str = "Demo2026portal"):
    page.goto(page.url_for("/accounts/login/"))
    page.get_by_label("账号", exact=True).fill(account)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("验证码", exact=True).fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def browser_as(new_page, account: str | None, **options):
    """A fresh browser context (logged in as ``account`` unless None); confirm() dialogs are accepted."""
    page = new_page(**options)
    page.on("dialog", lambda dialog: dialog.accept())
    if account:
        log_in(page, account)
    return page


def flash(page):
    return page.locator(".portal-messages")


def admin_flash(page):
    return page.locator("ul.messagelist")


def staff_act(page, action: str):
    page.locator("#content-main .buttons").get_by_role("button", name=action, exact=True).click()
    page.wait_for_load_state()
    confirm = page.get_by_test_id("confirm-button")  # decisions ask for confirmation first (issue 12)
    if confirm.count():
        confirm.click()


def no_sideways_scroll(page) -> int:
    """The document's width at the page's viewport (≤ the viewport: nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth")


def too_wide(new_page, shot, account: str | None, pages: dict[str, str], *, role: str) -> dict[str, int]:
    """Open ``pages`` ({name: path}) 390 px wide as ``account`` (None: anonymous); those wider than the screen.

    Screenshots: ``awards-390-<role>-<name>.png``.
    """
    phone = browser_as(new_page, account, viewport={"width": PHONE_WIDTH, "height": 844})
    wide = {}
    for name, path in pages.items():
        phone.goto(phone.url_for(path))
        width = no_sideways_scroll(phone)
        if width > PHONE_WIDTH:
            wide[name] = width
        shot(phone, f"awards-390-{role}-{name}")
    phone.context.close()
    return wide


def day(value) -> str:
    return value.isoformat()


# --- the quarter and its fixture data ---------------------------------------------------------


@pytest.fixture
def quarter(db):
    """Today's quarter (taking nominations), its 机构类 project, the 湖南 official, NRTA staff and an expert.

    Fixture data: nine other 湖南 works already recommended (已推荐 9/10) and a tenth 待初审.
    """
    today = calendar.beijing_date(timezone.now())
    year, number = calendar.applicant_quarter(today)
    project = ProjectFactory(year=year, quarter=number, kind=ProjectKind.INSTITUTION)
    PlatformFactory(name="芒果TV")
    official = nrta_official("430000", full_name="湖南广电审核员")
    others = submitted_many(project, 10, province="430000")
    for work in others[:9]:
        recommend(work, official)
    expert = nrta_expert(full_name="评审专家甲")
    assign(expert, year=year, quarter=number, organisation_name="中国传媒大学")
    unit = InstitutionFactory(name=UNIT, province="430000")
    return {
        "today": today,
        "year": year,
        "quarter": number,
        "project": project,
        "official": official,
        "ministry": nrta_ministry(full_name="广电总局工作人员"),
        "expert": expert,
        "member": applicant(unit, full_name="贺湘云"),
        "waiting": others[9],
    }


# --- the journey ---------------------------------------------------------------------------------


def test_a_quarter_from_nomination_to_verified_certificate(new_page, quarter, shot, tmp_path):
    q = quarter
    year, number, project = q["year"], q["quarter"], q["project"]
    label = f"{year}年第{number}季度"
    pledge = tmp_path / "版权承诺书（签字盖章）.pdf"
    pledge.write_bytes(minimal_pdf())

    # 1. The institution: home → 项目申报 → 项目详情 → the pledge template → 立刻申报.
    page = browser_as(new_page, q["member"].username)
    page.get_by_test_id("tile-nrta").get_by_role("link", name="项目申报", exact=True).click()
    expect(page.get_by_role("heading", name="项目申报", exact=True)).to_be_visible()
    page.get_by_test_id("project").filter(has_text=project.title).get_by_role("link", name="查看详情").click()
    expect(page.get_by_role("heading", name=project.title)).to_be_visible()
    for heading in ("项目类型", "申报时间", "附件信息", "项目详情"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_test_id("criteria").locator("li")).to_have_count(8)
    with page.expect_download() as info:
        page.get_by_test_id("pledge-template").click()
    template = tmp_path / "template.pdf"
    info.value.save_as(template)
    assert info.value.suggested_filename.endswith(".pdf"), info.value.suggested_filename
    assert template.read_bytes().startswith(b"%PDF")
    shot(page, "awards-project-detail")
    page.get_by_role("link", name="立刻申报").click()
    expect(page.get_by_role("heading", name="网络视听节目季度推优参评作品登记表")).to_be_visible()

    # The 登记表, with a 播出完毕日期 one day after the quarter's window.
    first = project.window_start + timedelta(days=3)
    page.locator("#id_bureau-picker").click()
    page.get_by_role("searchbox", name="检索").fill("湖南")
    page.get_by_label(HUNAN_BUREAU, exact=True).check()
    page.get_by_role("button", name="确定", exact=True).click()
    expect(page.locator("#id_bureau-picker")).to_have_text(HUNAN_BUREAU)
    page.get_by_label("作品名称").fill(WORK)
    page.get_by_label("网络纪录片", exact=True).check()
    page.get_by_label("集数").fill("8")
    page.get_by_label("单集时长(分钟)").fill("45")
    page.get_by_label("总时长(分钟)").fill("360")
    page.get_by_label("首播日期").fill(day(first))
    page.get_by_label("播出完毕日期").fill(day(project.window_end + timedelta(days=1)))
    page.get_by_label("播出平台").select_option(label="芒果TV")
    page.get_by_label("版权所属机构(个人)").fill(UNIT)
    page.get_by_label("出品机构").fill(UNIT)
    page.get_by_label("制作机构").fill("湘韵影像制作中心")
    page.set_input_files("#id_pledge", str(pledge))
    page.get_by_test_id("submit").click()

    window = f"{day(project.window_start)} 至 {day(project.window_end)}"
    message = f"参评作品须在推荐季度时间范围内播出完毕（{window}）。"
    expect(page.locator("#error-summary li")).to_have_text([f"播出完毕日期：{message}"])
    expect(page.locator("#id_broadcast_end-error")).to_have_text(message)
    expect(page.locator("#id_broadcast_end")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("作品名称")).to_have_value(WORK)
    expect(page.get_by_label("总时长(分钟)")).to_have_value("360")
    expect(page.get_by_label("播出完毕日期")).to_have_value(day(project.window_end + timedelta(days=1)))
    expect(page.locator("#id_bureau")).to_have_value("430000")
    expect(page.get_by_test_id("pledge-current")).to_contain_text("版权承诺书（签字盖章）.pdf")
    shot(page, "awards-form-refused")
    nomination = Nomination.objects.get(name=WORK)
    assert (nomination.state, nomination.reference) == (NominationState.DRAFT, "")
    phone_pages = {
        "home": "/",
        "projects": "/awards/",
        "project": f"/awards/projects/{project.public_id}/",
        "form": f"/awards/nominations/{nomination.public_id}/edit/",
    }
    assert too_wide(new_page, shot, q["member"].username, phone_pages, role="institution") == {}

    end = first + timedelta(days=30)
    page.get_by_label("播出完毕日期").fill(day(end))
    page.get_by_test_id("submit").click()
    reference = f"TY-湘-{year}Q{number}-0011"  # the fixture's ten 湖南 works came first
    expect(flash(page)).to_contain_text(f"申报成功，申报编号 {reference}。")
    expect(page.get_by_test_id("state")).to_have_text("待初审")
    expect(page.get_by_test_id("nomination-fields")).to_contain_text(day(end))
    page.get_by_role("link", name="关闭").click()
    page.get_by_test_id("tab-pending").click()
    row = page.get_by_test_id("mine-row").filter(has_text=WORK)
    expect(row).to_contain_text(reference)
    expect(row.get_by_test_id("state")).to_have_text("待初审")
    expect(row.get_by_role("link", name="编辑")).to_have_count(0)
    expect(row.get_by_role("link", name="查看")).to_be_visible()

    # 2. The 湖南 official: 已推荐 9/10 → 推荐 → 10/10; the province's next 推荐 is refused.
    staff = browser_as(new_page, q["official"].username)
    staff.goto(staff.url_for("/staff/"))
    card = staff.get_by_test_id("queue-card").filter(has_text="参评作品")
    expect(card.get_by_test_id("quota-counter")).to_have_text(f"{label} 已推荐 9/10")
    card.locator("a[data-queue=pending]").click()
    expect(staff.get_by_test_id("quota-counter")).to_have_text("已推荐 9/10")
    staff.locator("#result_list").get_by_role("link", name=reference).click()
    expect(staff.get_by_test_id("review-state")).to_have_text("待初审")
    expect(staff.locator("#content-main")).to_contain_text(WORK)
    expect(staff.locator("#content-main .buttons button")).to_have_text(["推荐", "不推荐", "退回修改"])
    staff_act(staff, "推荐")
    expect(admin_flash(staff)).to_contain_text("已推荐")
    expect(staff.get_by_test_id("review-state")).to_have_text("已推荐")
    assert QuotaLedger.objects.get(year=year, quarter=number, province="430000").used == 10

    waiting = q["waiting"]
    staff.goto(staff.url_for(f"/staff/awards/nomination/{waiting.public_id}/change/"))
    expect(staff.get_by_test_id("quota-counter")).to_have_text("已推荐 10/10")
    staff_act(staff, "推荐")
    expect(admin_flash(staff)).to_contain_text(
        f"湖南省{year}年第{number}季度的推荐名额已用完（已推荐 10/10），不能再推荐。"
    )
    expect(staff.get_by_test_id("review-state")).to_have_text("待初审")
    shot(staff, "awards-quota-refused")
    phone_pages = {
        "staff": "/staff/",
        "queue": "/staff/awards/nomination/?queue=pending",
        "detail": f"/staff/awards/nomination/{waiting.public_id}/change/",
    }
    assert too_wide(new_page, shot, q["official"].username, phone_pages, role="official") == {}

    # 3. The provincial deadline passes (moved into the past) and the round closes as 系统.
    yesterday = q["today"] - timedelta(days=1)
    Project.objects.filter(pk=project.pk).update(applicant_deadline=yesterday, provincial_deadline=yesterday)
    call_command("close_rounds", verbosity=0)
    nomination.refresh_from_db()
    waiting.refresh_from_db()
    assert (nomination.state, waiting.state) == (NominationState.IN_EXPERT_REVIEW, NominationState.CLOSED)

    # 4. The expert: 评审任务 → 评议 → no conflict → score. Two colleagues scored already.
    scored_by_panel(nomination, [86, 90], year=year, quarter=number)
    expert = browser_as(new_page, q["expert"].username)
    expert.get_by_test_id("tile-expert").get_by_role("link", name="评审任务").click()
    task = expert.locator("tr").filter(has_text=WORK)
    expect(task).to_contain_text("待声明利益冲突")
    task.get_by_role("link", name="评议").click()
    expect(expert.get_by_role("heading", name=WORK)).to_be_visible()
    expect(expert.get_by_test_id("score-locked")).to_be_visible()
    expect(expert.get_by_test_id("peers-hidden")).to_be_visible()
    expert.get_by_label("本人与该作品不存在利益冲突").check()
    expert.get_by_role("button", name="提交声明").click()
    expect(flash(expert)).to_contain_text("已声明无利益冲突，请为该作品评分。")
    expect(expert.get_by_test_id("declared")).to_contain_text("本人与该作品不存在利益冲突")
    expert.get_by_label("评分（0-100）").fill("94")
    expert.get_by_test_id("score-form").locator("input[type=checkbox]").nth(1).check()
    expert.get_by_test_id("score-form").locator("input[type=checkbox]").nth(5).check()
    expert.get_by_label("评语").fill("以湘江儿女的奋斗为线索，主题鲜明，制作精良。")
    expert.get_by_role("button", name="保存评分").click()
    expect(expert.get_by_test_id("own-score")).to_contain_text("94")
    expect(expert.get_by_test_id("peers")).to_have_text("目前共 3 位专家评分，平均分 90.00。")
    shot(expert, "awards-expert-scored")
    phone_pages = {
        "tasks": "/awards/expert/",
        "work": f"/awards/expert/works/{nomination.public_id}/",
    }
    assert too_wide(new_page, shot, q["expert"].username, phone_pages, role="expert") == {}

    # 5. NRTA staff: the ranking → 入选 (and the rest 未入选) → 发起公示.
    ministry = browser_as(new_page, q["ministry"].username)
    ministry.goto(ministry.url_for("/staff/"))
    ministry.get_by_test_id("queue-card").filter(has_text="专家评议排名").get_by_role("link").first.click()
    expect(ministry.get_by_test_id("ranking-summary")).to_contain_text(f"{year}年第{number}季度共 10 件作品")
    ours = ministry.get_by_test_id("ranking-row").filter(has_text=WORK)
    expect(ours.get_by_test_id("position")).to_have_text("1")
    expect(ours.get_by_test_id("count")).to_have_text("3")
    expect(ours.get_by_test_id("mean")).to_have_text("90.00")
    ours.get_by_role("checkbox").check()
    ministry.locator("#id_decision").select_option(label="入选")
    ministry.get_by_role("button", name="下一步：确认").click()
    expect(ministry.get_by_test_id("decide-row")).to_have_count(1)
    expect(ministry.get_by_test_id("decide-row")).to_contain_text(WORK)
    ministry.get_by_role("button", name="确认入选").click()
    expect(admin_flash(ministry)).to_contain_text("已将 1 件作品标记为入选。")
    ministry.locator("#id_decision").select_option(label="未入选")
    ministry.get_by_label("其余所有专家评议中的作品").check()
    ministry.get_by_role("button", name="下一步：确认").click()
    expect(ministry.get_by_test_id("decide-row")).to_have_count(9)
    ministry.get_by_role("button", name="确认未入选").click()
    expect(admin_flash(ministry)).to_contain_text("已将 9 件作品标记为未入选。")
    shot(ministry, "awards-ranking-decided")

    ministry.goto(ministry.url_for("/staff/awards/publicity/add/"))
    expect(ministry.locator("#id_year")).to_have_value(str(year))
    expect(ministry.locator("#id_starts_on")).to_have_value(day(q["today"]))
    ministry.get_by_test_id("open-next").click()
    expect(ministry.get_by_test_id("confirm-text")).to_contain_text("以下 1 件入选作品")
    expect(ministry.locator("#content-main")).to_contain_text(WORK)
    ministry.get_by_test_id("confirm-open").click()
    expect(admin_flash(ministry)).to_contain_text(f"已发起{label}公示")
    expect(ministry.get_by_test_id("publicity-state")).to_have_text("公示中")
    publicity_admin_url = ministry.url

    # An anonymous visitor: 推优结果公布 → the 公示 → an objection (the captcha in test mode).
    visitor = browser_as(new_page, None)
    visitor.goto(visitor.url_for("/"))
    visitor.get_by_role("link", name="推优结果公布").click()
    visitor.get_by_test_id("current-publicity").get_by_role("link").click()
    expect(visitor.get_by_test_id("publicity-state")).to_have_text("公示中")
    expect(visitor.get_by_test_id("works-institution")).to_contain_text(WORK)
    form = visitor.get_by_test_id("objection-form")
    form.get_by_label("异议作品").select_option(label=f"{WORK}（网络纪录片）")
    form.get_by_label("联系人").fill("王建国")
    form.get_by_label("联系电话").fill("13812345678")
    form.get_by_label("异议理由").fill("该作品的首播平台与登记表不符，请核实。")
    form.get_by_label("图形验证码").fill("PASSED")
    form.get_by_test_id("objection-submit").click()
    expect(flash(visitor)).to_contain_text("您的异议已提交")
    shot(visitor, "awards-publicity-objection")

    # Staff dispose of it (不予采纳); 公布 waits for the end of the 公示.
    ministry.goto(publicity_admin_url)
    objections = ministry.get_by_test_id("objections")
    expect(objections).to_contain_text("王*")
    expect(objections).to_contain_text("待处理")
    objections.get_by_role("link", name="处理").click()
    expect(ministry.get_by_test_id("objection")).to_contain_text("13812345678")
    ministry.get_by_label("不予采纳").check()
    ministry.get_by_label("处理意见").fill("经核实，该作品首播平台与登记表一致，异议不成立。")
    ministry.get_by_test_id("dispose").click()
    expect(admin_flash(ministry)).to_contain_text("异议已处理。")
    expect(ministry.get_by_test_id("objections")).to_contain_text("不予采纳")
    expect(ministry.get_by_test_id("publish-blocker")).to_contain_text("公示期结束后才能公布")

    Publicity.objects.filter(year=year, quarter=number).update(
        starts_on=q["today"] - timedelta(days=6), ends_on=yesterday
    )
    ministry.reload()
    ministry.get_by_test_id("publish-link").click()
    expect(ministry.get_by_test_id("confirm-text")).to_contain_text("以下 1 件作品")
    ministry.get_by_test_id("confirm-publish").click()
    expect(admin_flash(ministry)).to_contain_text(f"已公布{label}推优结果，共 1 件作品")
    expect(ministry.get_by_test_id("publicity-state")).to_have_text("已公布")

    # 6. The public list, the applicant's certificate, and its verify page in NRTA wording.
    visitor.goto(visitor.url_for("/awards/results/"))
    visitor.get_by_test_id("published-quarters").get_by_role("link").first.click()
    expect(visitor).to_have_url(visitor.url_for(f"/awards/results/{year}/{number}/"))
    listed = visitor.get_by_test_id("works-institution").locator("tbody tr")
    expect(listed).to_have_count(1)
    for text in (WORK, "网络纪录片", "芒果TV", UNIT, HUNAN_BUREAU):
        expect(listed).to_contain_text(text)
    shot(visitor, "awards-results")

    page.goto(page.url_for("/awards/mine/?tab=reviewed"))
    expect(page.get_by_test_id("mine-row").filter(has_text=WORK).get_by_test_id("state")).to_have_text("已公布")
    certificate = Certificate.objects.get(object_id=nomination.pk, kind="awards.institution")
    number_text = f"视听推优〔{year}〕第{number}季度第001号"
    assert certificate.number == number_text
    page.goto(page.url_for("/"))
    page.get_by_test_id("tile-nrta").get_by_role("link", name="证照查看").click()
    page.get_by_test_id("certificate-list").get_by_role("link", name="证照查看").click()
    expect(page.get_by_role("heading", name=WORK)).to_be_visible()
    href = page.locator("main a[href*='/verify/']").get_attribute("href")
    assert href.endswith(f"/verify/{certificate.token}/"), href

    visitor.goto(visitor.url_for(f"/verify/{certificate.token}/"))
    expect(visitor.get_by_test_id("verify-status")).to_contain_text("有效")
    data = visitor.get_by_test_id("certificate-data")
    for text in (number_text, "网络视听节目季度推优", UNIT, reference, "国家广播电视总局"):
        expect(data).to_contain_text(text)
    expect(visitor.get_by_role("heading", name="作品推优信息")).to_be_visible()
    work_row = (
        visitor.get_by_test_id("programme-data")
        .locator("tr")
        .filter(has=visitor.locator("th", has_text=re.compile("^作品名称$")))
    )
    expect(work_row.locator("td")).to_have_text(WORK)
    expect(visitor.get_by_test_id("programme-data")).to_contain_text("已公布入选")
    shot(visitor, "awards-verify")

    # 7. The same pages on a phone (390 px): nothing scrolls sideways.
    phone_pages = {
        "home": "/",
        "results": "/awards/results/",
        "results-quarter": f"/awards/results/{year}/{number}/",
        "verify": f"/verify/{certificate.token}/",
        "manual": "/help/nrta/",
    }
    assert too_wide(new_page, shot, None, phone_pages, role="anonymous") == {}
    phone_pages = {
        "home": "/",
        "mine": "/awards/mine/?tab=reviewed",
        "detail": f"/awards/nominations/{nomination.public_id}/",
        "certificate": f"/certificates/{certificate.public_id}/",
    }
    assert too_wide(new_page, shot, q["member"].username, phone_pages, role="institution") == {}
    phone_pages = {
        "staff": "/staff/",
        "ranking": f"/staff/awards/expertassignment/ranking/?quarter={year}Q{number}",
        "publicity": publicity_admin_url.removeprefix(ministry.base_url),
        "queue": "/staff/awards/nomination/?queue=done",
        "quota": "/staff/awards/nomination/quota/",
    }
    assert too_wide(new_page, shot, q["ministry"].username, phone_pages, role="ministry") == {}
