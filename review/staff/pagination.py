"""A paginator for the reviewers' queues that never counts a whole history (issue 11).

``COUNT(*)`` over a province's (or the nation's) applications grows with the data: at 100,000 filings it
is the slowest query of the queue, at 1,000,000 ten times slower. Reviewers work from the newest rows,
the 队列/状态/省份/date filters and the search; so the count stops at ``CAP`` rows
(``SELECT COUNT(*) FROM (… LIMIT CAP + 1)``: at most CAP + 1 index entries read) and the list says
"超过 N 条" when there are more. Pages up to CAP stay reachable; the export is not paginated.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 1000


class CappedPaginator(Paginator):
    cap = CAP
    capped = False

    @cached_property
    def count(self) -> int:
        objects = self.object_list
        if not hasattr(objects, "query"):
            return len(objects)
        found = objects.order_by()[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)
