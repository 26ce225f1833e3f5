"""The volume generator behind ``manage.py generate_volume``: national-scale data for statistics and benchmarks.

Writes, in batches of ``bulk_create`` inside one transaction per chunk, data that holds every database
constraint and reads like the real thing:

* units (经营单位) spread over all provinces, 20 % in 湖南, each with an administrator and a licence;
* filings (国产 / 进口) of the last two years in every state (草稿, 待受理, 审核中, 已通过, 未通过, 退回修改)
  with their application version, one session, the review records of each step (the decision's record carries
  the decision time, as ``Filing.decided_at`` does), reference numbers unique per prefix, province and year
  (the counters in ``review.Sequence`` are moved past them, so later real submissions go on from there),
  certificates of approved domestic programmes, and change requests (变更) of some approved programmes;
* NRTA nominations over the last 8 quarters (机构类), to their province's bureau, with 推荐 within each
  province's quota (``QuotaLedger.used`` is the count of recommended works; 湖南 had its quota raised),
  structured 退回修改 / 不推荐 reasons (category + comment), expert scores of the recommended works.

Primary keys are allotted here (after the tables' current maximum), so that rows refer to each other without
a second pass of updates; the foreign keys are checked at commit (Django creates them deferrable) and the
PostgreSQL sequences are reset at the end. Run it on a quiet database (a benchmark or a test database): it is
not meant to interleave with live writes.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from stdnum.cn import uscc

from accounts.enums import Authority, OrganisationKind, StaffLevel
from accounts.models import LegacyLicence, Organisation, StaffProfile, User
from awards import bureaus
from awards.enums import NominationState, ProjectKind, ReasonCategory, WorkType
from awards.models import (
    ExpertAssignment,
    Nomination,
    Platform,
    Project,
    QuotaLedger,
    QuotaRaise,
    Score,
)
from awards.names import normalise_name
from common import regions
from filings.enums import FilingKind, FilingState, SessionType
from filings.models import ChangeRequest, Filing, FilingVersion, Session
from review.models import Certificate, ReviewRecord, Sequence

HUNAN = "430000"
HUNAN_SHARE = 0.20
CHUNK = 20_000  # filings per transaction
BATCH = 5_000  # rows per INSERT
EXPERTS = 7
QUOTA = 10
HUNAN_RAISED_QUOTA = 15
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

F = FilingState
N = NominationState

# (state, share) of filings; drafts have no reference.
FILING_STATES = (
    (F.DRAFT, 0.10),
    (F.SUBMITTED, 0.07),
    (F.REVIEWING, 0.07),
    (F.APPROVED, 0.56),
    (F.REJECTED, 0.08),
    (F.RETURNED, 0.12),
)
IMPORT_SHARE = 0.25
CHANGE_SHARE = 0.06  # of approved filings
REASON_COMMENTS = {
    ReasonCategory.BROADCAST_DATES: "首播日期不在本季度播出时间范围内。",
    ReasonCategory.INCOMPLETE: "缺少版权承诺书盖章页。",
    ReasonCategory.COPYRIGHT: "版权证明与出品机构不一致。",
    ReasonCategory.DUPLICATE: "同一作品已在本季度申报。",
    ReasonCategory.OTHER: "作品简介与内容不符。",
}
WORDS = ("湘江", "星光", "长河", "云端", "青春", "山海", "新声", "潮音", "古韵", "晨曦", "锦绣", "远方")
GENRES = ("音乐会", "戏剧专场", "曲艺晚会", "舞蹈展演", "民乐之夜", "交响音乐会", "脱口秀", "沉浸式演出")


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def _provinces() -> list[str]:
    return [r.code for r in regions.REGIONS]


def _credit_code(province: str, tag: str, index: int) -> str:
    """A valid unified social credit code for a unit of ``province`` (division = the province's capital)."""
    body = ""
    n = index
    for _ in range(6):
        body = _CREDIT_ALPHABET[n % 31] + body
        n //= 31
    base = "91" + province[:2] + "0100" + tag + body
    return base + uscc.calc_check_digit(base)


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class _Ids:
    """Primary keys allotted in Python after each table's maximum."""

    def __init__(self) -> None:
        self._next: dict[type, int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self._next:
            self._next[model] = _next_id(model)
        value = self._next[model]
        self._next[model] = value + 1
        return value


def _bulk(model: type[models.Model], rows: list, result: Result) -> None:
    if rows:
        model.objects.bulk_create(rows, batch_size=BATCH)
        result.add(model._meta.label, len(rows))


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _tag() -> str:
    """Two characters that no existing generated credit code carries (so a second run adds new units)."""
    for a in _CREDIT_ALPHABET[10:]:
        for b in _CREDIT_ALPHABET:
            tag = "G" + a + b
            if not Organisation.objects.filter(credit_code__regex=rf"^91\d{{6}}{tag}").exists():
                return tag
    raise RuntimeError("no free credit-code tag left")


def _phone_prefix() -> str:
    for second in range(3, 10):
        for third in range(10):
            prefix = f"1{second}{third}"
            if not User.objects.filter(phone__startswith=prefix + "9").exists():
                return prefix + "9"
    raise RuntimeError("no free phone prefix left")


# --- units ---------------------------------------------------------------------------------------------------


def make_units(count: int, rng: random.Random, ids: _Ids, result: Result) -> list[tuple[int, str, int]]:
    """(organisation id, province, administrator id) of ``count`` new activated enterprise units."""
    tag = _tag()
    phone_prefix = _phone_prefix()
    now = timezone.now()
    password = "!" + secrets.token_urlsafe(20)  # unusable: generated units never log in with a password
    orgs, users, licences, units = [], [], [], []
    others = [c for c in _provinces() if c != HUNAN]
    for i in range(count):
        # exactly 20 % in 湖南; the others spread over every other province
        province = HUNAN if i < round(count * HUNAN_SHARE) else others[i % len(others)]
        region = regions.get(province)
        org_id, user_id, licence_id = ids.take(Organisation), ids.take(User), ids.take(LegacyLicence)
        code = _credit_code(province, tag, i)
        name = f"{region.short_name}{rng.choice(WORDS)}{rng.choice(WORDS)}文化传媒有限公司（{tag}{i:06d}）"
        licences.append(
            LegacyLicence(
                id=licence_id,
                licence_no=f"{region.abbr}网文〔2024〕{tag}{i:06d}号",
                unit_name=name,
                credit_code=code,
                scope="网络演出剧（节）目、网络表演",
                valid_from=dt.date(2024, 1, 1),
                valid_to=dt.date(2029, 12, 31),
                province=province,
                account=f"gv-{tag}-{i:06d}",
                password_hash=password,
            )
        )
        orgs.append(
            Organisation(
                id=org_id,
                kind=OrganisationKind.ENTERPRISE,
                name=name,
                credit_code=code,
                province=province,
                administrator_id=user_id,
                licence_id=licence_id,
                activated_at=now - dt.timedelta(days=800),
                contact_name="联系人",
            )
        )
        phone = f"{phone_prefix}{i:07d}"
        users.append(
            User(
                id=user_id,
                username=phone,
                phone=phone,
                full_name=f"管理员{i}",
                organisation_id=org_id,
                password=password,
            )
        )
        units.append((org_id, province, user_id))
    with transaction.atomic():
        _bulk(LegacyLicence, licences, result)
        _bulk(User, users, result)  # administrator before its unit? both deferred: order does not matter
        _bulk(Organisation, orgs, result)
    return units


# --- filings -------------------------------------------------------------------------------------------------


class _Counters:
    """Reference sequences (``ref:WY:2026:430000`` …), continued from ``review.Sequence``."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {s.key: s.value for s in Sequence.objects.filter(key__startswith="ref:")}
        self.touched: set[str] = set()

    def next(self, key: str) -> int:
        value = self.values.get(key, 0) + 1
        self.values[key] = value
        self.touched.add(key)
        return value

    def save(self) -> None:
        existing = set(Sequence.objects.filter(key__in=self.touched).values_list("key", flat=True))
        Sequence.objects.bulk_create(
            [Sequence(key=k, value=self.values[k]) for k in sorted(self.touched - existing)], batch_size=BATCH
        )
        for key in sorted(self.touched & existing):
            Sequence.objects.filter(key=key).update(value=self.values[key])


def _pick(rng: random.Random, table) -> object:
    x, acc = rng.random(), 0.0
    for value, share in table:
        acc += share
        if x < acc:
            return value
    return table[-1][0]


def _record(ct: int, obj_id: int, kind: str, transition: str, label: str, frm: str, to: str, at, **extra):
    return ReviewRecord(
        content_type_id=ct,
        object_id=obj_id,
        kind=kind,
        transition=transition,
        action_label=label,
        from_state=frm,
        to_state=to,
        actor_name=extra.pop("actor_name", "审核人员"),
        actor_role=extra.pop("actor_role", "reviewer"),
        at=at,
        **extra,
    )


def _review_timeline(rng: random.Random, submitted: dt.datetime, now: dt.datetime, state: str):
    """(accepted_at, decided_at, final state) for a submitted filing; later states fall back when in the future."""
    accepted = submitted + dt.timedelta(hours=rng.uniform(2, 24 * 4))
    decided = accepted + dt.timedelta(hours=rng.lognormvariate(4.6, 0.7))  # median ≈ 4 days
    if state in (F.APPROVED, F.REJECTED, F.RETURNED) and decided > now:
        state = F.REVIEWING
    if state == F.REVIEWING and accepted > now:
        state = F.SUBMITTED
    return accepted, decided, state


def make_filings(
    count: int, units: list[tuple[int, str, int]], rng: random.Random, ids: _Ids, result: Result, say: Callable
) -> None:
    now = timezone.now()
    start = now - dt.timedelta(days=730)
    counters = _Counters()
    ct_filing = ContentType.objects.get_for_model(Filing).pk
    ct_change = ContentType.objects.get_for_model(ChangeRequest).pk
    hunan_units = [u for u in units if u[1] == HUNAN] or units
    other_units = [u for u in units if u[1] != HUNAN] or hunan_units
    done = 0
    while done < count:
        n = min(CHUNK, count - done)
        filings, versions, sessions, records, changes, certificates = [], [], [], [], [], []
        for i in range(done, done + n):
            org_id, province, user_id = rng.choice(hunan_units if rng.random() < HUNAN_SHARE else other_units)
            kind = FilingKind.IMPORT if rng.random() < IMPORT_SHARE else FilingKind.DOMESTIC
            state = _pick(rng, FILING_STATES)
            created = start + dt.timedelta(seconds=rng.uniform(0, 730 * 86400))
            filing_id, version_id = ids.take(Filing), ids.take(FilingVersion)
            name = f"{rng.choice(WORDS)}·{rng.choice(GENRES)}（第{i + 1}场）"
            wf = f"filing.{kind}"
            filing = Filing(
                id=filing_id,
                kind=kind,
                state=state,
                organisation_id=org_id,
                created_by_id=user_id,
                created_at=created,
                application_version_id=version_id,
            )
            submitted = None
            if state != F.DRAFT:
                submitted = created + dt.timedelta(hours=rng.uniform(1, 72))
                if submitted > now:
                    submitted = now - dt.timedelta(minutes=5)
                accepted, decided, state = _review_timeline(rng, submitted, now, state)
                filing.state = state
                prefix = "WY" if kind == FilingKind.DOMESTIC else "JK"
                year = timezone.localtime(submitted).year
                seq = counters.next(f"ref:{prefix}:{year}:{province}")
                filing.province = province
                filing.ref_year, filing.ref_seq = year, seq
                filing.reference = f"{prefix}-{regions.get(province).abbr}-{year}-{seq:06d}"
                filing.submitted_at = submitted
                records.append(
                    _record(
                        ct_filing,
                        filing_id,
                        wf,
                        "submit",
                        "提交",
                        F.DRAFT,
                        F.SUBMITTED,
                        submitted,
                        actor_name="申报单位",
                        actor_role="applicant",
                    )
                )
                if state in (F.REVIEWING, F.APPROVED, F.REJECTED, F.RETURNED):
                    records.append(
                        _record(ct_filing, filing_id, wf, "accept", "受理", F.SUBMITTED, F.REVIEWING, accepted)
                    )
                if state in (F.APPROVED, F.REJECTED):
                    filing.decided_at = decided
                    name_, label = ("approve", "通过") if state == F.APPROVED else ("reject", "不通过")
                    comment = "" if state == F.APPROVED else "演出内容简介与节目单不一致。"
                    records.append(
                        _record(ct_filing, filing_id, wf, name_, label, F.REVIEWING, state, decided, comment=comment)
                    )
                elif state == F.RETURNED:
                    records.append(
                        _record(
                            ct_filing,
                            filing_id,
                            wf,
                            "return",
                            "退回修改",
                            F.REVIEWING,
                            F.RETURNED,
                            decided,
                            comment="请补充演出监管预案。",
                        )
                    )
                if state == F.APPROVED:
                    filing.current_version_id = version_id
            versions.append(
                FilingVersion(
                    id=version_id,
                    filing_id=filing_id,
                    number=1,
                    created_at=created,
                    created_by_id=user_id,
                    filler_id=user_id,
                    email="contact@example.cn",
                    name=name,
                    safety_officer="安全负责人",
                    contact="演出联系人",
                    first_recorded=False,
                    replay=False,
                    platform=rng.choice(("芒果TV", "腾讯视频", "爱奇艺", "哔哩哔哩", "优酷")),
                    synopsis="线上演出，含节目单与演出流程。",
                    joint_broadcast=False,
                    pledged=state != F.DRAFT,
                    pledged_at=submitted,
                    basic_done=True,
                    programme_done=True,
                    performers_done=True,
                    sessions_done=True,
                    partners_done=True,
                    materials_done=state != F.DRAFT,
                )
            )
            sessions.append(
                Session(
                    id=ids.take(Session),
                    version_id=version_id,
                    name=f"{name}（首场）",
                    type=SessionType.LIVE,
                    starts_at=(submitted or created) + dt.timedelta(days=rng.uniform(3, 40)),
                    url="https://live.example.cn/show",
                )
            )
            filings.append(filing)
            if state == F.APPROVED and kind == FilingKind.DOMESTIC:
                certificates.append(
                    Certificate(
                        content_type_id=ct_filing,
                        object_id=filing_id,
                        kind=wf,
                        number=f"GV-{filing.reference}",
                        organisation_id=org_id,
                        province=province,
                        title=name,
                        reference=filing.reference,
                        issuing_department=regions.get(province).culture_dept,
                        issued_on=timezone.localtime(filing.decided_at).date(),
                    )
                )
            if state == F.APPROVED and rng.random() < CHANGE_SHARE:
                change = _change(rng, filing, name, now, ids, ct_change)
                if change is not None:
                    cr, version, recs = change
                    changes.append(cr)
                    versions.append(version)
                    records.extend(recs)
        with transaction.atomic():
            _bulk(Filing, filings, result)
            _bulk(FilingVersion, versions, result)
            _bulk(Session, sessions, result)
            _bulk(ChangeRequest, changes, result)
            _bulk(ReviewRecord, records, result)
            _bulk(Certificate, certificates, result)
        done += n
        say(f"  filings {done:,}/{count:,}")
    with transaction.atomic():
        counters.save()


def _change(rng, filing: Filing, name: str, now, ids: _Ids, ct: int):
    """A change request (变更) of an approved filing, in some state; its approved version becomes current."""
    submitted = filing.decided_at + dt.timedelta(days=rng.uniform(5, 90))
    if submitted > now:
        return None
    state = _pick(
        rng, ((F.SUBMITTED, 0.15), (F.REVIEWING, 0.1), (F.APPROVED, 0.6), (F.REJECTED, 0.05), (F.RETURNED, 0.1))
    )
    accepted, decided, state = _review_timeline(rng, submitted, now, state)
    change_id, version_id = ids.take(ChangeRequest), ids.take(FilingVersion)
    version = FilingVersion(
        id=version_id,
        filing_id=filing.id,
        number=2,
        created_at=submitted,
        name=name,
        safety_officer="安全负责人",
        contact="演出联系人",
        platform="芒果TV",
        synopsis="变更后的演出内容简介。",
        pledged=True,
        pledged_at=submitted,
    )
    change = ChangeRequest(
        id=change_id,
        state=state,
        filing_id=filing.id,
        organisation_id=filing.organisation_id,
        province=filing.province,
        created_by_id=filing.created_by_id,
        parts=["programme"],
        base_version_id=filing.application_version_id,
        version_id=version_id,
        submitted_at=submitted,
        created_at=submitted - dt.timedelta(hours=2),
        ref_seq=1,  # one change per programme here: its own reference, tied to the programme's
        reference=f"{filing.reference}-BG01",
    )
    wf = "filing.change"
    records = [
        _record(
            ct,
            change_id,
            wf,
            "submit",
            "提交",
            F.DRAFT,
            F.SUBMITTED,
            submitted,
            actor_name="申报单位",
            actor_role="applicant",
        )
    ]
    if state != F.SUBMITTED:
        records.append(_record(ct, change_id, wf, "accept", "受理", F.SUBMITTED, F.REVIEWING, accepted))
    if state in (F.APPROVED, F.REJECTED):
        change.decided_at = decided
        records.append(
            _record(
                ct,
                change_id,
                wf,
                "approve" if state == F.APPROVED else "reject",
                "通过" if state == F.APPROVED else "不通过",
                F.REVIEWING,
                state,
                decided,
            )
        )
        if state == F.APPROVED:
            filing.current_version_id = version_id
    elif state == F.RETURNED:
        records.append(
            _record(
                ct, change_id, wf, "return", "退回修改", F.REVIEWING, F.RETURNED, decided, comment="请补充变更说明。"
            )
        )
    return change, version, records


# --- nominations ---------------------------------------------------------------------------------------------


def _quarters(now: dt.datetime, count: int = 8) -> list[tuple[int, int]]:
    today = timezone.localdate(now)
    year, quarter = today.year, (today.month - 1) // 3 + 1
    result = []
    for _ in range(count):
        result.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return list(reversed(result))


def _project(year: int, quarter: int, created_by) -> Project:
    first = dt.date(year, 3 * quarter - 2, 1)
    last = (dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - dt.timedelta(days=1)
    project, _ = Project.objects.get_or_create(
        year=year,
        quarter=quarter,
        kind=ProjectKind.INSTITUTION,
        defaults={
            "title": f"{year}年第{quarter}季度网络视听节目推优（机构类）",
            "opens_at": timezone.make_aware(dt.datetime.combine(first, dt.time(9))),
            "applicant_deadline": last - dt.timedelta(days=20),
            "provincial_deadline": last - dt.timedelta(days=10),
            "window_start": first - dt.timedelta(days=90),
            "window_end": last,
            "created_by": created_by,
        },
    )
    return project


def _experts(ids: _Ids, result: Result) -> list[int]:
    users = []
    for n in range(1, EXPERTS + 1):
        user, _ = User.objects.get_or_create(
            username=f"gv-expert-{n}", defaults={"full_name": f"评审专家（生成）{n}", "password": "!"}
        )
        StaffProfile.objects.get_or_create(
            user=user, defaults={"authority": Authority.NRTA, "level": StaffLevel.EXPERT}
        )
        users.append(user.pk)
    return users


def make_nominations(
    count: int, units: list[tuple[int, str, int]], rng: random.Random, ids: _Ids, result: Result, say: Callable
) -> None:
    if count <= 0:
        return
    now = timezone.now()
    quarters = _quarters(now)
    current = quarters[-1]
    counters = _Counters()
    ct = ContentType.objects.get_for_model(Nomination).pk
    platforms = [
        Platform.objects.get_or_create(name=n)[0].pk for n in ("芒果TV", "腾讯视频", "爱奇艺", "哔哩哔哩", "优酷")
    ]
    experts = _experts(ids, result)
    hunan_units = [u for u in units if u[1] == HUNAN] or units
    other_units = [u for u in units if u[1] != HUNAN] or hunan_units
    per_quarter = [count // len(quarters) + (1 if i < count % len(quarters) else 0) for i in range(len(quarters))]
    existing_ledgers = {
        (q.year, q.quarter, q.province): q for q in QuotaLedger.objects.filter(year__gte=quarters[0][0])
    }
    serial = Nomination.objects.count()
    for (year, quarter), n in zip(quarters, per_quarter, strict=True):
        project = _project(year, quarter, None)
        is_current = (year, quarter) == current
        assignments = []
        for expert in experts:
            assignment, _ = ExpertAssignment.objects.get_or_create(year=year, quarter=quarter, expert_id=expert)
            assignments.append(assignment.pk)
        used: dict[str, int] = defaultdict(int)
        limits = {}
        for code in _provinces():
            ledger = existing_ledgers.get((year, quarter, code))
            limits[code] = ledger.limit if ledger else (HUNAN_RAISED_QUOTA if code == HUNAN else QUOTA)
            used[code] = ledger.used if ledger else 0
        nominations, records, scores = [], [], []
        first_day = dt.date(year, 3 * quarter - 2, 1)
        opens = timezone.make_aware(dt.datetime.combine(first_day, dt.time(9)))
        for _ in range(n):
            serial += 1
            org_id, province, user_id = rng.choice(hunan_units if rng.random() < HUNAN_SHARE else other_units)
            nom_id = ids.take(Nomination)
            submitted = min(opens + dt.timedelta(days=rng.uniform(0, 60)), now - dt.timedelta(hours=1))
            decided = submitted + dt.timedelta(days=rng.uniform(1, 15))
            # 推荐 while the province has places; the rest not recommended, returned or closed at the deadline.
            if is_current and decided > now:
                state = N.PENDING
            elif used[province] < limits[province] and rng.random() < 0.35:
                used[province] += 1
                state = N.PUBLISHED if not is_current and rng.random() < 0.3 else N.NOT_SELECTED
                if is_current:
                    state = N.RECOMMENDED
            else:
                state = _pick(rng, ((N.NOT_RECOMMENDED, 0.55), (N.RETURNED, 0.25), (N.CLOSED, 0.2)))
            name = f"{rng.choice(WORDS)}{rng.choice(('纪事', '之歌', '故事', '乡村', '新篇'))}（{year}Q{quarter}-{serial}）"
            seq = counters.next(f"ref:TY:{year}Q{quarter}:{province}")
            nom = Nomination(
                id=nom_id,
                state=state,
                project_id=project.pk,
                year=year,
                quarter=quarter,
                kind=ProjectKind.INSTITUTION,
                organisation_id=org_id,
                created_by_id=user_id,
                bureau=province,
                name=name,
                normalised_name=normalise_name(name),
                work_type=rng.choice(WorkType.values),
                episodes=rng.randint(1, 40),
                episode_minutes=Decimal("25.0"),
                total_minutes=Decimal("250.0"),
                first_broadcast=first_day - dt.timedelta(days=rng.randint(1, 80)),
                broadcast_end=first_day,
                platform_id=rng.choice(platforms),
                copyright_owner="版权所属机构",
                producer="出品机构",
                maker="制作机构",
                province=province,
                reference=f"TY-{bureaus.abbr(province)}-{year}Q{quarter}-{seq:04d}",
                ref_seq=seq,
                submitted_at=submitted,
                created_at=submitted - dt.timedelta(hours=3),
            )
            wf = "awards.institution"
            records.append(
                _record(
                    ct,
                    nom_id,
                    wf,
                    "submit",
                    "申报",
                    N.DRAFT,
                    N.PENDING,
                    submitted,
                    actor_name="申报单位",
                    actor_role="applicant",
                )
            )
            if state in (N.NOT_RECOMMENDED, N.RETURNED):
                category = rng.choice(ReasonCategory.values)
                nom.reason_category, nom.reason_comment = category, REASON_COMMENTS[category]
                transition, label = (
                    ("not_recommend", "不推荐") if state == N.NOT_RECOMMENDED else ("return", "退回修改")
                )
                records.append(
                    _record(
                        ct,
                        nom_id,
                        wf,
                        transition,
                        label,
                        N.PENDING,
                        state,
                        decided,
                        comment=nom.reason_comment,
                        reason=category,
                    )
                )
                if state == N.NOT_RECOMMENDED:
                    nom.decided_at = decided
            elif state == N.CLOSED:
                nom.decided_at = decided
                nom.reason_comment = "省级初审已于截止日期结束，该作品未获推荐。"
                records.append(
                    _record(
                        ct,
                        nom_id,
                        wf,
                        "close_round",
                        "逾期未审",
                        N.PENDING,
                        N.CLOSED,
                        decided,
                        actor_name="系统",
                        actor_role="system",
                    )
                )
            elif state != N.PENDING:
                nom.decided_at = decided
                records.append(_record(ct, nom_id, wf, "recommend", "推荐", N.PENDING, N.RECOMMENDED, decided))
                if state != N.RECOMMENDED:
                    for assignment in assignments:
                        scores.append(
                            Score(
                                assignment_id=assignment,
                                nomination_id=nom_id,
                                score=rng.randint(60, 98),
                                criteria=["tradition"],
                                at=decided + dt.timedelta(days=10),
                            )
                        )
            nominations.append(nom)
        ledgers_new, ledgers_update = [], []
        for code in _provinces():
            ledger = existing_ledgers.get((year, quarter, code))
            if ledger is None:
                ledgers_new.append(
                    QuotaLedger(year=year, quarter=quarter, province=code, limit=limits[code], used=used[code])
                )
            elif ledger.used != used[code]:
                ledger.used = used[code]
                ledgers_update.append(ledger)
        with transaction.atomic():
            _bulk(Nomination, nominations, result)
            _bulk(ReviewRecord, records, result)
            _bulk(Score, scores, result)
            QuotaLedger.objects.bulk_create(ledgers_new)
            QuotaLedger.objects.bulk_update(ledgers_update, ["used"])
            result.add(QuotaLedger._meta.label, len(ledgers_new))
            hunan = next((x for x in ledgers_new if x.province == HUNAN), None)
            if hunan is not None and hunan.limit == HUNAN_RAISED_QUOTA:
                QuotaRaise.objects.create(
                    ledger=QuotaLedger.objects.get(year=year, quarter=quarter, province=HUNAN),
                    new_limit=HUNAN_RAISED_QUOTA,
                    reason="湖南省本季度申报作品数量较多，经批准增加推荐名额。",
                )
        say(f"  nominations {year}Q{quarter}: {n:,}")
    with transaction.atomic():
        counters.save()


# --- entry point ---------------------------------------------------------------------------------------------


def generate(*, filings: int, nominations: int, units: int, seed: int = 2026, say: Callable = print) -> Result:
    """Write the volume; returns the number of rows per model and the time it took."""
    started = time.monotonic()
    rng = random.Random(seed)
    ids = _Ids()
    result = Result()
    say(f"  units {units:,} …")
    unit_rows = make_units(units, rng, ids, result)
    # rows created the ordinary way from here on (experts, projects) take their keys from the sequences
    _reset_sequences([LegacyLicence, User, Organisation])
    make_filings(filings, unit_rows, rng, ids, result, say)
    _reset_sequences([Filing, FilingVersion, Session, ChangeRequest])
    make_nominations(nominations, unit_rows, rng, ids, result, say)
    _reset_sequences([Nomination])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result.seconds = time.monotonic() - started
    return result
