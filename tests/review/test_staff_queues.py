"""已办结 on /staff/ (issue 12): 退回修改 is still open for the applicant, so it is counted and listed in its
own queue (退回修改), never in 已办结 — for MCT filings, change requests and NRTA nominations."""

import re

import pytest
from django.urls import reverse

from filings.enums import FilingState
from review.engine import get_kind
from review.engine.selectors import queues_of
from tests.filings.factories import EnterpriseFactory, make_filing, official

pytestmark = pytest.mark.django_db

LIST = reverse("staff:filings_filing_changelist")


def filing_counts(content: str) -> dict[str, str]:
    """The counts of the 网络演出剧(节)目申请 card on the /staff/ index."""
    card = next(c for c in content.split('data-testid="queue-card"')[1:] if "/staff/filings/filing/" in c[:300])
    card = card.split("</div>\n    </div>")[0]
    return dict(re.findall(r'data-queue="(\w+)"><strong>(\d+)</strong>', card))


def references(response) -> list[str]:
    return sorted(re.findall(r'<th class="field-reference"><a href="[^"]+">([^<]+)</a>', response.content.decode()))


@pytest.fixture
def hunan_rows(db):
    unit = EnterpriseFactory(name="湖南示例文化传媒有限公司")
    return {
        state: make_filing(organisation=unit, state=state, name=f"节目-{state}")
        for state in (FilingState.APPROVED, FilingState.REJECTED, FilingState.RETURNED, FilingState.REVIEWING)
    }


def test_the_index_counts_returned_apart_from_done(client, hunan_rows):
    client.force_login(official("430000"))

    content = client.get("/staff/").content.decode()

    counts = filing_counts(content)
    assert counts == {"pending": "0", "in_review": "1", "returned": "1", "done": "2"}
    assert re.search(r'data-queue="returned"><strong>1</strong>退回修改</a>', content)


def test_the_done_filter_lists_only_finished_applications(client, hunan_rows):
    client.force_login(official("430000"))

    done = client.get(LIST, {"queue": "done"})
    returned = client.get(LIST, {"queue": "returned"})

    assert references(done) == sorted(
        [hunan_rows[FilingState.APPROVED].reference, hunan_rows[FilingState.REJECTED].reference]
    )
    assert references(returned) == [hunan_rows[FilingState.RETURNED].reference]
    # the filter offers both, in this order
    queue_filter = done.content.decode().split('data-filter-title="队列"')[-1].split("</details>")[0]
    labels = re.findall(r'<a href="\?queue=\w+"[^>]*>([^<]+)</a>', queue_filter)
    assert [label.strip() for label in labels] == ["待受理", "审核中", "退回修改", "已办结"]


def test_another_province_counts_none_of_them(client, hunan_rows):
    client.force_login(official("110000"))

    counts = filing_counts(client.get("/staff/").content.decode())

    assert counts == {"pending": "0", "in_review": "0", "returned": "0", "done": "0"}
    assert references(client.get(LIST, {"queue": "returned"})) == []
    # The same page and queue of the rows' own province count and list them.
    client.force_login(official("430000"))
    assert filing_counts(client.get("/staff/").content.decode())["returned"] == "1"
    assert references(client.get(LIST, {"queue": "returned"})) == [hunan_rows[FilingState.RETURNED].reference]


@pytest.mark.parametrize("key", ["filing.domestic", "filing.import", "filing.change", "awards.institution"])
def test_no_kind_counts_returned_as_done(key):
    queues = {q.key: q for q in queues_of([get_kind(key)])}

    assert "returned" not in queues["done"].states
    assert queues["returned"].states == ("returned",)
