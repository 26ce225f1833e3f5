from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.enums import Authority, StaffLevel
from accounts.services.staff import create_staff


class Command(BaseCommand):
    help = (
        "创建审核人员账号（省级审核人员、部级工作人员、评审专家）。"
        "Create a reviewer account; prints a generated password unless --password is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录账号, e.g. mct-hunan")
        parser.add_argument("--full-name", required=True, help="姓名")
        parser.add_argument("--authority", required=True, choices=Authority.values)
        parser.add_argument("--level", required=True, choices=StaffLevel.values)
        parser.add_argument("--province", default="", help="430000, 湖南省, 湖南 or 湘 (province level)")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--password", default=None, help="otherwise a random one is generated and printed")

    def handle(self, *args, **o):
        try:
            created = create_staff(
                None,
                o["username"],
                o["full_name"],
                o["authority"],
                o["level"],
                o["province"],
                o["email"],
                o["phone"],
                password=o["password"],
                system=True,
            )
        except ValidationError as exc:
            lines = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            raise CommandError("\n".join(lines))
        profile = created.user.staff_profile
        self.stdout.write(
            f"已创建 {created.user.username}（{profile.get_authority_display()} {profile.get_level_display()}"
            f"{' ' + profile.get_province_display() if profile.province else ''}）"
        )
        if created.generated:
            self.stdout.write(f"初始密码: {created.password}")
