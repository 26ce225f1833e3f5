"""CSV import of the platform list: encodings, idempotence, per-row errors with line numbers."""

import pytest

from awards.enums import PlatformStatus
from awards.models import Platform
from awards.services.platforms import PlatformImportError, import_platforms

CSV = "平台名称,许可证或备案编号,状态\n爱奇艺,0110531,有效\n腾讯视频,0305081,\n老平台,0999999,停用\n"


def rows():
    return sorted(Platform.objects.values_list("name", "licence_or_filing_number", "status"))


@pytest.mark.parametrize(
    "data",
    [CSV.encode("utf-8"), b"\xef\xbb\xbf" + CSV.encode("utf-8"), CSV.encode("gb18030")],
    ids=["utf-8", "utf-8-bom", "gb18030"],
)
def test_import_reads_utf8_bom_and_gb18030(db, data):
    result = import_platforms(data)

    assert (result.created, result.updated, result.rejected) == (3, 0, [])
    assert rows() == [
        ("爱奇艺", "0110531", PlatformStatus.ACTIVE),
        ("老平台", "0999999", PlatformStatus.INACTIVE),
        ("腾讯视频", "0305081", PlatformStatus.ACTIVE),
    ]


def test_import_is_idempotent_and_updates(db):
    import_platforms(CSV.encode())
    again = import_platforms(CSV.encode())
    changed = import_platforms("name,licence_or_filing_number,status\n爱奇艺,0110531-新,active\n")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (changed.created, changed.updated) == (0, 1)
    assert Platform.objects.count() == 3
    assert Platform.objects.get(name="爱奇艺").licence_or_filing_number == "0110531-新"


def test_import_reports_each_bad_row_with_its_line(db):
    data = "平台名称,备案编号,状态\n好平台,1,有效\n,2,有效\n坏状态,3,作废\n好平台,4,有效\n" + "长" * 101 + ",5,\n"

    result = import_platforms(data)

    assert result.created == 1
    assert [str(r) for r in result.rejected] == [
        "第 3 行：缺少必填项：平台名称",
        "第 4 行（坏状态）：状态“作废”无法识别（应为 有效 或 停用）",
        "第 5 行（好平台）：平台名称与第 2 行重复",
        f"第 6 行（{'长' * 101}）：平台名称超过100个字符",
    ]
    assert rows() == [("好平台", "1", PlatformStatus.ACTIVE)]


def test_import_dry_run_changes_nothing(db):
    result = import_platforms(CSV.encode(), dry_run=True)

    assert result.created == 3 and Platform.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "文件为空。"), ("备案编号\n1\n".encode(), "缺少列：name"), (b"\xff\xfe\x00\xd8bad", "无法识别文件编码")],
)
def test_import_refuses_unreadable_files(db, data, message):
    with pytest.raises(PlatformImportError, match=message):
        import_platforms(data)
