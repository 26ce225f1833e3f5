"""材料上传 of a video in Chromium: chunks by tus-js-client, a dropped connection, a reload, the progress bar.

The chunk size is made small (256 KB) so that a few-MB video takes a dozen PATCH requests; the page's
tus-js-client (static/vendor/tus/) talks to the portal's own endpoint (common/resumable/).
"""

import hashlib

import pytest
from django.urls import reverse

from common.resumable.models import Upload
from filings.enums import FilingState
from filings.models import Material
from tests.filings.factories import EnterpriseFactory, applicant, make_filing, mp4_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHUNK = 256 * 1024


@pytest.fixture
def resumable(settings, tmp_path):
    settings.UPLOAD_RESUMABLE_ROOT = tmp_path / "private" / "resumable"
    settings.UPLOAD_RESUMABLE_CHUNK_BYTES = CHUNK
    settings.UPLOAD_RESUMABLE_CHUNK_MAX_BYTES = CHUNK
    return settings


@pytest.fixture
def draft(resumable):
    unit = EnterpriseFactory(name="浏览器视频上传公司")
    user = applicant(unit, username="13812345601", full_name="周上传")
    return user, make_filing(organisation=unit, by=user, state=FilingState.DRAFT, complete=False)


@pytest.fixture
def video_file(tmp_path):
    head = mp4_bytes()
    data = head + hashlib.sha256(b"seed").digest() * ((3 * 1024 * 1024 - len(head)) // 32)
    path = tmp_path / "演出录像.mp4"
    path.write_bytes(data)
    return path, data


def login(page, user):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Demo2026portal")
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_load_state()


def _open_editor(new_page, user, filing, **options):
    page = new_page(**options)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, user)
    page.goto(page.url_for(reverse("filings:edit", args=[filing.public_id])))
    return page


def _section_shot(page, screenshot_dir, name):
    """The 材料上传 section alone (beside the full page of ``shot``), to look at the progress bar."""
    if screenshot_dir:
        page.locator("#section-materials").screenshot(path=f"{screenshot_dir}/{name}-section.png")


def test_video_uploads_in_chunks_through_a_dropped_connection(new_page, draft, video_file):
    user, filing = draft
    path, data = video_file
    page = _open_editor(new_page, user, filing)
    patches, checksums, dropped = [], [], []

    def route(route, request):
        if request.method == "PATCH":
            patches.append(int(request.headers["upload-offset"]))
            checksums.append(request.headers.get("upload-checksum", ""))
            if len(patches) == 4 and not dropped:  # the connection drops in the middle, once
                dropped.append(patches[-1])
                route.abort("connectionreset")
                return
        route.continue_()

    page.route("**/uploads/tus/**", route)
    page.set_input_files("#id_material-content_info", str(path))
    page.wait_for_selector("text=“演出录像.mp4”上传完成。", timeout=60000)
    # the 材料 list is drawn again with the new file, downloadable from its link
    link = page.locator("#material-content_info a:has-text('演出录像.mp4')")
    link.wait_for()

    material = Material.objects.get(version=filing.application_version)
    assert (material.original_name, material.size, material.content_type) == ("演出录像.mp4", len(data), "video/mp4")
    with material.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == hashlib.sha256(data).hexdigest()
    assert Upload.objects.get().sha256 == hashlib.sha256(data).hexdigest()
    # 12 chunks, the dropped one sent again from the offset the server had
    assert dropped == [3 * CHUNK]
    assert patches == [i * CHUNK for i in range(4)] + [i * CHUNK for i in range(3, 12)]
    assert all(c.startswith("sha256 ") for c in checksums)
    # the file input kept nothing for the form (the video is not sent twice by 保存)
    assert page.evaluate("document.getElementById('id_material-content_info').files.length") == 0
    response = page.request.get(page.url_for(link.get_attribute("href")))
    assert response.status == 200 and hashlib.sha256(response.body()).digest() == hashlib.sha256(data).digest()


def test_upload_resumes_after_a_page_reload(new_page, draft, video_file, shot, screenshot_dir):
    user, filing = draft
    path, data = video_file
    page = _open_editor(new_page, user, filing)
    held, mode = [], ["hold"]

    def hold_fifth(route, request):
        # The sixth chunk is held (the bar stands still for the screenshot), then every try of it is cut
        # off until the page has reloaded: the server never has more than five chunks.
        if request.method == "PATCH" and mode[0] != "pass" and int(request.headers["upload-offset"]) >= 5 * CHUNK:
            if mode[0] == "hold":
                held.append(route)
            else:
                route.abort("connectionreset")
            return
        route.continue_()

    page.route("**/uploads/tus/**", hold_fifth)
    page.set_input_files("#id_material-content_info", str(path))
    page.wait_for_function(
        "() => { const b = document.querySelector('#material-content_info-uploads [role=progressbar]');"
        " return b && Number(b.getAttribute('aria-valuenow')) >= 30; }"
    )
    # Text and bar read in one step: the bar keeps moving while the held chunk's body goes out.
    status, value = page.evaluate(
        "() => { const s = document.querySelector('#material-content_info-uploads');"
        " return [s.querySelector('.upload-status').innerText,"
        " s.querySelector('[role=progressbar]').getAttribute('aria-valuenow')]; }"
    )
    assert status == f"正在上传“演出录像.mp4”：{value}%（{status.split('（')[1]}"
    assert page.inner_text("#material-content_info-uploads [role=status]").startswith("正在上传“演出录像.mp4”：")
    shot(page, "uploads-progress-1280")
    _section_shot(page, screenshot_dir, "uploads-progress-1280")
    mode[0] = "cut"
    for route in held:
        route.abort("connectionreset")
    page.reload()
    mode[0] = "pass"

    pending = page.locator("#material-content_info-uploads [data-pending]")
    pending.wait_for()
    page.wait_for_function(
        "() => document.querySelector('#material-content_info-uploads [data-pending]').textContent.includes('%')"
    )
    assert pending.inner_text() == "“演出录像.mp4”有未完成的上传（已上传 41%），重新选择该文件即可从中断处继续。"
    offsets = []
    page.on("request", lambda r: offsets.append(int(r.headers["upload-offset"])) if r.method == "PATCH" else None)
    page.set_input_files("#id_material-content_info", str(path))
    page.wait_for_selector("text=“演出录像.mp4”上传完成。", timeout=60000)

    assert offsets[0] == 5 * CHUNK  # continued where the server stopped, not from the start
    assert Upload.objects.count() == 1
    material = Material.objects.get(version=filing.application_version)
    assert material.size == len(data)


def test_refused_video_shows_its_message_and_nothing_is_stored(new_page, draft, tmp_path):
    user, filing = draft
    fake = tmp_path / "setup.mp4"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 300_000)
    page = _open_editor(new_page, user, filing)

    page.set_input_files("#id_material-content_info", str(fake))
    alert = page.locator("#material-content_info-uploads [role=alert]")
    alert.wait_for()

    assert alert.inner_text() == (
        "“setup.mp4”上传失败：文件“setup.mp4”的内容与其扩展名不符（不是有效的 mp4 文件），请上传真实的文件。"
    )
    # at the top of the page too, linked to the item, as the form's own errors are
    summary = page.locator("#error-summary a[href='#material-content_info']")
    assert summary.inner_text() == (
        "演出内容信息：文件“setup.mp4”的内容与其扩展名不符（不是有效的 mp4 文件），请上传真实的文件。"
    )
    assert (Material.objects.count(), Upload.objects.count()) == (0, 0)


def test_progress_bar_fits_a_phone(new_page, draft, video_file, shot, screenshot_dir):
    user, filing = draft
    path, _data = video_file
    page = _open_editor(new_page, user, filing, viewport={"width": 390, "height": 844}, is_mobile=True)
    held = []

    def hold_third(route, request):
        if request.method == "PATCH" and int(request.headers["upload-offset"]) == 3 * CHUNK:
            held.append(route)
            return
        route.continue_()

    page.route("**/uploads/tus/**", hold_third)
    page.set_input_files("#id_material-content_info", str(path))
    page.wait_for_function(
        "() => { const b = document.querySelector('#material-content_info-uploads [role=progressbar]');"
        " return b && Number(b.getAttribute('aria-valuenow')) >= 20; }"
    )
    page.locator("#material-content_info").scroll_into_view_if_needed()
    shot(page, "uploads-progress-390")
    _section_shot(page, screenshot_dir, "uploads-progress-390")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator("#material-content_info-uploads .progress").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    held[0].continue_()
    page.wait_for_selector("text=“演出录像.mp4”上传完成。", timeout=60000)


def test_without_javascript_a_small_file_goes_with_the_form(new_page, draft, tmp_path):
    user, filing = draft
    report = tmp_path / "自审报告.pdf"
    report.write_bytes(pdf_bytes())
    page = _open_editor(new_page, user, filing, java_script_enabled=False)

    page.set_input_files("#id_material-self_review", str(report))
    page.click("#material-self_review button[value='save:materials']")
    page.locator("#material-self_review a:has-text('自审报告.pdf')").wait_for()

    assert list(Material.objects.values_list("original_name", flat=True)) == ["自审报告.pdf"]
    assert Upload.objects.count() == 0
