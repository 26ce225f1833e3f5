"""The certificate side of the tests' dummy programme: two kinds that issue certificates on one model."""

from django.db import models

from review.models import Reviewable


class Programme(Reviewable):
    """Two kinds on one model, told apart by ``kind`` (as filings' domestic filing and import review)."""

    KINDS = [("domestic", "国产"), ("import", "进口")]

    kind = models.CharField(max_length=16, choices=KINDS, default="domestic")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    province = models.CharField(max_length=6, default="430000")
    name = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=50, blank=True)
    contact_phone = models.CharField(max_length=11, blank=True)
    contact_email = models.EmailField(blank=True)
    platform = models.CharField(max_length=100, blank=True)
    reference = models.CharField(max_length=40, blank=True)
    # A change waiting for approval (the "apply_change" transition copies it).
    pending_platform = models.CharField(max_length=100, blank=True)

    class Meta:
        app_label = "certtestapp"

    def get_workflow_kind(self) -> str:
        return "certtest.import" if self.kind == "import" else "certtest.programme"
