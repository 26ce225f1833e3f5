from datetime import date

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core.management import CommandError, call_command

from accounts.enums import LicenceStatus
from accounts.models import AuditEvent, LegacyLicence
from accounts.services.licences import (
    LicenceImportError,
    decode_csv_bytes,
    import_licences,
    parse_date,
    resolve_region,
)
from tests.factories import LegacyLicenceFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = "licence_no,unit_name,credit_code,scope,valid_from,valid_to,province,account,password,status\n"
ROW_A = "湘网文〔2024〕0101-001号,长沙示例演艺有限公司,91430100MA4L678907,网络演出剧（节）目、网络音乐,2024-01-01,2028-12-31,湖南,legacy-a,Secret2026abc,有效\n"
ROW_B = "京网文〔2023〕0202-002号,北京示例文化有限公司,91430100MA4L12345A,网络音乐,2023/3/1,2026/2/28,110000,legacy-b,Secret2026def,\n"
ROW_C = "粤网文〔2022〕0303-003号,广州示例科技有限公司,91430100MA4L12345A,网络演出剧(节)目,20220101,20241231,粤,legacy-c,Secret2026ghi,已吊销\n"


def csv_bytes(*rows: str, encoding: str = "utf-8", bom: bool = False, header: str = HEADER) -> bytes:
    text = header + "".join(rows)
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def test_import_utf8_without_bom_creates_licences_with_hashed_passwords():
    result = import_licences(csv_bytes(ROW_A, ROW_B))

    assert result.summary() == "新增 2 条，更新 0 条，拒绝 0 条"
    assert result.encoding == "utf-8"
    a = LegacyLicence.objects.get(licence_no="湘网文〔2024〕0101-001号")
    assert a.unit_name == "长沙示例演艺有限公司"
    assert a.credit_code == "91430100MA4L678907"
    assert a.province == "430000"
    assert a.valid_from == date(2024, 1, 1)
    assert a.valid_to == date(2028, 12, 31)
    assert a.status == LicenceStatus.VALID
    assert a.password_hash != "Secret2026abc"
    assert check_password("Secret2026abc", a.password_hash)
    b = LegacyLicence.objects.get(account="legacy-b")
    assert (b.province, b.valid_from, b.valid_to) == ("110000", date(2023, 3, 1), date(2026, 2, 28))


def test_import_utf8_with_excel_bom_reads_first_column():
    result = import_licences(csv_bytes(ROW_A, bom=True))

    assert result.summary() == "新增 1 条，更新 0 条，拒绝 0 条"
    assert LegacyLicence.objects.filter(licence_no="湘网文〔2024〕0101-001号").exists()


def test_import_gb18030_is_detected():
    data = csv_bytes(ROW_A, ROW_C, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    result = import_licences(data)

    assert result.encoding == "gb18030"
    assert result.summary() == "新增 2 条，更新 0 条，拒绝 0 条"
    c = LegacyLicence.objects.get(account="legacy-c")
    assert c.unit_name == "广州示例科技有限公司"
    assert c.status == LicenceStatus.REVOKED
    assert c.province == "440000"
    assert c.scope == "网络演出剧(节)目"


def test_import_chinese_headers_and_password_hash_column():
    header = "许可证编号,单位名称,统一社会信用代码,经营范围,有效期自,有效期至,发证省份,原平台账号,密码哈希\n"
    hashed = make_password("FromOldSystem1")
    row = f"湘网文〔2024〕0999-001号,示例单位,91430100MA4L678907,网络演出剧（节）目,2024年1月1日,2028年12月31日,430000,old-acc,{hashed}\n"

    result = import_licences(csv_bytes(row, header=header))

    assert result.summary() == "新增 1 条，更新 0 条，拒绝 0 条"
    licence = LegacyLicence.objects.get(account="old-acc")
    assert licence.password_hash == hashed
    assert licence.valid_from == date(2024, 1, 1)


def test_import_reimport_is_idempotent_and_updates():
    import_licences(csv_bytes(ROW_A, ROW_B))
    first_hash = LegacyLicence.objects.get(account="legacy-a").password_hash

    again = import_licences(csv_bytes(ROW_A, ROW_B))

    assert again.summary() == "新增 0 条，更新 2 条，拒绝 0 条"
    assert LegacyLicence.objects.count() == 2
    # The same clear password keeps the stored hash.
    assert LegacyLicence.objects.get(account="legacy-a").password_hash == first_hash

    changed = ROW_A.replace("2028-12-31", "2029-06-30").replace("Secret2026abc", "NewSecret2027x")
    third = import_licences(csv_bytes(changed))

    assert third.summary() == "新增 0 条，更新 1 条，拒绝 0 条"
    a = LegacyLicence.objects.get(account="legacy-a")
    assert a.valid_to == date(2029, 6, 30)
    assert check_password("NewSecret2027x", a.password_hash)
    assert LegacyLicence.objects.count() == 2


def test_import_reports_every_bad_row_with_line_number_and_reason():
    bad_code = ROW_B.replace("91430100MA4L12345A", "91430100MA4L12345B").replace("legacy-b", "legacy-x")
    bad_date = (
        "湘网文〔2024〕0105,单位五,91430100MA4L678907,网络音乐,2024-13-01,2028-12-31,湖南,legacy-5,Pw2026abcdef,\n"
    )
    bad_province = (
        "湘网文〔2024〕0106,单位六,91430100MA4L678907,网络音乐,2024-01-01,2028-12-31,火星,legacy-6,Pw2026abcdef,\n"
    )
    missing = "湘网文〔2024〕0107,,91430100MA4L678907,网络音乐,2024-01-01,2028-12-31,湖南,,Pw2026abcdef,\n"
    reversed_dates = (
        "湘网文〔2024〕0108,单位八,91430100MA4L678907,网络音乐,2028-01-01,2024-12-31,湖南,legacy-8,Pw2026abcdef,\n"
    )
    bad_status = (
        "湘网文〔2024〕0109,单位九,91430100MA4L678907,网络音乐,2024-01-01,2028-12-31,湖南,legacy-9,Pw2026abcdef,注销\n"
    )
    no_password = "湘网文〔2024〕0110,单位十,91430100MA4L678907,网络音乐,2024-01-01,2028-12-31,湖南,legacy-10,,\n"
    dup_account = ROW_B.replace("京网文〔2023〕0202-002号", "京网文〔2023〕9999").replace("legacy-b", "legacy-a")

    result = import_licences(
        csv_bytes(
            ROW_A,
            bad_code,
            "\n",
            bad_date,
            bad_province,
            missing,
            reversed_dates,
            bad_status,
            no_password,
            dup_account,
        )
    )

    assert result.created == 1
    assert result.updated == 0
    assert result.summary() == "新增 1 条，更新 0 条，拒绝 8 条"
    lines = {row.line: row.reasons for row in result.rejected}
    assert sorted(lines) == [3, 5, 6, 7, 8, 9, 10, 11]  # line 4 is blank and skipped
    assert lines[3] == ["统一社会信用代码“91430100MA4L12345B”无效：统一社会信用代码校验位不正确，请核对后重新输入。"]
    assert lines[5] == ["有效期自“2024-13-01”不是有效日期（应为 YYYY-MM-DD）"]
    assert lines[6] == ["发证省份“火星”无法识别"]
    assert lines[7] == ["缺少必填项：单位名称、原平台账号"]
    assert lines[8] == ["有效期至早于有效期自"]
    assert lines[9] == ["状态“注销”无法识别（应为 有效 或 已吊销）"]
    assert lines[10] == ["新增许可证须填写密码或密码哈希"]
    assert lines[11] == ["原平台账号与第 2 行重复"]
    assert str(result.rejected[0]) == (
        "第 3 行（许可证编号 京网文〔2023〕0202-002号）：统一社会信用代码“91430100MA4L12345B”无效："
        "统一社会信用代码校验位不正确，请核对后重新输入。"
    )
    assert list(LegacyLicence.objects.values_list("account", flat=True)) == ["legacy-a"]


def test_import_account_must_stay_unique_across_licence_numbers():
    LegacyLicenceFactory(licence_no="OLD-1", account="legacy-a")

    result = import_licences(csv_bytes(ROW_A))

    assert result.summary() == "新增 0 条，更新 0 条，拒绝 1 条"
    assert result.rejected[0].reasons == ["原平台账号“legacy-a”已属于许可证 OLD-1"]
    assert LegacyLicence.objects.count() == 1


def test_import_duplicate_licence_number_in_file_rejects_later_row():
    second = ROW_A.replace("legacy-a", "legacy-a2")

    result = import_licences(csv_bytes(ROW_A, second))

    assert result.summary() == "新增 1 条，更新 0 条，拒绝 1 条"
    assert result.rejected[0].line == 3
    assert result.rejected[0].reasons == ["许可证编号与第 2 行重复"]


def test_import_claimed_licence_cannot_change_credit_code():
    licence = LegacyLicenceFactory(licence_no="湘网文〔2024〕0101-001号", account="legacy-a")
    OrganisationFactory(credit_code=licence.credit_code, licence=licence)
    moved = ROW_A.replace("91430100MA4L678907", "91430100MA4L12345A")

    result = import_licences(csv_bytes(moved))

    assert result.rejected[0].reasons == ["该许可证已被单位激活，不能更改统一社会信用代码"]
    licence.refresh_from_db()
    assert licence.credit_code == "91430100MA4L678907"


def test_import_missing_columns_rejects_the_file():
    with pytest.raises(LicenceImportError) as info:
        import_licences(b"licence_no,unit_name\nA,B\n")
    assert info.value.message.startswith("缺少列：credit_code, scope, valid_from")


def test_import_empty_file_is_an_error():
    with pytest.raises(LicenceImportError) as info:
        import_licences(b"")
    assert info.value.message == "文件为空。"


def test_import_dry_run_changes_nothing():
    result = import_licences(csv_bytes(ROW_A), dry_run=True)

    assert result.summary() == "新增 1 条，更新 0 条，拒绝 0 条"
    assert LegacyLicence.objects.count() == 0


def test_import_writes_an_audit_record():
    import_licences(csv_bytes(ROW_A, ROW_B.replace("91430100MA4L12345A", "X")), source="list.csv")

    event = AuditEvent.objects.get(action="licence.imported")
    assert event.target == "list.csv"
    assert event.detail == {"created": 1, "updated": 0, "rejected": 1, "encoding": "utf-8"}


def test_decode_csv_bytes_prefers_utf8_then_gb18030():
    assert decode_csv_bytes("网络".encode()) == ("网络", "utf-8")
    assert decode_csv_bytes(b"\xef\xbb\xbf" + "网络".encode()) == ("网络", "utf-8")
    assert decode_csv_bytes("网络".encode("gb18030")) == ("网络", "gb18030")


def test_resolve_region_accepts_code_name_short_name_and_abbreviation():
    assert [resolve_region(v) for v in ("430000", "湖南省", "湖南", "湘", "兵团", "x", "")] == [
        "430000",
        "430000",
        "430000",
        "430000",
        "660000",
        None,
        None,
    ]


def test_parse_date_formats():
    assert parse_date("2024-1-2") == date(2024, 1, 2)
    assert parse_date("2024/01/02") == date(2024, 1, 2)
    assert parse_date("2024.01.02") == date(2024, 1, 2)
    assert parse_date("2024年1月2日") == date(2024, 1, 2)
    assert parse_date("20240102") == date(2024, 1, 2)
    assert parse_date("2024-02-30") is None
    assert parse_date("tomorrow") is None


# --- the management command -----------------------------------------------------------


def test_import_command_prints_summary(tmp_path, capsys):
    path = tmp_path / "licences.csv"
    path.write_bytes(csv_bytes(ROW_A, ROW_B, bom=True))

    call_command("import_licences", str(path))

    assert capsys.readouterr().out.strip() == "新增 2 条，更新 0 条，拒绝 0 条"
    assert LegacyLicence.objects.count() == 2


def test_import_command_fails_on_rejected_rows_unless_allowed(tmp_path, capsys):
    path = tmp_path / "licences.csv"
    path.write_bytes(csv_bytes(ROW_A, ROW_B.replace("110000", "999999"), encoding="gb18030"))

    with pytest.raises(CommandError) as info:
        call_command("import_licences", str(path))
    assert info.value.returncode == 2
    captured = capsys.readouterr()
    assert captured.out.strip() == "新增 1 条，更新 0 条，拒绝 1 条"
    assert captured.err.strip() == "第 3 行（许可证编号 京网文〔2023〕0202-002号）：发证省份“999999”无法识别"

    call_command("import_licences", str(path), "--allow-errors")
    assert capsys.readouterr().out.strip() == "新增 0 条，更新 1 条，拒绝 1 条"
    assert LegacyLicence.objects.count() == 1


def test_import_command_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("import_licences", str(tmp_path / "nope.csv"))
    assert "无法读取文件" in str(info.value)
