"""``manage.py demo``: demonstration accounts and data for a first run (never in production).

Idempotent: a re-run updates the same rows (and resets passwords and the demo
states) instead of adding new ones. Every account's password is
``Demo2026portal``. After the accounts, each programme app may add its own
demo data: for each module path in DEMO_APPS, if the module
``<module>.demo`` exists its ``populate(stdout)`` is called.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from datetime import date

from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from accounts.enums import Authority, InstitutionType, LicenceStatus, OrganisationKind, StaffLevel
from accounts.models import LegacyLicence, Organisation, StaffProfile, User
from common import regions

PASSWORD = "Demo2026portal"
DEMO_APPS = (
    "review",
    "filings",
    "awards",
    "supervision.inspections",
    "supervision.guidance",
    "supervision.notices",
)
SCOPE = "网络演出剧（节）目、网络音乐、网络表演、网络动漫"


def credit_code(base17: str) -> str:
    """A valid unified social credit code from its first 17 characters."""
    return base17 + uscc.calc_check_digit(base17)


def resident_id(base17: str) -> str:
    """A valid resident ID number from its first 17 digits (stdnum's function expects a placeholder)."""
    return base17 + ric.calc_check_digit(base17 + "0")


# Fixed demo identities (the check characters are computed, so they are always valid).
ACTIVE_UNIT = {
    "name": "湖南示例文化传媒有限公司",
    "credit_code": "91430100MA4L678907",
    "phone": "13800000001",
    "person": "李明",
}
INACTIVE_UNIT = {
    "name": "湖南未激活文化有限公司",
    "credit_code": credit_code("91430102MA4P8N2K3"),
    "phone": "13800000002",
    "person": "王芳",
}
INSTITUTION = {
    "name": "湖南示例网络视听机构",
    "credit_code": credit_code("12430000MB1C2345X"),
    "account": "instdemo",
    "person": "周敏",
    "email": "instdemo@example.cn",
    "phone": "13800000003",
}
PERSON = {
    "name": "陈晓雨",
    "id_number": resident_id("43010219900307002"),
    "account": "persondemo",
    "email": "persondemo@example.cn",
    "phone": "13800000004",
}

STAFF = (
    # username, full name, authority, level, province
    ("mct-hunan", "湖南文旅审核员", Authority.MCT, StaffLevel.PROVINCE, "430000"),
    ("mct-beijing", "北京文旅审核员", Authority.MCT, StaffLevel.PROVINCE, "110000"),
    ("nrta-hunan", "湖南广电审核员", Authority.NRTA, StaffLevel.PROVINCE, "430000"),
    ("nrta-beijing", "北京广电审核员", Authority.NRTA, StaffLevel.PROVINCE, "110000"),
    ("mct-ministry", "文旅部市场管理司工作人员", Authority.MCT, StaffLevel.MINISTRY, ""),
    ("nrta-ministry", "广电总局工作人员", Authority.NRTA, StaffLevel.MINISTRY, ""),
    ("expert-1", "评审专家一", Authority.NRTA, StaffLevel.EXPERT, ""),
)

LICENCES = (
    # licence_no, unit, credit code, scope, valid from, valid to, account, status
    (
        "湘网文〔2024〕0001-001号",
        ACTIVE_UNIT["name"],
        ACTIVE_UNIT["credit_code"],
        SCOPE,
        date(2024, 1, 1),
        date(2028, 12, 31),
        "legacy-hunan-demo",
        LicenceStatus.VALID,
    ),
    (
        "湘网文〔2024〕0002-001号",
        "长沙星光演艺有限公司",
        "91430100MA4L12345A",
        SCOPE,
        date(2024, 6, 1),
        date(2028, 12, 31),
        "legacy-hunan-001",
        LicenceStatus.VALID,
    ),
    (
        "湘网文〔2025〕0003-001号",
        INACTIVE_UNIT["name"],
        INACTIVE_UNIT["credit_code"],
        SCOPE,
        date(2025, 1, 1),
        date(2028, 12, 31),
        "legacy-hunan-002",
        LicenceStatus.VALID,
    ),
    (
        "湘网文〔2020〕0004-001号",
        INACTIVE_UNIT["name"],
        INACTIVE_UNIT["credit_code"],
        SCOPE,
        date(2020, 1, 1),
        date(2023, 12, 31),
        "legacy-hunan-expired",
        LicenceStatus.VALID,
    ),
    (
        "湘网文〔2023〕0005-001号",
        INACTIVE_UNIT["name"],
        INACTIVE_UNIT["credit_code"],
        SCOPE,
        date(2023, 1, 1),
        date(2028, 12, 31),
        "legacy-hunan-revoked",
        LicenceStatus.REVOKED,
    ),
    (
        "湘网文〔2024〕0006-001号",
        INACTIVE_UNIT["name"],
        INACTIVE_UNIT["credit_code"],
        "网络音乐、网络游戏",
        date(2024, 1, 1),
        date(2028, 12, 31),
        "legacy-hunan-noscope",
        LicenceStatus.VALID,
    ),
)


class Command(BaseCommand):
    help = "创建演示账号和数据（密码均为 Demo2026portal）；可重复运行。Never under production settings."

    def handle(self, *args, **options):
        if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production"):
            raise CommandError("demo 不能在生产环境配置下运行 (DJANGO_SETTINGS_MODULE=*.production).")
        self._hash = make_password(PASSWORD)
        self.rows: list[tuple[str, str, str]] = []
        with transaction.atomic():
            admin = self._admin()
            self._staff(admin)
            self._licences()
            self._active_unit()
            self._inactive_unit()
            self._institution()
            self._person()
        for label in DEMO_APPS:
            self._populate(label)
        self._print_table()

    # --- helpers ---------------------------------------------------------------
    def _password(self, user: User) -> None:
        # Keep the stored hash when it already matches (re-runs change nothing).
        if not user.password or not check_password(PASSWORD, user.password):
            user.password = self._hash

    def _user(self, username: str, **fields) -> User:
        user = User.objects.filter(username__iexact=username).first() or User(username=username)
        for name, value in fields.items():
            setattr(user, name, value)
        user.is_active = True
        user.cancelled_at = None
        self._password(user)
        user.save()
        return user

    def _organisation(self, lookup: dict, **fields) -> Organisation:
        org = Organisation.objects.filter(**lookup).first() or Organisation(**lookup)
        for name, value in fields.items():
            setattr(org, name, value)
        org.save()
        return org

    # --- accounts --------------------------------------------------------------
    def _admin(self) -> User:
        user = self._user("admin", full_name="系统管理员", email="admin@example.cn", is_staff=True, is_superuser=True)
        self.rows.append(("admin", "系统管理员（/admin/）", "-"))
        return user

    def _staff(self, admin: User) -> None:
        for username, full_name, authority, level, province in STAFF:
            user = self._user(
                username,
                full_name=full_name,
                email=f"{username}@example.cn",
                is_staff=False,
                is_superuser=False,
                organisation=None,
                phone=None,
            )
            StaffProfile.objects.update_or_create(
                user=user,
                defaults={"authority": authority, "level": level, "province": province, "created_by": admin},
            )
            role = f"{Authority(authority).label} {StaffLevel(level).label}"
            self.rows.append((username, role, regions.name(province) or "-"))

    def _licences(self) -> None:
        for no, unit, code, scope, valid_from, valid_to, account, status in LICENCES:
            licence = LegacyLicence.objects.filter(licence_no=no).first() or LegacyLicence(licence_no=no)
            licence.unit_name, licence.credit_code, licence.scope = unit, code, scope
            licence.valid_from, licence.valid_to, licence.province = valid_from, valid_to, "430000"
            licence.account, licence.status = account, status
            if not licence.password_hash or not check_password(PASSWORD, licence.password_hash):
                licence.password_hash = self._hash
            licence.save()

    def _active_unit(self) -> None:
        licence = LegacyLicence.objects.get(account="legacy-hunan-demo")
        org = self._organisation(
            {"credit_code": ACTIVE_UNIT["credit_code"]},
            kind=OrganisationKind.ENTERPRISE,
            name=ACTIVE_UNIT["name"],
            province="430000",
            contact_name=ACTIVE_UNIT["person"],
            contact_phone=ACTIVE_UNIT["phone"],
        )
        # The licence belongs to this unit only.
        Organisation.objects.filter(licence=licence).exclude(pk=org.pk).update(licence=None, activated_at=None)
        if org.licence_id != licence.pk or org.activated_at is None:
            org.licence, org.activated_at = licence, timezone.now()
            org.save(update_fields=["licence", "activated_at"])
        self._member(org, ACTIVE_UNIT)
        self.rows.append((ACTIVE_UNIT["phone"], "经营单位管理员（已激活资质）", ACTIVE_UNIT["name"]))

    def _inactive_unit(self) -> None:
        org = self._organisation(
            {"credit_code": INACTIVE_UNIT["credit_code"]},
            kind=OrganisationKind.ENTERPRISE,
            name=INACTIVE_UNIT["name"],
            province="430000",
            contact_name=INACTIVE_UNIT["person"],
            contact_phone=INACTIVE_UNIT["phone"],
            licence=None,
            activated_at=None,
        )
        self._member(org, INACTIVE_UNIT)
        self.rows.append(
            (INACTIVE_UNIT["phone"], "经营单位管理员（未激活，可用 legacy-hunan-002 激活）", INACTIVE_UNIT["name"])
        )

    def _member(self, org: Organisation, spec: dict) -> User:
        user = self._user(
            spec["phone"],
            phone=spec["phone"],
            full_name=spec["person"],
            organisation=org,
            email="",
            is_staff=False,
            is_superuser=False,
        )
        if org.administrator_id != user.pk:
            org.administrator = user
            org.save(update_fields=["administrator"])
        return user

    def _institution(self) -> None:
        spec = INSTITUTION
        org = self._organisation(
            {"credit_code": spec["credit_code"]},
            kind=OrganisationKind.INSTITUTION,
            name=spec["name"],
            institution_type=InstitutionType.PUBLIC,
            province="430000",
            email=spec["email"],
            contact_name=spec["person"],
            contact_phone=spec["phone"],
        )
        user = self._user(
            spec["account"],
            full_name=spec["person"],
            email=spec["email"],
            phone=spec["phone"],
            organisation=org,
            is_staff=False,
            is_superuser=False,
        )
        if org.administrator_id != user.pk:
            org.administrator = user
            org.save(update_fields=["administrator"])
        self.rows.append((spec["account"], "机构申报人（事业单位）", spec["name"]))

    def _person(self) -> None:
        spec = PERSON
        user = User.objects.filter(username__iexact=spec["account"]).first()
        org = user.organisation if user is not None and user.organisation_id else None
        if org is None:
            org = Organisation(kind=OrganisationKind.INDIVIDUAL)
        org.name, org.province = spec["name"], spec["id_number"][:2] + "0000"
        org.email, org.contact_name, org.contact_phone = spec["email"], spec["name"], spec["phone"]
        org.save()
        user = self._user(
            spec["account"],
            full_name=spec["name"],
            email=spec["email"],
            phone=spec["phone"],
            organisation=org,
            is_staff=False,
            is_superuser=False,
        )
        if user.id_number != spec["id_number"]:
            user.set_id_number(spec["id_number"])
        if user.personal_info_consent_at is None:
            user.personal_info_consent_at = timezone.now()
        user.save()
        if org.administrator_id != user.pk:
            org.administrator = user
            org.save(update_fields=["administrator"])
        self.rows.append((spec["account"], "个人申报人", spec["name"]))

    # --- other apps ------------------------------------------------------------
    def _populate(self, label: str) -> None:
        name = f"{label}.demo"
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            return
        module = importlib.import_module(name)
        populate = getattr(module, "populate", None)
        if callable(populate):
            populate(self.stdout)

    def _print_table(self) -> None:
        rows = [("账号", "角色", "单位 / 省份"), *self.rows]
        widths = [max(_width(r[i]) for r in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {PASSWORD}）：")
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write(
            "可用于资质激活的原平台账号（密码同上）：legacy-hunan-002（湖南未激活文化有限公司，可成功激活）、"
            "legacy-hunan-001（长沙星光演艺有限公司，未被激活）、legacy-hunan-expired（已过期）、"
            "legacy-hunan-revoked（已吊销）、legacy-hunan-noscope（经营范围不含网络演出剧（节）目）"
        )


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
