from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.services.otp_enrolment import issue_enrolment_code


class Command(BaseCommand):
    help = (
        "签发动态口令绑定授权码（审核人员首次绑定动态口令时使用，一次有效）。"
        "Issue a one-time enrolment code for a reviewer's first TOTP device; earlier unused codes stop working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录账号 of the reviewer, e.g. mct-ministry")
        parser.add_argument(
            "--by",
            default="",
            help="登录账号 of the ministry staff member or superuser issuing it (recorded); "
            "without it the code is recorded as issued by the server's operator",
        )

    def handle(self, *args, **options):
        User = get_user_model()
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"账号不存在: {options['username']}")
        actor = None
        if options["by"]:
            actor = User.objects.filter(username__iexact=options["by"]).first()
            if actor is None:
                raise CommandError(f"签发人账号不存在: {options['by']}")
        try:
            issued = issue_enrolment_code(actor, user, system=actor is None)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        expires = timezone.localtime(issued.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"{user.username} 的绑定授权码: {issued.code}")
        self.stdout.write(f"有效期至 {expires}（仅可使用一次；请通过电话或当面告知本人）")
