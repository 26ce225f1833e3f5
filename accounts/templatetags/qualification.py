"""``{% qualification_state organisation as q %}``: the unit's qualification for the home page."""

from django import template

from accounts.services.activation import qualification_state as _state

register = template.Library()


@register.simple_tag
def qualification_state(organisation):
    return _state(organisation)
