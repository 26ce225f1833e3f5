"""Factories of the review tests' own reviewable model (tests.review.reviewtestapp)."""

import factory
from django.utils import timezone

from tests.factories import OrganisationFactory
from tests.review.reviewtestapp.models import Dossier


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    name = factory.Sequence(lambda n: f"测试剧目{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    province = factory.LazyAttribute(lambda o: o.organisation.province)
    type = "domestic"
    state = "submitted"
    reference = factory.Sequence(lambda n: f"WY-湘-2026-{n:06d}")
    submitted_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(state="draft", submitted_at=None, reference="")
        in_review = factory.Trait(state="in_review")
