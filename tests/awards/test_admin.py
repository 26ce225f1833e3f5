"""Projects and platforms on the reviewers' site: NRTA ministry staff edit, NRTA officials look, others nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import Platform, Project

from .factories import ProjectFactory, mct_ministry, nrta_ministry, nrta_official, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

PROJECTS = reverse("staff:awards_project_changelist")
PLATFORMS = reverse("staff:awards_platform_changelist")
ADD_PROJECT = reverse("staff:awards_project_add")
ADD_PLATFORM = reverse("staff:awards_platform_add")
IMPORT = reverse("staff:awards_platform_import")
OPEN = reverse("staff:awards_project_open_quarter")


def test_only_nrta_staff_see_and_only_ministry_edits(client, project, member):
    codes = {}
    for who, user in (
        ("ministry", nrta_ministry()),
        ("official", nrta_official()),
        ("mct", mct_ministry()),
        ("applicant", member),
    ):
        client.force_login(user)
        codes[who] = [
            client.get(url).status_code
            for url in (
                PROJECTS,
                PLATFORMS,
                ADD_PROJECT,
                ADD_PLATFORM,
                IMPORT,
                OPEN,
                reverse("staff:awards_project_change", args=[project.pk]),
            )
        ]

    assert codes["ministry"] == [200, 200, 200, 200, 200, 200, 200]
    assert codes["official"] == [200, 200, 403, 403, 403, 403, 200]  # read-only view
    assert codes["mct"] == [403, 403, 403, 403, 403, 403, 403]
    assert codes["applicant"] == [302, 302, 302, 302, 302, 302, 302]  # to the site's refusal page


def test_official_cannot_change_a_project(client, project):
    client.force_login(nrta_official())

    response = client.post(reverse("staff:awards_project_change", args=[project.pk]), {"title": "改名"})

    assert response.status_code in (403, 404)
    assert Project.objects.get(pk=project.pk).title == project.title
    client.force_login(nrta_ministry())  # the ministry has the form
    assert client.get(reverse("staff:awards_project_change", args=[project.pk])).status_code == 200


def test_ministry_adds_a_project_with_a_pledge_template(client):
    client.force_login(nrta_ministry())
    initial = client.get(ADD_PROJECT).content.decode()

    response = client.post(
        ADD_PROJECT,
        {
            "title": "2026年第三季度网络视听节目季度推优（机构类）",
            "year": 2026,
            "quarter": 3,
            "kind": "institution",
            "opens_at_0": "2026-06-16",
            "opens_at_1": "00:00:00",
            "applicant_deadline": "2026-09-15",
            "provincial_deadline": "2026-09-30",
            "window_start": "2026-06-01",
            "window_end": "2026-08-31",
            "description": "说明",
            "pledge_template": SimpleUploadedFile("承诺书模板.pdf", pdf_bytes(), content_type="application/pdf"),
        },
    )
    project = Project.objects.get(year=2026, quarter=3)

    assert (
        'name="applicant_deadline" value="2026/06/15"' in initial
    )  # the calendar's dates of the quarter taking nominations
    assert response.status_code == 302
    assert (project.pledge_template_name, project.window_end.isoformat()) == ("承诺书模板.pdf", "2026-08-31")


def test_project_template_must_be_a_pdf_and_dates_in_order(client):
    client.force_login(nrta_ministry())

    response = client.post(
        ADD_PROJECT,
        {
            "title": "x",
            "year": 2026,
            "quarter": 3,
            "kind": "institution",
            "opens_at_0": "2026-06-16",
            "opens_at_1": "00:00:00",
            "applicant_deadline": "2026-09-15",
            "provincial_deadline": "2026-09-01",
            "window_start": "2026-06-01",
            "window_end": "2026-05-31",
            "pledge_template": SimpleUploadedFile("模板.pdf", png_bytes(), content_type="application/pdf"),
        },
    )
    page = response.content.decode()

    assert response.status_code == 200 and Project.objects.count() == 0
    assert "的内容不是 PDF 文件" in page
    assert "播出时间范围的结束日期不能早于开始日期。" in page
    assert "初审截止日期不能早于申报截止日期。" in page


def test_open_quarter_from_the_staff_site(client):
    client.force_login(nrta_ministry())

    client.post(OPEN, {"year": 2026, "quarter": 4})
    client.post(OPEN, {"year": 2026, "quarter": 4})

    assert sorted(Project.objects.values_list("quarter", "kind")) == [(4, "individual"), (4, "institution")]


def test_platform_import_view(client):
    client.force_login(nrta_ministry())
    data = "平台名称,许可证或备案编号\n爱奇艺,0110531\n,缺名称\n".encode("gb18030")

    response = client.post(IMPORT, {"file": SimpleUploadedFile("platforms.csv", data)})
    page = response.content.decode()

    assert "新增 1 条，更新 0 条，未变 0 条，拒绝 1 条" in page
    assert "<td>3</td>" in page and "缺少必填项：平台名称" in page
    assert list(Platform.objects.values_list("name", flat=True)) == ["爱奇艺"]


def test_official_cannot_import(client):
    client.force_login(nrta_official())

    response = client.post(IMPORT, {"file": SimpleUploadedFile("p.csv", "name\n爱奇艺\n".encode())})

    assert response.status_code == 403 and Platform.objects.count() == 0
    # The same file, posted by NRTA ministry staff, is imported.
    client.force_login(nrta_ministry())
    client.post(IMPORT, {"file": SimpleUploadedFile("p.csv", "平台名称,许可证或备案编号\n爱奇艺,0110531\n".encode())})
    assert list(Platform.objects.values_list("name", flat=True)) == ["爱奇艺"]


def test_closed_quarter_projects_listed(client):
    ProjectFactory(year=2025, quarter=4)
    client.force_login(nrta_ministry())

    assert "2025年第4季度" in client.get(PROJECTS).content.decode()
