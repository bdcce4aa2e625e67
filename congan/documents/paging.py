"""A paginator for registers that grow to millions of entries: it counts up to a cap (10,000) and
no further, so the page costs the same at 100,000 entries as at 1,000,000. Past the cap the page
says "hơn 10.000" and the clerk narrows the days to reach older entries."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def _found(self) -> int:
        entries: Any = self.object_list  # a queryset of the register
        return int(entries.order_by().values("pk")[: self.cap + 1].count())

    @cached_property
    def count(self) -> int:
        """The number of entries, or the cap when there are more (``capped`` then says so)."""
        return min(self._found, self.cap)

    @property
    def capped(self) -> bool:
        return self._found > self.cap
