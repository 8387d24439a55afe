"""A figure the reply gives no year (a stock, a running total) is dated by the reply: stored, and placed in the
indicator history by that date."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator
from indicators.services import extracted_rows_replace_pending
from replies.parsing import parse_text
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db

REPLY = (
    "对县政协十届三次会议第12号提案的答复\n张三委员：\n您提出的《关于加装电梯的建议》收悉。现答复如下：\n"
    "2021年全县加装完成电梯5台。目前全县已有加装电梯11台。\n某某县住房和城乡建设局\n2023年7月17日\n"
)


def test_a_parsed_stock_figure_is_stored_with_the_reply_date_and_no_year():
    reply = ReplyFactory()
    extracted_rows_replace_pending(reply=reply, result=parse_text(REPLY).to_dict())
    got = {(row.value, row.year, row.as_of) for row in Indicator.objects.filter(reply=reply)}
    assert got == {(Decimal(5), 2021, None), (Decimal(11), None, date(2023, 7, 17))}


def test_the_history_places_a_stock_by_its_as_of_date_among_yearly_figures(client, staff_user):
    department_reply = ReplyFactory(reply_date=date(2023, 7, 17))
    rows = ((department_reply, 2021, None, 5), (ReplyFactory(assignment__department=department_reply.assignment
                                                             .department), None, date(2022, 6, 1), 9),
            (department_reply, 2023, None, 11))
    for reply, year, as_of, value in rows:
        Indicator.objects.create(reply=reply, metric="加装电梯", value=Decimal(value), unit="台",
                                 base_value=Decimal(value), base_unit="台", year=year, as_of=as_of, start=value,
                                 end=value + 2, review_status="accepted")
    client.force_login(staff_user)
    response = client.get(reverse("indicators:series"))
    (series,) = response.context["series"]
    assert [p["row"].value for p in series["points"]] == [Decimal(5), Decimal(9), Decimal(11)]
    assert '截至 <time datetime="2022-06-01">2022-06-01</time>' in response.content.decode()
