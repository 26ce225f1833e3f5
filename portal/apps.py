from django.apps import AppConfig

from common import form_messages

# At import, not in ready(): admin and app modules declare their form fields before ready() runs.
form_messages.install()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        form_messages.fix_declared()
