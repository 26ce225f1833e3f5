"""The registry of kinds: programmes register, everything else looks up."""

from __future__ import annotations

from django.db.models import Model

from .contract import Kind

_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Register ``kind``; a second kind under the same key raises (it would silently replace the first)."""
    if not isinstance(kind, Kind):
        raise TypeError(f"register() takes a Kind, not {type(kind).__name__}")
    if kind.key in _REGISTRY:
        raise ValueError(f"kind {kind.key!r} is registered already")
    _REGISTRY[kind.key] = kind
    return kind


def get_kind(key: str) -> Kind:
    return _REGISTRY[key]


def find_kind(key: str) -> Kind | None:
    return _REGISTRY.get(key)


def kind_for(obj: Model) -> Kind:
    return _REGISTRY[obj.get_workflow_kind()]


def all_kinds() -> list[Kind]:
    return list(_REGISTRY.values())
