from django.apps import AppConfig


class ReviewTestAppConfig(AppConfig):
    name = "tests.review.reviewtestapp"
    label = "reviewtestapp"
    verbose_name = "审核测试"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import workflow  # noqa: F401
