"""The site's information pages, help centre, error pages and browser banner."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.views import _reverse_first, csrf_failure, permission_denied, server_error
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

FOOTER_LINKS = ["关于我们", "网站地图", "隐私保护", "免责声明", "ICP备案号", "网站标识码", "公网安备", "政府网站找错"]

PAGES = [
    ("user-agreement", "用户须知"),
    ("privacy", "隐私保护"),
    ("disclaimer", "免责声明"),
    ("about", "关于我们"),
    ("sitemap", "网站地图"),
    ("error-report", "政府网站找错"),
]


def _text(response) -> str:
    return response.content.decode()


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _breadcrumbs(html: str) -> list[str]:
    nav = re.search(r'<ol class="breadcrumb[^"]*">(.*?)</ol>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", nav, re.S)]


def _h1(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()


@pytest.mark.parametrize(("slug", "title"), PAGES)
def test_page_renders_with_chinese_title_breadcrumbs_and_footer(client, slug, title):
    response = client.get(reverse("page", args=[slug]))

    assert response.status_code == 200
    html = _text(response)
    assert _title(html) == title
    assert _h1(html) == title
    assert _breadcrumbs(html) == ["首页", title]
    for label in FOOTER_LINKS:
        assert label in html, label
    assert 'href="/pages/error-report/"' in html


def test_page_unknown_slug_is_404_in_chinese_layout(client):
    response = client.get("/pages/no-such-page/")

    assert response.status_code == 404
    html = _text(response)
    assert _title(html) == "页面不存在"
    assert "您访问的页面不存在或已被删除。" in html
    assert "网站地图" in html  # the footer: same layout as every page
    assert 'class="portal-header"' in html


def test_error_pages_404_for_any_unknown_url(client):
    response = client.get("/no/such/path/")

    assert response.status_code == 404
    assert _h1(_text(response)) == "页面不存在"


def test_error_pages_403_in_chinese_with_layout(rf):
    request = rf.get("/staff/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    html = _text(response)
    assert _title(html) == "无权访问"
    assert "您没有访问此页面的权限。如需办理，请使用有权限的账号登录。" in html
    assert "政府网站找错" in html


def test_error_pages_500_in_layout_without_context_processors(rf):
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    html = _text(response)
    assert _title(html) == "系统繁忙"
    assert _h1(html) == "系统繁忙，请稍后再试"
    assert "京ICP备1503242号-1" in html  # footer rendered from settings without context processors


def test_csrf_failure_page_keeps_typed_fields_for_the_form(client):
    user = ApplicantFactory()
    client.force_login(user)
    csrf_client = client
    csrf_client.handler.enforce_csrf_checks = True

    response = csrf_client.post("/accounts/profile/", {"full_name": "李四", "password": "secret-Value-1"})

    assert response.status_code == 403
    html = _text(response)
    assert _h1(html) == "页面已过期"
    assert "页面已过期或表单校验失败，请刷新页面后重新提交。" in html
    assert 'href="/accounts/profile/"' in html
    stash = client.session["stashed_form"]
    assert stash == {"user": user.pk, "path": "/accounts/profile/", "data": {"full_name": ["李四"]}}


def test_csrf_failure_page_anonymous_get_has_no_back_link(rf, client):
    request = rf.get("/x/")
    request.user = AnonymousUser()
    request.session = client.session
    response = csrf_failure(request, reason="CSRF cookie not set.")

    assert response.status_code == 403
    assert "返回表单重新提交" not in _text(response)


def test_sitemap_links_every_public_page(client):
    response = client.get(reverse("page", args=["sitemap"]))

    html = _text(response)
    for slug, _title_text in PAGES:
        assert f'href="/pages/{slug}/"' in html, slug
    for url in [
        reverse("home"),
        reverse("accounts:login"),
        reverse("accounts:login_sms"),
        reverse("accounts:register"),
        reverse("accounts:register_institution"),
        reverse("accounts:register_individual"),
        reverse("accounts:password_reset"),
        reverse("help"),
        reverse("manual", args=["mct"]),
        reverse("manual", args=["nrta"]),
    ]:
        assert f'href="{url}"' in html, url
    assert f'href="{reverse("accounts:login")}?programme=nrta"' in html


def test_sitemap_leaves_out_views_not_installed():
    assert _reverse_first(["no-such:view", ("page", "about")]) == "/pages/about/"
    assert _reverse_first(["no-such:view"]) is None


def test_privacy_page_states_collection_retention_and_rights(client):
    html = _text(client.get(reverse("page", args=["privacy"])))

    assert "《中华人民共和国个人信息保护法》" in html
    assert "姓名、身份证号、手机号、电子邮箱、登录账号。" in html
    assert "安全日志：依照《中华人民共和国网络安全法》第二十一条的规定，保存不少于六个月。" in html
    assert "您有权查阅、复制、更正、补充您的个人信息" in html
    assert "400-0009373 / 010-85166688" in html


def test_user_agreement_covers_account_real_name_responsibilities_and_data(client):
    html = _text(client.get(reverse("page", args=["user-agreement"])))

    for heading in ["二、账号注册与管理", "三、实名与信息真实性", "四、用户的责任", "五、数据与信息"]:
        assert heading in html
    assert "建议使用经营单位法定代表人手机号注册。" in html


def test_error_report_page_has_contacts_and_no_form(client):
    html = _text(client.get(reverse("page", args=["error-report"])))

    assert "<form" not in html.split('<main id="main"')[1].split("</main>")[0]
    assert "平台客服电话：400-0009373 / 010-85166688" in html
    assert "技术支持电话：010-86096235、17801579644" in html


def test_help_index_links_both_manuals_and_pdfs(client):
    response = client.get(reverse("help"))

    html = _text(response)
    assert response.status_code == 200
    assert _breadcrumbs(html) == ["首页", "操作手册"]
    for url in ["/help/mct/", "/help/nrta/", "/help/mct/pdf/", "/help/nrta/pdf/"]:
        assert f'href="{url}"' in html


def _headings(html: str, level: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(rf"<{level}[^>]*>(.*?)</{level}>", html, re.S)]


def test_manual_mct_follows_the_seed_chapters(client):
    response = client.get(reverse("manual", args=["mct"]))

    html = _text(response)
    assert response.status_code == 200
    assert _breadcrumbs(html) == ["首页", "操作手册", "网络演出剧（节）目审批备案操作手册"]
    assert _headings(html, "h2")[1:] == [
        "1. 概述",
        "2. 注册",
        "3. 登录",
        "4. 资质激活",
        "5. 备案申请",
        "6. 网络演出剧（节）目管理",
        "7. 查询受理状态",
        "8. 常见问题处理",
        "9. 行政指导",
        "10. 通知公告与培训",
        "11. 备案期限提醒",
        "12. 日常巡查（审核人员）",
        "13. 统计分析（审核人员）",
    ]
    assert "如遇到问题，请拨打平台客服电话：400-0009373 或 010-85166688。" in html
    assert "本门户两类申请统一使用“演出监管预案”" in html


def test_manual_nrta_follows_the_seed_chapters(client):
    html = _text(client.get(reverse("manual", args=["nrta"])))

    assert _headings(html, "h2")[1:] == [
        "提示",
        "1. 系统首页介绍",
        "2. 账号注册",
        "3. 系统登录",
        "4. 项目申报",
        "5. 我的申报",
        "6. 省级初审",
        "7. 专家评议",
        "8. 入选与公示",
        "9. 推优结果与证书核验",
        "10. 技术支持电话",
    ]
    assert _headings(html, "h3") == [
        "5.1. 待提交列表",
        "5.2. 待审核列表",
        "5.3. 已审核列表",
        "6.1. 审核队列",
        "6.2. 推荐、不推荐、退回修改",
        "6.3. 推荐名额",
        "6.4. 初审截止与逾期未审",
        "7.1. 专家分配",
        "7.2. 利益冲突声明",
        "7.3. 评分",
        "8.1. 专家评议排名",
        "8.2. 入选与未入选",
        "8.3. 发起公示",
        "8.4. 异议处理",
        "8.5. 公布",
        "8.6. 撤销",
        "9.1. 推优结果公布",
        "9.2. 推优证书",
        "9.3. 证书核验",
    ]
    assert "总局信息中心技术支持电话：010-86096235、17801579644" in html
    assert "推优工作联系电话：010-86091625" in html
    assert "本系统推荐使用火狐、Chrome 或 360 安全浏览器（极速模式，非 IE 模式）。" in html


def test_manual_support_numbers_come_from_settings(client, settings):
    settings.PORTAL = {**settings.PORTAL, "MCT_SUPPORT_PHONES": ["400-1111111", "010-2222222"]}

    html = _text(client.get(reverse("manual", args=["mct"])))

    assert "如遇到问题，请拨打平台客服电话：400-1111111 或 010-2222222。" in html


def test_manual_unknown_programme_is_404(client):
    assert client.get("/help/xyz/").status_code == 404
    assert client.get("/help/xyz/pdf/").status_code == 404


def test_manual_pdf_downloads_an_a4_pdf_with_the_chapters(client):
    from io import BytesIO

    from pypdf import PdfReader

    response = client.get(reverse("manual_pdf", args=["nrta"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "; filename*=UTF-8''" in response["Content-Disposition"]
    reader = PdfReader(BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "技术支持电话" in text
    assert "17801579644" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    # page 1 is the PDF's own table of contents (with page numbers), not the screen's list of links
    assert "目录" in reader.pages[0].extract_text()


def test_footer_values_come_from_settings(client, settings):
    settings.PORTAL = {**settings.PORTAL, "FOOTER": {**settings.PORTAL["FOOTER"], "icp": "湘ICP备00000001号"}}

    html = _text(client.get(reverse("page", args=["about"])))

    assert "ICP备案号: 湘ICP备00000001号" in html


PUBLIC_URLS = [
    "/",
    "/pages/user-agreement/",
    "/pages/privacy/",
    "/pages/disclaimer/",
    "/pages/about/",
    "/pages/sitemap/",
    "/pages/error-report/",
    "/help/",
    "/help/mct/",
    "/help/nrta/",
    "/accounts/login/",
    "/accounts/register/",
    "/no-such-page/",
]
EXTERNAL_ASSET = re.compile(r"""<(?:script[^>]+src|link[^>]+href|img[^>]+src)\s*=\s*["']?(?:https?:)?//""", re.I)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_page_loads_no_external_script_or_style(client, url):
    response = client.get(url)

    assert response.status_code in (200, 404)
    html = _text(response)
    assert EXTERNAL_ASSET.findall(html) == []
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html


def test_external_asset_scan_catches_a_cdn_link():
    html = '<link rel="stylesheet" href="https://cdn.example.com/x.css"><script src="//cdn.example.com/x.js"></script>'

    assert len(EXTERNAL_ASSET.findall(html)) == 2


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko",
        "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)",
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0; 360SE)",
    ],
)
def test_legacy_browser_banner_shown_to_ie(client, agent):
    html = _text(client.get("/pages/about/", HTTP_USER_AGENT=agent))

    assert 'id="legacy-browser-banner"' in html
    assert "您正在使用 IE 浏览器或兼容模式，部分功能无法正常使用。" in html


def test_legacy_browser_banner_hidden_for_chromium(client):
    agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"

    html = _text(client.get("/pages/about/", HTTP_USER_AGENT=agent))

    assert 'id="legacy-browser-banner"' not in html


def test_pages_are_readable_by_a_signed_in_applicant(client):
    user = ApplicantFactory()
    client.force_login(user)

    html = _text(client.get(reverse("page", args=["disclaimer"])))

    assert _h1(html) == "免责声明"
    assert user.organisation.name in html  # the header shows the unit
