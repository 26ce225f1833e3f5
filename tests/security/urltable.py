"""Every URL pattern of the portal, and how the attack tests fill its object-bearing arguments.

``object_patterns()`` walks portal.urls' resolver (the /staff/ and /admin/ sites included, through
their get_urls). A pattern whose arguments name an object (public_id, token, object_id, pk …) must be
known here: in ``PATTERNS`` (a page of an app), through ``ADMIN_MODELS`` (an admin site's model pages),
or in ``PUBLIC`` (the argument is itself the secret, or no tenant's data). Anything else is reported by
name, so a new view is covered the day it is added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

OBJECT_ARGS = {
    "public_id",
    "token",
    "object_id",
    "pk",
    "id",
    "key",
    "uidb64",
    "objection_id",
    "nomination_id",
    "content_type_id",
}

# Patterns whose object argument is the capability itself or carries no tenant's data.
PUBLIC = {
    "review:verify": "public certificate check: the 192-bit token printed in the QR code is the secret",
    "review:verify_language": "the same page in another language",
    "accounts:password_reset_confirm": "Django's signed reset token, checked by Django",
    "captcha-image": "a captcha challenge's image (no data)",
    "captcha-image-2x": "the same at double size",
    "captcha-audio": "the same spoken",
    "stats:mct_export": "key names a report, not an object: its figures are scoped by the viewer (tests/supervision/statistics)",
    "stats:nrta_export": "the same for NRTA",
}

ALL = frozenset(
    {
        "unit_a",
        "unit_a2",
        "unit_b",
        "inst_a",
        "inst_b",
        "mct_hn",
        "mct_bj",
        "nrta_hn",
        "nrta_bj",
        "mct_min",
        "nrta_min",
        "expert",
        "expert_conflicted",
        "expert_other_quarter",
        "root",
    }
)
UNIT_A = frozenset({"unit_a"})
INST_A = frozenset({"inst_a"})
MCT_HN = frozenset({"mct_hn", "mct_min"})
NRTA_HN = frozenset({"nrta_hn", "nrta_min"})
NONE = frozenset()
APPLICANTS = frozenset({"unit_a", "unit_a2", "unit_b", "inst_a", "inst_b"})
ROOT = frozenset({"root"})
NRTA_MIN = frozenset({"nrta_min"})
NRTA_ALL = frozenset({"nrta_hn", "nrta_bj", "nrta_min"})


@dataclass(frozen=True)
class Case:
    """How to fill one pattern: the world object, the attribute for each argument, who gets it (200)."""

    obj: str
    owners: frozenset
    args: tuple = ("public_id",)
    extra: tuple = ()  # (argument, constant) pairs
    marker: str | None = "甲方"  # text of the object a page shows; None for files (the 200 itself leaks)
    owner_status: int = 200  # what an owner's GET answers (405: the page only takes POST)
    ident: str = ""  # the attribute an object_id carries (admin pages)


def _case(obj, owners, *args, marker="甲方", owner_status=200, **extra):
    return Case(obj, frozenset(owners), args or ("public_id",), tuple(extra.items()), marker, owner_status)


PATTERNS: dict[str, Case] = {
    # filings (MCT applicant pages)
    "filings:programme": _case("approved", UNIT_A),
    "filings:change_start": _case("approved", UNIT_A, owner_status=302),  # on to the change in progress
    "filings:detail": _case("draft", UNIT_A),
    "filings:edit": _case("draft", UNIT_A),
    "filings:check": _case("draft", UNIT_A),
    "filings:withdraw": _case("submitted", UNIT_A),
    "filings:delete": _case("draft", UNIT_A),
    "filings:void": _case("returned", UNIT_A),
    "filings:change_detail": _case("change", UNIT_A),
    "filings:change_edit": _case("change", UNIT_A),
    "filings:change_check": _case("change", UNIT_A),
    "filings:change_withdraw": _case("change_submitted", UNIT_A),
    "filings:change_delete": _case("change", UNIT_A),
    "filings:change_void": _case("change_returned", UNIT_A),
    "filings:download": _case("material", UNIT_A, "token", marker=None),  # a draft's: officials never see it
    # a resumable (tus) upload is its creator's alone: 404 for anyone else whatever the method; GET is 405
    "resumable:upload": _case("upload", UNIT_A, "token", marker=None, owner_status=405),
    # awards (NRTA applicant and expert pages)
    # a quarter's project is national, open to every applicant (not a tenant's object)
    "awards:project": _case("project", APPLICANTS, marker=None),
    "awards:pledge_template": _case("project", APPLICANTS, marker=None),
    "awards:new": _case("project", APPLICANTS, marker=None),
    "awards:detail": _case("nomination", INST_A),
    "awards:edit": _case("nomination_draft", INST_A),
    "awards:act": _case("nomination", INST_A, name="withdraw", owner_status=405),
    "awards:delete": _case("nomination_draft", INST_A, owner_status=405),
    "awards:pledge": _case("nomination", INST_A, marker=None),
    "awards:expert_work": _case("work", {"expert"}),
    "awards:expert_declare": _case("work", {"expert"}, owner_status=405),
    "awards:expert_score": _case("work", {"expert"}, owner_status=405),
    # supervision
    "guidance:detail": _case("thread", UNIT_A),  # officials answer on /staff/
    "guidance:download": _case("guidance_attachment", UNIT_A | MCT_HN, "token", marker=None),
    # a notice to 湖南's MCT units: every such unit, 湖南's MCT officials and the ministry
    "notices:download": _case("notice_attachment", UNIT_A | {"unit_a2"} | MCT_HN, "token", marker=None),
    "notices:detail": _case("notice", UNIT_A | {"unit_a2"} | MCT_HN),
    "notices:cancel": _case("notice", UNIT_A, owner_status=405),
    # review (shared)
    "review:message_open": _case("message", UNIT_A, "token"),
    "review:certificate": _case("certificate", UNIT_A | MCT_HN),
    "review:certificate_pdf": _case("certificate", UNIT_A | MCT_HN, marker=None),
    # /staff/ pages of their own
    "staff:review_certificate_pdf": _case("certificate", MCT_HN, "object_id", marker=None),
    "staff:review_certificate_status": _case("certificate", MCT_HN, "object_id", action="suspend"),
    "staff:awards_nomination_pledge": _case("nomination", NRTA_HN, marker=None),
    "staff:awards_publicity_publish": _case("publicity", {"nrta_min"}, marker=None),
    "staff:awards_publicity_objection": _case("publicity", {"nrta_min"}, "public_id", "objection_id"),
    # only a published work can be withdrawn (tenant A's is in 专家评议): 404 for the ministry too
    "staff:awards_publicity_withdraw": _case(
        "publicity", NRTA_MIN, "public_id", "nomination_id", marker=None, owner_status=404
    ),
    "staff:awards_ranking_scores": _case("work", {"nrta_min"}),
    "staff:inspections_evidence": _case("evidence", MCT_HN, "token", marker=None),
    # Django's "view on site" redirect: an organisation has no public page (404, 302 to the login)
    "staff:view_on_site": _case("organisation", NONE, "content_type_id", "object_id", marker=None),
    "admin:view_on_site": _case("organisation", NONE, "content_type_id", "object_id", marker=None),
    "admin:otp_totp_totpdevice_config": _case("totp", {"root"}, "pk", marker=None),
    "admin:otp_totp_totpdevice_qrcode": _case("totp", {"root"}, "pk", marker=None),
    "admin:auth_user_password_change": _case("user_a", {"root"}, "id", marker=None),
}


# Admin model pages (<model>/<object_id>/change/, history/, delete/ and the bare redirect, which sends
# everyone on with a 302): "<site>:<app>_<model>" → the world object, the attribute its URLs carry, and
# who opens each page. /staff/ shows no history page and deletes nothing (404/403 for every reviewer).
@dataclass(frozen=True)
class AdminModel:
    obj: str
    ident: str  # "public_id", "pk", or "user.username"
    change: frozenset
    history: frozenset = NONE
    delete: frozenset = NONE
    marker: str | None = "甲方"  # on its change page; None: a national row whose any 200 is the answer


ADMIN_MODELS: dict[str, AdminModel] = {
    "staff:review_certificate": AdminModel("certificate", "public_id", MCT_HN),
    "staff:accounts_staffprofile": AdminModel("staffprofile", "user.username", frozenset({"mct_min"}), marker=None),
    "staff:accounts_organisation": AdminModel("organisation", "public_id", MCT_HN),
    "staff:filings_filing": AdminModel("submitted", "public_id", MCT_HN),
    "staff:filings_changerequest": AdminModel("change_submitted", "public_id", MCT_HN),
    "staff:awards_project": AdminModel("project", "pk", NRTA_ALL, history=NRTA_ALL, marker=None),  # national
    "staff:awards_platform": AdminModel("platform", "pk", NRTA_ALL, history=NRTA_ALL, marker=None),
    "staff:awards_nomination": AdminModel("nomination", "public_id", NRTA_HN),
    "staff:awards_publicity": AdminModel("publicity", "public_id", NRTA_MIN),
    "staff:awards_expertassignment": AdminModel(
        "expert_assignment", "pk", NRTA_MIN, history=NRTA_MIN, delete=NRTA_MIN, marker=None
    ),
    "staff:inspections_inspectioncase": AdminModel("case", "public_id", MCT_HN),
    "staff:guidance_thread": AdminModel("thread", "public_id", MCT_HN),
    "staff:notices_notice": AdminModel("notice", "public_id", MCT_HN),
    "staff:notices_signup": AdminModel("signup", "public_id", MCT_HN),
    "staff:reviewtestapp_dossier": AdminModel("dossier", "public_id", MCT_HN),
    "admin:auth_group": AdminModel("group", "pk", ROOT, ROOT, ROOT),
    "admin:axes_accessattempt": AdminModel("access_attempt", "pk", ROOT, ROOT, ROOT),
    "admin:axes_accesslog": AdminModel("access_log", "pk", ROOT, ROOT, ROOT),
    "admin:axes_accessfailurelog": AdminModel("access_failure", "pk", ROOT, ROOT, ROOT),
    "admin:otp_totp_totpdevice": AdminModel("totp", "pk", ROOT, ROOT, ROOT),
    "admin:accounts_user": AdminModel("user_a", "pk", ROOT, ROOT, ROOT),
    "admin:accounts_organisation": AdminModel("organisation", "pk", ROOT, ROOT, ROOT),
    "admin:accounts_legacylicence": AdminModel("licence", "pk", ROOT, ROOT, ROOT),
    # the audit trail, review records, outbox and messages are append-only: no one deletes them
    "admin:accounts_auditevent": AdminModel("audit", "pk", ROOT, ROOT),
    "admin:review_reviewrecord": AdminModel("record", "pk", ROOT, ROOT),
    "admin:review_outboxevent": AdminModel("outbox", "pk", ROOT, ROOT),
    "admin:review_message": AdminModel("message", "pk", ROOT, ROOT),
}

ADMIN_ACTIONS = ("change", "history", "delete")


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name, or "<namespace>:<route>" for an unnamed one
    route: str  # the full route, for messages
    args: tuple  # the names of its arguments
    regex: str


def _walk(resolver, prefix, namespace):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            args = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))
            names = tuple(a or b for a, b in args)
            key = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or f"{namespace}:{route}"
            yield Pattern(key, route, names, route)


def all_patterns() -> list[Pattern]:
    return list(_walk(get_resolver(), "/", None))


def object_patterns() -> list[Pattern]:
    return [p for p in all_patterns() if OBJECT_ARGS & set(p.args)]


def admin_model_of(pattern: Pattern) -> tuple[str, str] | None:
    """("staff:filings_filing", "change") for an admin site's object page of that model."""
    site = pattern.key.split(":", 1)[0]
    match = re.match(rf"^/{site}/(\w+)/(\w+)/<path:object_id>/(?:(\w+)/)?$", pattern.route)
    if site not in ("staff", "admin") or not match:
        return None
    app, model, action = match.groups()
    if action is not None and action not in ADMIN_ACTIONS:
        return None
    return f"{site}:{app}_{model}", action or "redirect"
