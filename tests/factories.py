"""factory_boy factories for accounts; app-specific ones live beside their tests
(tests/filings/factories.py …)."""

from datetime import date

import factory
from django.contrib.auth.hashers import make_password

from accounts.enums import Authority, OrganisationKind, StaffLevel
from accounts.models import LegacyLicence, Organisation, StaffProfile, User

PASSWORD = "Demo2026portal"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"测试文化传媒有限公司{n}")
    credit_code = None
    province = "430000"

    class Params:
        activated = factory.Trait(
            licence=factory.SubFactory("tests.factories.LegacyLicenceFactory"),
            activated_at=factory.Faker("date_time", tzinfo=factory.LazyFunction(lambda: __import__("datetime").UTC)),
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"139{n:08d}")
    phone = factory.LazyAttribute(lambda o: o.username if o.username.isdigit() else None)
    full_name = factory.Sequence(lambda n: f"张{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class ApplicantFactory(UserFactory):
    """A member (and the administrator) of an enterprise unit."""

    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def make_admin(obj, create, extracted, **kwargs):
        if create and obj.organisation and obj.organisation.administrator_id is None:
            obj.organisation.administrator = obj
            obj.organisation.save(update_fields=["administrator"])


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"official{n}")
    phone = None
    is_staff = False

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if not create:
            return
        values = {"authority": Authority.MCT, "level": StaffLevel.PROVINCE, "province": "430000"}
        values.update(kwargs)
        if values["level"] != StaffLevel.PROVINCE and "province" not in kwargs:
            values["province"] = ""
        StaffProfile.objects.create(user=obj, **values)


class LegacyLicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegacyLicence

    licence_no = factory.Sequence(lambda n: f"湘网文〔2024〕{n:04d}-001号")
    unit_name = factory.Sequence(lambda n: f"测试文化传媒有限公司{n}")
    credit_code = "91430100MA4L678907"
    scope = "网络演出剧（节）目、网络音乐"
    valid_from = date(2024, 1, 1)
    valid_to = date(2028, 12, 31)
    province = "430000"
    account = factory.Sequence(lambda n: f"legacy-{n:04d}")
    password_hash = factory.LazyFunction(lambda: make_password(PASSWORD))
