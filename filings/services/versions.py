"""Copying versions and their sections (change requests start from the current approved data)."""

from __future__ import annotations

from django.db.models import Max

from ..enums import Section
from ..models import FilingVersion, Material, Partner, Performer, Session
from ..sections import DONE_FIELDS, SCALAR_FIELDS


def next_number(filing) -> int:
    return (FilingVersion.objects.filter(filing=filing).aggregate(n=Max("number"))["n"] or 0) + 1


def copy_version(src: FilingVersion, *, actor) -> FilingVersion:
    """A new version of the same programme with all of ``src``'s data (the pledge must be given again)."""
    dst = FilingVersion(filing_id=src.filing_id, number=next_number(src.filing_id), created_by=actor)
    for fields in SCALAR_FIELDS.values():
        for name in fields:
            setattr(dst, name, getattr(src, name))
    for field in DONE_FIELDS.values():
        setattr(dst, field, getattr(src, field))
    dst.pledged = False
    dst.save()
    copy_performers(src, dst)
    mapping = copy_sessions(src, dst)
    copy_partners(src, dst, mapping)
    copy_materials(src, dst)
    return dst


def copy_performers(src: FilingVersion, dst: FilingVersion) -> None:
    Performer.objects.bulk_create(
        Performer(version=dst, key=p.key, position=p.position, name=p.name, country=p.country, virtual=p.virtual)
        for p in src.performers.all()
    )


def copy_sessions(src: FilingVersion, dst: FilingVersion) -> dict[str, Session]:
    rows = [
        Session(version=dst, key=s.key, position=s.position, name=s.name, type=s.type, starts_at=s.starts_at, url=s.url)
        for s in src.sessions.all()
    ]
    Session.objects.bulk_create(rows)
    return {s.key: s for s in Session.objects.filter(version=dst)}


def copy_partners(src: FilingVersion, dst: FilingVersion, sessions_by_key: dict[str, Session]) -> None:
    through = Partner.sessions.through
    links = []
    for partner in src.partners.prefetch_related("sessions"):
        copy = Partner.objects.create(
            version=dst,
            key=partner.key,
            position=partner.position,
            company=partner.company,
            safety_officer=partner.safety_officer,
            contact=partner.contact,
            platform=partner.platform,
        )
        for session in partner.sessions.all():
            target = sessions_by_key.get(session.key)
            if target is not None:
                links.append(through(partner_id=copy.pk, session_id=target.pk))
    through.objects.bulk_create(links)


def copy_materials(src: FilingVersion, dst: FilingVersion) -> None:
    """The new rows point at the same stored files (files are never changed in place)."""
    Material.objects.bulk_create(
        Material(
            version=dst,
            item=m.item,
            file=m.file.name,
            original_name=m.original_name,
            size=m.size,
            content_type=m.content_type,
            uploaded_at=m.uploaded_at,
            uploaded_by_id=m.uploaded_by_id,
        )
        for m in src.materials.all()
    )


def delete_material_rows(rows) -> None:
    """Delete material rows, and their stored files when no other version still uses them."""
    rows = list(rows)
    names = {m.file.name for m in rows}
    Material.objects.filter(pk__in=[m.pk for m in rows]).delete()
    still_used = set(Material.objects.filter(file__in=names).values_list("file", flat=True))
    storage = Material._meta.get_field("file").storage
    for name in names - still_used:
        storage.delete(name)


def revert_section(dst: FilingVersion, src: FilingVersion, section: str) -> None:
    """Make ``section`` of ``dst`` equal to ``src``'s again (a change part was unticked)."""
    if section in SCALAR_FIELDS:
        for name in SCALAR_FIELDS[section]:
            setattr(dst, name, getattr(src, name))
        dst.save(update_fields=SCALAR_FIELDS[section])
    if section == Section.PERFORMERS:
        dst.performers.all().delete()
        copy_performers(src, dst)
    elif section == Section.SESSIONS:
        links = {p.pk: [s.key for s in p.sessions.all()] for p in dst.partners.prefetch_related("sessions")}
        dst.sessions.all().delete()
        by_key = copy_sessions(src, dst)
        through = Partner.sessions.through
        through.objects.bulk_create(
            through(partner_id=pk, session_id=by_key[key].pk)
            for pk, keys in links.items()
            for key in keys
            if key in by_key
        )
    elif section == Section.PARTNERS:
        dst.partners.all().delete()
        copy_partners(src, dst, {s.key: s for s in dst.sessions.all()})
    elif section == Section.MATERIALS:
        delete_material_rows(dst.materials.all())
        copy_materials(src, dst)
