"""The upload corpus (issue 10, "Attacks") against every upload field of the portal.

Renamed executables, polyglots, truncated images, decompression bombs by pixel count, SVG with script,
PDF with JavaScript, 0-byte, oversize: each refused with a Chinese message by each field's check, and
through the services nothing is stored (rows and files on disk counted before and after). Accepted
files with path-traversal or very long names are stored under a bounded name without ``..``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.uploads import check_pledge
from filings.uploads import check_upload
from supervision.guidance.services import check_attachment as guidance_check
from supervision.inspections.services import check_evidence
from supervision.notices.services import check_attachment as notice_check
from tests.filings.factories import pdf_bytes, png_bytes
from tests.security.corpus import corpus

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")

FIELDS = {
    "filings materials": (check_upload, ("pdf", "png", "jpg")),
    "awards pledge": (check_pledge, ("pdf",)),
    "guidance attachments": (guidance_check, ("pdf", "png", "jpg")),
    "inspections evidence": (check_evidence, ("pdf", "png", "jpg")),
    "notices attachments": (notice_check, ("pdf", "png", "jpg")),
}
CASES = [
    pytest.param(field, label, name, data, id=f"{field}: {label}")
    for field, (_check, extensions) in FIELDS.items()
    for label, name, data in corpus(extensions)
]


@pytest.mark.parametrize(("field", "label", "name", "data"), CASES)
def test_every_field_refuses_the_corpus_with_a_chinese_message(field, label, name, data):
    check, _ = FIELDS[field]
    with pytest.raises(ValidationError) as refused:
        check(SimpleUploadedFile(name, data))
    message = " ".join(refused.value.messages)
    assert CJK.search(message), f"{field} refused {label} without a Chinese message: {message!r}"


@pytest.mark.parametrize("field", list(FIELDS))
def test_an_oversize_file_is_refused_before_its_content_is_read(field, settings):
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 1000
    check, _ = FIELDS[field]
    with pytest.raises(ValidationError) as refused:
        check(SimpleUploadedFile("大文件.pdf", pdf_bytes() + b"%" + b"0" * 2000 + b"\n%%EOF\n"))
    assert "过大" in refused.value.messages[0]


@pytest.mark.parametrize("field", list(FIELDS))
def test_the_plain_files_still_pass(field):
    """Both sides: the checks refuse the corpus, not every file."""
    check, extensions = FIELDS[field]
    check(SimpleUploadedFile("自审报告.pdf", pdf_bytes()))
    if "png" in extensions:
        check(SimpleUploadedFile("截图.png", png_bytes()))


def test_an_image_with_a_little_zero_padding_still_passes():
    from tests.filings.factories import jpeg_bytes

    check_upload(SimpleUploadedFile("照片.jpg", jpeg_bytes() + b"\x00" * 512))
    check_upload(SimpleUploadedFile("截图.png", png_bytes() + b"\x00" * 512))
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("照片.jpg", jpeg_bytes() + b"\x00" * 512 + b"PK\x05\x06" + b"\x00" * 18))


def test_a_plain_pdf_with_an_open_action_to_a_page_still_passes():
    """/OpenAction alone (open at page 1) is how word processors write PDFs: only scripts are refused."""
    plain = pdf_bytes().replace(b"/Pages 2 0 R", b"/Pages 2 0 R/OpenAction[3 0 R/FitH null]")
    check_upload(SimpleUploadedFile("报告.pdf", plain))
    escaped = plain.replace(b"/FitH null]", b"/FitH null]/AA<</O<</S/J#61vaScript/J#53(x)>>>>")
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("报告.pdf", escaped))


def test_a_large_scan_with_compressed_bytes_is_not_taken_for_a_script(settings):
    """The names looked for are long: 4 MB of stream bytes (a scan's compressed image) pass."""
    import random

    stream = random.Random(20261202).randbytes(4 * 1024 * 1024)
    scan = pdf_bytes().replace(
        b"trailer", b"4 0 obj<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream endobj\ntrailer"
    )
    check_upload(SimpleUploadedFile("扫描件.pdf", scan))
    check_pledge(SimpleUploadedFile("扫描件.pdf", scan))


def _disk(root) -> list[str]:
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _rows():
    from awards.models import Nomination
    from filings.models import Material
    from supervision.guidance.models import Attachment, Thread
    from supervision.inspections.models import Evidence, InspectionCase

    return {
        m._meta.label: m.objects.count() for m in (Material, Nomination, Attachment, Thread, Evidence, InspectionCase)
    }


@pytest.fixture
def people():
    from tests.factories import ApplicantFactory, OrganisationFactory
    from tests.filings.factories import EnterpriseFactory, make_filing, official

    unit = EnterpriseFactory(province="430000")
    member = ApplicantFactory(organisation=unit)
    institution = OrganisationFactory(kind="institution", province="430000")
    return {
        "member": member,
        "filing": make_filing(organisation=unit, by=member, complete=False),
        "official": official("430000"),
        "nrta_member": ApplicantFactory(organisation=institution, username="corpusinst", phone=None),
    }


def _store_through_services(people, name, data):
    """Each field's service with one file; returns the error it raised (None: stored)."""
    from awards.services import nominations
    from filings.enums import MaterialItem
    from filings.services.editing import upload_materials
    from supervision.guidance import services as guidance
    from supervision.guidance.enums import Category
    from supervision.inspections import services as inspections
    from tests.awards.factories import ProjectFactory, complete_values

    def upload():
        return SimpleUploadedFile(name, data)

    errors = []
    attempts = [
        lambda: upload_materials(people["member"], people["filing"], MaterialItem.SELF_REVIEW, [upload()]),
        lambda: guidance.ask(
            people["member"], subject="咨询", category=Category.SELF_REVIEW, text="问题", files=[upload()]
        ),
        lambda: inspections.record_finding(
            people["official"],
            platform="某平台",
            url="https://live.example.cn/1",
            unit_name="某单位",
            credit_code="91430100MA4L8YX2KP",
            found_on=__import__("django.utils.timezone").utils.timezone.localdate(),
            programme_name="节目",
            description="说明",
            files=[upload()],
        ),
    ]
    if name.endswith(".pdf"):
        project = ProjectFactory()
        attempts.append(
            lambda: nominations.save_draft(
                people["nrta_member"], values=complete_values(project), project=project, pledge=upload()
            )
        )
    for attempt in attempts:
        try:
            attempt()
            errors.append(None)
        except (ValidationError, Exception) as exc:  # each service's own error type carries the message
            errors.append(getattr(exc, "message", None) or " ".join(getattr(exc, "messages", [str(exc)])))
    return errors


def test_nothing_is_stored_for_any_file_of_the_corpus(people, settings):
    import time_machine

    from awards.calendar import BEIJING

    root = settings.PRIVATE_MEDIA_ROOT
    with time_machine.travel(__import__("datetime").datetime(2026, 6, 1, 10, 0, tzinfo=BEIJING), tick=False):
        rows, disk = _rows(), _disk(root)
        for label, name, data in corpus():
            if name.endswith((".exe", ".svg")):
                continue  # refused by extension before any service is reached (test above)
            errors = _store_through_services(people, name, data)
            assert None not in errors, f"{label} was stored by a service: {errors}"
            assert all(CJK.search(e) for e in errors), f"{label}: {errors}"
            assert _rows() == rows, label
            assert _disk(root) == disk, label
        # Both sides: a plain PDF is stored by every service.
        assert None in _store_through_services(people, "报告.pdf", pdf_bytes())
        assert _rows() != rows


@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd.pdf", "..\\..\\windows\\system32.pdf", "/etc/cron.d/x.pdf", "报" * 600 + ".pdf"],
    ids=["dot-dot slash", "dot-dot backslash", "absolute", "600 characters"],
)
def test_traversal_and_long_names_are_stored_under_a_bounded_safe_name(people, name):
    from filings.enums import MaterialItem
    from filings.services.editing import upload_materials
    from supervision.guidance import services as guidance
    from supervision.guidance.enums import Category
    from supervision.guidance.models import Attachment

    (material,) = upload_materials(
        people["member"], people["filing"], MaterialItem.SELF_REVIEW, [SimpleUploadedFile(name, pdf_bytes())]
    )
    guidance.ask(
        people["member"],
        subject="咨询",
        category=Category.SELF_REVIEW,
        text="问题",
        files=[SimpleUploadedFile(name, pdf_bytes())],
    )
    attachment = Attachment.objects.get()
    for stored in (material.file.name, attachment.file.name):
        assert ".." not in stored and "\\" not in stored and not stored.startswith("/"), stored
        assert len(stored) <= 200, stored
    for original in (material.original_name, attachment.original_name):
        assert len(original) <= 255


UPLOAD_DOWNLOADS = {
    "filings:download": ("material", "token", "unit_a"),
    "guidance:download": ("guidance_attachment", "token", "unit_a"),
    "notices:download": ("notice_attachment", "token", "unit_a"),
    "awards:pledge": ("nomination", "public_id", "inst_a"),
    "staff:awards_nomination_pledge": ("nomination", "public_id", "nrta_hn"),
    "staff:inspections_evidence": ("evidence", "token", "mct_hn"),
}


def test_every_uploaded_file_is_served_as_an_attachment_never_inline():
    """Whatever a file slipped past the checks would carry, the portal never renders it: attachment + nosniff."""
    import time_machine
    from django.test import Client
    from django.urls import reverse

    from tests.security.test_url_matrix import NOW, body
    from tests.security.urltable import object_patterns
    from tests.security.world import build

    downloads = {p.key for p in object_patterns() if p.key.endswith(("download", "pledge", "evidence"))}
    assert downloads == set(UPLOAD_DOWNLOADS), "a new download of uploaded files: add it here"
    with time_machine.travel(NOW, tick=False):
        world = build()
        for key, (obj, arg, role) in UPLOAD_DOWNLOADS.items():
            client = Client()
            client.force_login(world.users[role])
            response = client.get(reverse(key, kwargs={arg: getattr(world[obj], arg)}))
            assert response.status_code == 200, key
            assert response["Content-Disposition"].startswith("attachment;"), key
            assert response["X-Content-Type-Options"] == "nosniff", key
            assert body(response), key


PAGE_SAMPLE = (
    "ELF renamed .pdf",
    "PNG with a zip appended (polyglot)",
    "PDF with /OpenAction JavaScript",
    "PNG decompression bomb (400 megapixels)",
)


def test_through_the_pages_the_refusal_is_shown_and_nothing_is_stored(people, settings):
    """The applicant's pages (the editor's 材料 and 新建咨询) say why, beside the field, and store nothing."""
    from django.test import Client
    from django.urls import reverse

    from filings.enums import MaterialItem
    from tests.filings.helpers import browser_post

    client = Client()
    client.force_login(people["member"])
    root = settings.PRIVATE_MEDIA_ROOT
    samples = [item for item in corpus() if item[0] in PAGE_SAMPLE]
    assert len(samples) == len(PAGE_SAMPLE)
    rows, disk = _rows(), _disk(root)
    for label, name, data in samples:
        editor = browser_post(
            client,
            reverse("filings:edit", args=[people["filing"].public_id]),
            "save:materials",
            files={f"material-{MaterialItem.SELF_REVIEW}": SimpleUploadedFile(name, data)},
        )
        asked = client.post(
            reverse("guidance:new"),
            {
                "subject": "咨询",
                "category": "self_review",
                "text": "问题",
                "attachments": [SimpleUploadedFile(name, data)],
            },
        )
        for response in (editor, asked):
            page = response.content.decode()
            assert response.status_code in (200, 400), label
            assert any(word in page for word in ("不能上传", "不符", "过大", "损坏")), label
        assert _rows() == rows, label
        assert _disk(root) == disk, label
    # Both sides: a plain PDF through the same page is stored.
    browser_post(
        client,
        reverse("filings:edit", args=[people["filing"].public_id]),
        "save:materials",
        files={f"material-{MaterialItem.SELF_REVIEW}": SimpleUploadedFile("自审报告.pdf", pdf_bytes())},
    )
    assert _rows()["filings.Material"] == rows["filings.Material"] + 1
