"""The indicator history at desktop and phone width: a figure given no year shows the date it stands at."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.models import Indicator
from proposals.models import User
from proposals.services import user_create
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stock_figure_shows_its_as_of_date_in_the_history(page, log_in, both_widths):
    user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF, all_committees=True)
    first = ReplyFactory(reply_date=date(2022, 7, 6))
    second = ReplyFactory(assignment__department=first.assignment.department, reply_date=date(2023, 7, 17))
    for reply, year, as_of, value in ((first, 2021, None, 5), (second, None, date(2023, 7, 17), 11)):
        Indicator.objects.create(reply=reply, metric="加装电梯", value=Decimal(value), unit="台",
                                 base_value=Decimal(value), base_unit="台", year=year, as_of=as_of, start=0, end=3,
                                 review_status="accepted")
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto("/rows/series/")
    cells = page.locator("section.series tbody tr td:first-child").all_text_contents()
    assert [c.strip() for c in cells] == ["2021", "截至 2023-07-17"]
    both_widths(page, "indicator-series-as-of")
