"""变更 (SPEC §B5): tick parts, edit only those, reviewed like an application; the programme shows
its current approved data until the change is approved; every version is kept."""

import re

import pytest
from django.urls import reverse

from filings import diff
from filings.enums import FilingState
from filings.models import ChangeRequest, Filing, FilingVersion, Material, Performer, Session
from filings.services import lifecycle
from filings.services.changes import set_parts, start_change
from filings.services.editing import save_section
from filings.services.errors import FilingError, Incomplete, NotEditable
from review.engine import perform

from .factories import add_material, make_change, pdf_bytes
from .helpers import browser_post

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_change_copies_the_current_version(approved, member):
    change = start_change(member, approved, ["programme"])
    base, new = approved.current_version, change.version
    assert (change.state, change.parts, change.base_version_id) == (FilingState.DRAFT, ["programme"], base.pk)
    assert new.number == 2 and new.filing_id == approved.pk
    assert (new.name, new.platform, new.pledged) == (base.name, base.platform, False)
    assert [p.key for p in new.performers.all()] == [p.key for p in base.performers.all()]
    assert sorted(m.file.name for m in new.materials.all()) == sorted(m.file.name for m in base.materials.all())
    assert diff.diff_versions(base, new) == []


def test_only_approved_programmes_change(draft, member):
    with pytest.raises(NotEditable):
        start_change(member, draft, ["programme"])


def test_one_open_change_per_programme(approved, member):
    start_change(member, approved, ["programme"])
    with pytest.raises(FilingError) as info:
        start_change(member, approved, ["sessions"])
    assert info.value.message == "该节目已有未完成的变更申请，请在受理状态中查看。"
    assert ChangeRequest.objects.count() == 1


def test_unticked_parts_cannot_be_edited(approved, member):
    change = start_change(member, approved, ["programme"])
    with pytest.raises(NotEditable) as info:
        save_section(member, change, "basic", {"email": "new@example.cn"})
    assert info.value.message == "请先勾选“变更基本信息”并保存，再修改此部分。"


def test_unticking_a_part_restores_the_approved_data(approved, member):
    change = start_change(member, approved, ["programme", "performers"])
    save_section(member, change, "programme", {"name": "新名称"})
    Performer.objects.filter(version=change.version).delete()
    change = set_parts(member, ChangeRequest.objects.get(pk=change.pk), ["sessions"])
    version = FilingVersion.objects.get(pk=change.version_id)
    assert version.name == approved.current_version.name
    assert version.performers.count() == 1


def test_change_without_any_difference_is_not_submitted(approved, member):
    change = start_change(member, approved, ["programme"])
    FilingVersion.objects.filter(pk=change.version_id).update(pledged=True)
    with pytest.raises(Incomplete) as info:
        lifecycle.submit(member, ChangeRequest.objects.get(pk=change.pk))
    assert [p.message for p in info.value.problems] == ["未发现任何变更内容，请修改后再提交。"]


def test_lifecycle_programme_shows_old_data_until_approved(approved, member, member_client, hunan_official):
    old_name = approved.current_version.name
    change = make_change(approved, by=member, name="变更后的名称", state=FilingState.SUBMITTED)
    programme_url = reverse("filings:programme", args=[approved.public_id])
    body = text(member_client.get(programme_url))
    assert f'<h1 class="h4 mb-0">{old_name}</h1>' in body
    assert "该节目有一项变更申请（待受理），变更通过前以下仍显示当前已备案的信息。" in body
    change = perform(change, "accept", actor=hunan_official)
    perform(change, "approve", actor=hunan_official)
    filing = Filing.objects.get(pk=approved.pk)
    assert filing.current_version_id == change.version_id
    body = text(member_client.get(programme_url))
    assert '<h1 class="h4 mb-0">变更后的名称</h1>' in body
    assert "变更申请" not in body
    assert list(FilingVersion.objects.filter(filing=filing).values_list("number", "name")) == [
        (1, old_name),
        (2, "变更后的名称"),
    ]
    assert filing.reference == approved.reference
    assert filing.state == FilingState.APPROVED


def test_rejected_change_leaves_the_programme_as_it_was(approved, member, hunan_official):
    change = make_change(approved, by=member, name="被拒绝的名称", state=FilingState.REVIEWING)
    perform(change, "reject", actor=hunan_official, comment="不符合要求")
    filing = Filing.objects.get(pk=approved.pk)
    assert filing.current_version_id == approved.application_version_id
    assert FilingVersion.objects.filter(filing=filing).count() == 2
    # and a new change can start
    assert start_change(member, filing, ["sessions"]).version.number == 3


def test_approved_change_issues_no_new_certificate(approved, member, hunan_official):
    from review.models import OutboxEvent

    change = make_change(approved, by=member, name="新名称", state=FilingState.REVIEWING)
    OutboxEvent.objects.all().delete()
    perform(change, "approve", actor=hunan_official)
    assert list(OutboxEvent.objects.values_list("topic", flat=True)) == ["notify"]


def test_change_is_reviewed_by_the_programme_province(approved, member, beijing_official, hunan_official):
    from review.engine import NotPermitted

    change = make_change(approved, by=member, name="新名称", state=FilingState.SUBMITTED)
    with pytest.raises(NotPermitted):
        perform(change, "accept", actor=beijing_official)
    assert perform(change, "accept", actor=hunan_official).state == FilingState.REVIEWING


# --- pages ------------------------------------------------------------------------------------


def test_programmes_list_has_view_change_and_certificate(member_client, approved):
    body = text(member_client.get(reverse("filings:programmes")))
    row = body.split('data-testid="programme-row"')[1].split("</tr>")[0]
    assert f'href="{reverse("filings:programme", args=[approved.public_id])}">查看</a>' in row
    assert f'href="{reverse("filings:change_start", args=[approved.public_id])}">变更</a>' in row
    assert "证照生成中" in row


def test_programmes_list_links_the_certificate_when_issued(member_client, approved):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from review.models import Certificate

    cert = Certificate.objects.create(
        content_type=ContentType.objects.get_for_model(Filing),
        object_id=approved.pk,
        kind="filing.domestic",
        number="网演备〔2026〕湘字第000001号",
        organisation=approved.organisation,
        province="430000",
        title="x",
        reference=approved.reference,
        issuing_department="湖南省文化和旅游厅",
        issued_on=timezone.localdate(),
    )
    body = text(member_client.get(reverse("filings:programmes")))
    assert f'<a href="{reverse("review:certificate", args=[cert.public_id])}">证照查看</a>' in body


def test_change_start_page_and_flow(member_client, approved):
    url = reverse("filings:change_start", args=[approved.public_id])
    body = text(member_client.get(url))
    for label in (
        "变更基本信息",
        "变更网络演出剧(节)目信息",
        "变更演员/团体信息",
        "变更场次信息",
        "变更联合播出信息",
        "变更材料上传",
    ):
        assert label in body
    response = member_client.post(url, {})
    assert "请至少勾选一项变更内容。" in text(response)
    response = member_client.post(url, {"change-parts": ["programme", "sessions"]})
    change = ChangeRequest.objects.get()
    assert response["Location"] == reverse("filings:change_edit", args=[change.public_id])
    assert change.parts == ["programme", "sessions"]
    assert member_client.get(url)["Location"] == reverse("filings:change_edit", args=[change.public_id])


def test_change_page_edits_only_ticked_parts(member_client, approved, member):
    change = start_change(member, approved, ["programme"])
    url = reverse("filings:change_edit", args=[change.public_id])
    body = text(member_client.get(url))
    assert 'name="programme-name"' in body
    assert 'name="basic-email"' not in body and 'name="performers-new-name"' not in body
    assert 'name="sessions-new-name"' not in body and 'name="material-self_review"' not in body
    # a forged post for an unticked part changes nothing
    member_client.post(
        url,
        {
            "sections": ["basic", "programme"],
            "basic-email": "forged@example.cn",
            "programme-name": "新名称",
            "action": "save",
        },
    )
    version = FilingVersion.objects.get(pk=change.version_id)
    assert version.email == approved.current_version.email
    assert version.name == "新名称"


def test_ticking_a_part_on_the_change_page_opens_it(member_client, approved, member):
    change = start_change(member, approved, ["programme"])
    url = reverse("filings:change_edit", args=[change.public_id])
    response = browser_post(member_client, url, "parts", {"change-parts": ["programme", "sessions"]})
    assert response.status_code == 302
    assert ChangeRequest.objects.get(pk=change.pk).parts == ["programme", "sessions"]
    assert 'name="sessions-new-name"' in text(member_client.get(url))


def test_submit_change_through_the_page(member_client, approved, member):
    change = start_change(member, approved, ["sessions"])
    url = reverse("filings:change_edit", args=[change.public_id])
    browser_post(
        member_client,
        url,
        "row-add:sessions",
        {
            "sessions-new-name": "加场",
            "sessions-new-type": "live",
            "sessions-new-starts_at": "2026-12-24T20:00",
            "sessions-new-url": "https://live.example.cn/extra",
        },
    )
    response = browser_post(member_client, url, "submit", {"pledge-pledged": "on"}, follow=True)
    change = ChangeRequest.objects.get(pk=change.pk)
    assert change.state == FilingState.SUBMITTED
    assert f"提交成功，受理编号 {approved.reference}-BG01。" in text(response)
    body = text(member_client.get(reverse("filings:change_detail", args=[change.public_id])))
    assert '<span class="badge bg-success">新增</span> 加场' in body
    assert Session.objects.filter(version_id=approved.current_version_id).count() == 1


def test_diff_lists_rows_and_files(approved, member):
    change = start_change(member, approved, ["performers", "sessions", "materials", "programme"])
    new = change.version
    save_section(member, change, "programme", {"platform": "新平台"})
    performer = new.performers.get()
    performer.name = "改名乐团"
    performer.save()
    new.sessions.all().delete()
    Performer.objects.create(version=new, name="新增歌手", country="US", virtual=True, position=2)
    old_file = new.materials.get(item="self_review")
    old_file.delete()
    add_material(new, "self_review", "新自审报告.pdf", pdf_bytes("v2"))
    sections = {s.section: s for s in diff.diff_versions(approved.current_version, new)}
    assert [(f.label, f.old, f.new) for f in sections["programme"].fields] == [("播出平台", "示例视频平台", "新平台")]
    rows = [(r.status, r.title, [(f.label, f.old, f.new) for f in r.fields]) for r in sections["performers"].rows]
    assert rows == [
        ("edited", "改名乐团", [("演员/团体名称", "示例乐团", "改名乐团")]),
        (
            "added",
            "新增歌手",
            [("演员/团体名称", "", "新增歌手"), ("国家/地区", "", "美国"), ("是否(包含)虚拟演员", "", "是")],
        ),
    ]
    assert [(r.status, r.title) for r in sections["sessions"].rows] == [("removed", "第一场")]
    files = [(f.label, f.status, f.old, f.new) for f in sections["materials"].files]
    assert files == [("自审报告", "replaced", ["报告.pdf"], ["新自审报告.pdf"])]


def test_deleting_a_draft_change_keeps_the_shared_files(member_client, approved, member, settings):
    import os

    change = start_change(member, approved, ["materials"])
    response = member_client.post(reverse("filings:change_delete", args=[change.public_id]))
    assert response.status_code == 302
    assert ChangeRequest.objects.count() == 0
    assert FilingVersion.objects.filter(filing=approved).count() == 1
    for material in Material.objects.filter(version_id=approved.current_version_id):
        assert os.path.exists(os.path.join(settings.PRIVATE_MEDIA_ROOT, material.file.name))


def test_verify_page_shows_the_current_data_after_a_change(
    client, approved, member, hunan_official, django_capture_on_commit_callbacks
):
    from review.certificates import issue_certificate

    certificate = issue_certificate("filing.domestic", approved.pk)
    assert certificate.number.endswith("湘字第000001号") and certificate.number.startswith("网演备〔")
    verify = reverse("review:verify", args=[certificate.token])
    old_name = approved.current_version.name
    assert old_name in client.get(verify).content.decode()
    change = make_change(approved, by=member, name="变更后的名称", state=FilingState.REVIEWING)
    with django_capture_on_commit_callbacks(execute=True):
        perform(change, "approve", actor=hunan_official)
    body = re.sub(r"\s+", " ", client.get(verify).content.decode())
    assert "网络演出剧(节)目名称</th> <td>变更后的名称</td>" in body
    assert f"证照载明名称</th><td>{old_name}</td>" in body  # the certificate itself is not reissued
    assert "李**" in body and "李安全" not in body


def test_programmes_list_query_count_is_constant(member_client, unit, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import make_filing

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = member_client.get(reverse("filings:programmes"))
        return len(ctx.captured_queries), text(response).count('data-testid="programme-row"')

    first = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    one = count()
    make_change(first, by=member)
    for _i in range(5):
        make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    six = count()
    assert (one[1], six[1]) == (1, 6)
    assert one[0] == six[0] <= 15
