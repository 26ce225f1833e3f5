"""Whose header and footer a page carries (issue 12).

The portal serves two programmes, and each page speaks in the name of one authority:

* the MCT programme (``filings``, the MCT manual and statistics, the enterprise
  registration) is 中华人民共和国文化和旅游部's 全国文化市场技术监管与服务平台准入管理系统,
  as on the seed's screens;
* the NRTA programme (``awards``, its manual and statistics, the institution and
  individual registrations) is 国家广播电视总局's 优秀网络视听作品推选活动申报系统
  (网络视听节目季度推优);
* a shared page (messages, notices, account, help, error pages…) follows the signed-in
  user's programme (a unit's kind, an official's authority), and is neutral — the
  portal's own name — for a visitor or a user of neither.

A view may name the programme itself with ``page_programme`` in its context.
The site-wide items of the footer (ICP备案号, 网站标识码, 公网安备, 政府网站找错) are the
site's, the same on every page (``PORTAL["FOOTER"]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganisationKind

MCT = "mct"
NRTA = "nrta"
PORTAL = "portal"
PROGRAMMES = (MCT, NRTA)

# URL namespace → programme: the programme's own apps.
NAMESPACE_PROGRAMMES = {"filings": MCT, "awards": NRTA}
# Pages of a shared app that belong to one programme.
VIEW_PROGRAMMES = {
    "accounts:register": MCT,  # 经营单位用户注册 (the MCT seed's screen)
    "accounts:register_institution": NRTA,  # 机构注册
    "accounts:register_individual": NRTA,  # 个人注册
}
# The login pages follow their ?programme= (the MCT system's unless programme=nrta), as their panel does.
LOGIN_VIEWS = {"accounts:login", "accounts:login_sms"}


@dataclass(frozen=True)
class Brand:
    key: str
    authority: str
    authority_en: str
    system: str
    subtitle: str
    emblem: str
    copyright: str
    address: str = ""
    postcode: str = ""
    phone: str = ""
    fax: str = ""
    support: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The page title's default: the system's name, the portal's short name on neutral pages."""
        return _("文化视听备案门户") if self.key == PORTAL else self.system

    @property
    def support_phones(self) -> list[str]:
        return [phone for _label, phones in self.support for phone in phones]


def brand(programme: str | None) -> Brand:
    """The header and footer of ``programme`` ("mct", "nrta"; anything else: the neutral portal's)."""
    portal = settings.PORTAL
    mct_support = (_("平台客服"), list(portal["MCT_SUPPORT_PHONES"]))
    nrta_support = (_("总局信息中心技术支持"), list(portal["NRTA_SUPPORT_PHONES"]))
    if programme == MCT:
        footer = portal["FOOTER"]
        return Brand(
            key=MCT,
            authority=_("中华人民共和国文化和旅游部"),
            authority_en="MINISTRY OF CULTURE AND TOURISM OF THE PEOPLE'S REPUBLIC OF CHINA",
            system=_("全国文化市场技术监管与服务平台准入管理系统"),
            subtitle=_("网络演出剧（节）目备案"),
            emblem=_("文"),
            copyright=footer["copyright"],
            address=footer["address"],
            postcode=footer["postcode"],
            phone=footer["phone"],
            fax=footer["fax"],
            support=[mct_support],
        )
    if programme == NRTA:
        footer = portal["NRTA_FOOTER"]
        return Brand(
            key=NRTA,
            authority=_("国家广播电视总局"),
            authority_en="NATIONAL RADIO AND TELEVISION ADMINISTRATION",
            system=_("优秀网络视听作品推选活动申报系统"),
            subtitle=_("网络视听节目季度推优"),
            emblem=_("广"),
            copyright=footer["copyright"],
            address=footer["address"],
            postcode=footer["postcode"],
            phone=footer["phone"],
            fax=footer["fax"],
            support=[nrta_support],
        )
    return Brand(
        key=PORTAL,
        authority=_("文化和旅游部 · 国家广播电视总局"),
        authority_en="",
        system=_("网络文化与视听节目备案申报门户"),
        subtitle=_("网络演出剧（节）目备案 · 网络视听节目季度推优"),
        emblem=_("文"),
        copyright=_("中华人民共和国文化和旅游部 国家广播电视总局"),
        support=[mct_support, nrta_support],
    )


def user_programme(user) -> str | None:
    """The programme of a signed-in user: a unit's kind (经营单位 → MCT, 机构/个人 → NRTA), an official's authority.

    Reads only what the layout's header reads anyway (the unit, the staff profile): no query of its own.
    """
    if user is None or not user.is_authenticated:
        return None
    if user.organisation_id is not None:
        return MCT if user.organisation.kind == OrganisationKind.ENTERPRISE else NRTA
    profile = getattr(user, "staff_profile_or_none", None)
    if profile is not None and profile.authority in PROGRAMMES:
        return profile.authority
    return None


def page_programme(request) -> str | None:
    """The programme whose page ``request`` shows (see the module's docstring); None for a neutral page."""
    if request is None:
        return None
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for namespace in match.namespaces:
            if namespace in NAMESPACE_PROGRAMMES:
                return NAMESPACE_PROGRAMMES[namespace]
        if match.view_name in VIEW_PROGRAMMES:
            return VIEW_PROGRAMMES[match.view_name]
        if match.view_name in LOGIN_VIEWS:
            chosen = request.POST.get("programme") or request.GET.get("programme")  # as accounts.views.auth
            return NRTA if chosen == NRTA else MCT
        # /help/<programme>/, /supervision/statistics/<programme>/
        if match.kwargs.get("programme") in PROGRAMMES:
            return match.kwargs["programme"]
    return user_programme(getattr(request, "user", None))


def brand_of(request, explicit: str | None = None) -> Brand:
    """The brand of the page: the view's ``page_programme`` if it names one, else ``page_programme(request)``."""
    return brand(explicit if explicit in PROGRAMMES else page_programme(request))
