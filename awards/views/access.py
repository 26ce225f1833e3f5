"""Who gets the applicant pages: logged-in members of a unit (institution, individual, enterprise).

Anyone else gets 404 (staff have the reviewers' site), so that the pages do
not even reveal that an address exists.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from .. import rules


def applicant_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not rules.is_applicant(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
