"""The sections of a filing's data: which fields of a version each one holds.

One source for the section forms (``forms.py``), copying versions
(``services.versions``), saving a section (``services.editing``), the diff of a
change request (``diff.py``) and the editor's step list (``views.editor``).
"""

from __future__ import annotations

from .enums import Section

# The version's own fields per section (the table sections' rows are models of their own).
SCALAR_FIELDS: dict[str, list[str]] = {
    Section.BASIC: ["filler", "manager", "email"],
    Section.PROGRAMME: [
        "name",
        "safety_officer",
        "contact",
        "first_recorded",
        "video_url",
        "replay",
        "replay_type",
        "replay_from",
        "replay_to",
        "replay_url",
        "platform",
        "synopsis",
    ],
    Section.PARTNERS: ["joint_broadcast"],
}

# The version's completion flag of each section (the pledge's is ``pledged``).
DONE_FIELDS: dict[str, str] = {
    Section.BASIC: "basic_done",
    Section.PROGRAMME: "programme_done",
    Section.PERFORMERS: "performers_done",
    Section.SESSIONS: "sessions_done",
    Section.PARTNERS: "partners_done",
    Section.MATERIALS: "materials_done",
}


def completion(version) -> dict[str, bool]:
    """{section: done} of a version, the pledge included (for the editor's step list)."""
    done = {section: bool(getattr(version, field)) for section, field in DONE_FIELDS.items()}
    done[Section.PLEDGE] = bool(version.pledged)
    return done
