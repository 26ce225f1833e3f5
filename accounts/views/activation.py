"""资质激活 (A5): a member of an enterprise unit binds it to its legacy licence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import audit
from accounts.forms.activation import ActivationForm
from accounts.services import activation as service


@never_cache
@sensitive_post_parameters("password")
@login_required
def activate_view(request):
    user = request.user
    if not service.can_activate(user):
        raise PermissionDenied
    organisation = user.organisation
    if organisation.is_activated:
        messages.info(request, _("本单位资质已激活。"))
        return redirect("home")

    status = 200
    locked = ""
    if request.method == "POST":
        form = ActivationForm(request.POST)
        if form.is_valid():
            try:
                licence = service.activate_qualification(
                    actor=user,
                    organisation=organisation,
                    account=form.cleaned_data["account"],
                    password=form.cleaned_data["password"],
                    request=request,
                )
            except service.ActivationLocked as exc:
                form.add_error(None, exc.message)
                status = 429
            except service.ActivationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("资质激活成功（许可证编号 %(no)s），现在可以进行网络演出剧（节）目备案申请。")
                    % {"no": licence.licence_no},
                )
                return redirect("home")
    else:
        form = ActivationForm()
        remaining = service.locked_for(organisation, audit.client_ip(request))
        if remaining:
            locked = service.locked_message(remaining)
            status = 429
    context = {"form": form, "organisation": organisation, "locked": locked}
    return render(request, "accounts/activate.html", context, status=status)
