"""``{% page_brand as site_brand %}``: the header and footer of the page (portal.branding)."""

import logging

from django import template

from portal.branding import Brand, brand, brand_of

logger = logging.getLogger(__name__)
register = template.Library()


@register.simple_tag(takes_context=True)
def page_brand(context) -> Brand:
    try:
        return brand_of(context.get("request"), context.get("page_programme"))
    except Exception:  # the 500 page of a database gone away still shows, neutral
        logger.warning("page_brand: falling back to the portal's own brand", exc_info=True)
        return brand(None)
