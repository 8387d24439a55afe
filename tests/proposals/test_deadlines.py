from datetime import date

import pytest

from proposals.deadlines import add_months, compute_deadlines
from tests.factories import SessionFactory


def test_adding_months_clamps_to_the_end_of_a_shorter_month():
    assert add_months(date(2022, 11, 30), 3) == date(2023, 2, 28)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2022, 1, 31), 1) == date(2022, 2, 28)
    assert add_months(date(2022, 4, 15), 3) == date(2022, 7, 15)


@pytest.mark.django_db
def test_plenary_and_interim_proposals_get_their_own_months_and_the_hard_cap():
    session = SessionFactory.build(plenary_months=5, interim_months=3, hard_cap_months=6, co_opinion_months=2)
    plenary = compute_deadlines(session=session, made_at="plenary", role="lead", assigned_on=date(2022, 11, 30))
    interim = compute_deadlines(session=session, made_at="interim", role="lead", assigned_on=date(2022, 11, 30))
    assert plenary.due_on == date(2023, 4, 30)
    assert interim.due_on == date(2023, 2, 28)
    assert plenary.hard_due_on == interim.hard_due_on == date(2023, 5, 30)


def test_co_handling_gets_the_opinion_time():
    session = SessionFactory.build(plenary_months=3, co_opinion_months=1)
    deadlines = compute_deadlines(session=session, made_at="plenary", role="co", assigned_on=date(2022, 12, 31))
    assert deadlines.due_on == date(2023, 1, 31)
