"""The accounts and applications the load users work on (``make load``; run in the stack's environment).

    python -m bench.load.prepare OUT.json [APPLICANTS] [DRAFTS_EACH] [OFFICIALS] [SUBMITTED_EACH]

Makes, in the stack's database, through the same factories and workflow as the tests:

* APPLICANTS activated units in 湖南, each with its administrator (password ``Demo2026portal``) and
  DRAFTS_EACH complete domestic drafts ready to 提交 (one per iteration of that user);
* OFFICIALS provincial MCT officials of 湖南, and SUBMITTED_EACH submitted filings for each to 受理
  and 审核通过 (one decision per iteration).

Writes OUT.json: ``{"password", "applicants": [{"username", "drafts": [public_id…]}], "officials":
[{"username", "filings": [public_id…]}]}``. Each run makes new ones (names carry the run).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    import django

    django.setup()
    from django.db import transaction

    from accounts.models import User
    from filings.enums import FilingState
    from tests import factories
    from tests.filings.factories import EnterpriseFactory, FilingVersionFactory, applicant, make_filing, official

    out = sys.argv[1]
    applicants, drafts_each, officials, submitted_each = (int(a) for a in (sys.argv[2:] + ["20", "40", "4", "40"])[:4])
    start = random.SystemRandom().randrange(10**6, 9 * 10**6)
    for factory_class in (
        factories.OrganisationFactory,
        factories.UserFactory,
        factories.LegacyLicenceFactory,
        FilingVersionFactory,
    ):
        factory_class.reset_sequence(start)
    password = factories.PASSWORD
    hashed = factories.make_password(password)  # one Argon2 hash for every account: preparing stays fast
    run = time.strftime("%m%d%H%M")
    began = time.monotonic()
    result: dict = {"password": password, "applicants": [], "officials": []}
    reviewers = []
    for i in range(officials):
        # The same officials run after run: each submission notifies every reviewer of the province.
        reviewer = User.objects.filter(username=f"load-official-{i}").first() or official(
            "430000", password=hashed, username=f"load-official-{i}"
        )
        reviewers.append(reviewer)
        result["officials"].append({"username": reviewer.username, "filings": []})
    for i in range(applicants):
        with transaction.atomic():
            unit = EnterpriseFactory(name=f"压测文化传媒有限公司{run}-{i}")
            member = applicant(unit, password=hashed)
            drafts = [
                make_filing(organisation=unit, by=member, name=f"压测节目{run}-{i}-{n}").public_id
                for n in range(drafts_each)
            ]
        result["applicants"].append({"username": member.username, "drafts": drafts})
    # Submitted filings for the officials (spread over units, as a province's queue is)
    for n in range(officials * submitted_each):
        unit_index = n % max(applicants, 1)
        with transaction.atomic():
            unit = EnterpriseFactory(name=f"压测待审单位{run}-{unit_index}-{n}")
            filing = make_filing(
                organisation=unit,
                by=applicant(unit, password=hashed),
                state=FilingState.SUBMITTED,
                name=f"压测待审节目{run}-{n}",
            )
        result["officials"][n % officials]["filings"].append(filing.public_id)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False)
    made = applicants * drafts_each + officials * submitted_each
    print(
        f"load: prepared {applicants} applicants, {officials} officials, {made} filings in {time.monotonic() - began:.0f}s"
    )


if __name__ == "__main__":
    main()
