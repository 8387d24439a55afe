"""Query-string values read leniently: a hostile or mistyped value is ignored, never a 500."""

from django.core.paginator import InvalidPage

BIGINT_MAX = 2**63 - 1  # a primary key beyond this makes PostgreSQL raise, not answer "none"


def int_param(value, *, minimum: int = 1, maximum: int = BIGINT_MAX) -> int | None:
    """value as an int within [minimum, maximum] if it is plain ASCII digits, else None."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


class LenientPaginationMixin:
    """A ListView whose ?page= out of range or not a number shows the nearest page instead of a 404."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, orphans=self.get_paginate_orphans(),
                                       allow_empty_first_page=self.get_allow_empty())
        raw = self.request.GET.get(self.page_kwarg) or "1"
        number = paginator.num_pages if raw == "last" else int_param(raw, minimum=-BIGINT_MAX) or 1
        try:
            page = paginator.page(max(1, min(number, paginator.num_pages)))
        except InvalidPage:
            page = paginator.page(1)
        return paginator, page, page.object_list, page.has_other_pages()
