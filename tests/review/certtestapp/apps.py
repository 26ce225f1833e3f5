from django.apps import AppConfig


class CertTestAppConfig(AppConfig):
    name = "tests.review.certtestapp"
    label = "certtestapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import workflow  # noqa: F401  (registers the kind)
