from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from indicators.models import Commitment
from proposals.selectors import department_dashboard
from tests.factories import AssignmentFactory, DepartmentFactory, FeedbackFactory, ReplyFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def replied(assignment, on: date):
    """A reply submitted on `on`: the assignment notes its first answer, as every submission does."""
    from proposals.services import assignment_note_answer

    at = datetime(on.year, on.month, on.day, 10, tzinfo=SHANGHAI)
    assignment_note_answer(assignment=assignment, at=at)
    return ReplyFactory(assignment=assignment, uploaded_at=at, submitted_at=at, version=assignment.replies.count() + 1)


def test_dashboard_figures_per_department(staff_user):
    department = DepartmentFactory()
    on_time = AssignmentFactory(department=department, assigned_on=date(2022, 4, 1), status="replied")
    late = AssignmentFactory(department=department, assigned_on=date(2022, 4, 1), status="replied")
    AssignmentFactory(department=department, assigned_on=date(2022, 4, 1))  # open, overdue in 2022-08
    AssignmentFactory(department=department, assigned_on=date(2022, 4, 1), status="returned", return_reason="错分")
    first = replied(on_time, date(2022, 5, 1))
    replied(late, date(2022, 7, 31))
    FeedbackFactory(reply=first, rating="satisfied")
    for status in ("kept", "lapsed"):
        Commitment.objects.create(reply=first, text="将推进", start=0, end=3, review_status="accepted",
                                  follow_up_status=status)
    Commitment.objects.create(reply=first, text="将推进", start=4, end=6, review_status="rejected",
                              follow_up_status="kept")

    (row,) = department_dashboard(user=staff_user, today=date(2022, 8, 1))
    assert (row["assigned"], row["replied"], row["on_time"], row["overdue"]) == (3, 2, 1, 1)
    assert (row["reply_rate"], row["on_time_rate"]) == (66.7, 33.3)
    assert (row["satisfaction_rate"], row["kept_rate"], row["commitments"]) == (100.0, 50.0, 2)
    assert row["median_days"] == (30 + 121) / 2


def test_a_department_user_counts_only_its_own_row(department_user):
    AssignmentFactory(department=department_user.department)
    AssignmentFactory()
    rows = department_dashboard(user=department_user, today=date(2022, 8, 1))
    assert [r["department"] for r in rows] == [department_user.department]


@pytest.mark.parametrize("name", ["proposals:dashboard", "proposals:report", "indicators:series"])
def test_a_department_user_opening_an_overview_page_by_its_url_gets_the_apps_403_page(client, department_user,
                                                                                     name):
    client.force_login(department_user)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert 'data-testid="error-page"' in response.content.decode() and "没有权限" in response.content.decode()
    assert reverse(name) not in client.get(reverse("proposals:queue")).content.decode()


def test_dashboard_filters_by_session(staff_user):
    kept = AssignmentFactory(assigned_on=date(2022, 4, 1))
    AssignmentFactory(assigned_on=date(2022, 4, 1) + timedelta(days=1))
    rows = department_dashboard(user=staff_user, today=date(2022, 8, 1), session=kept.proposal.session)
    assert [r["department"] for r in rows] == [kept.department]


def test_dashboard_queries_do_not_grow_with_departments(staff_user, django_assert_num_queries):
    for _ in range(5):
        replied(AssignmentFactory(assigned_on=date(2022, 4, 1), status="replied"), date(2022, 5, 1))
    # assignments (with their first answers), feedback, commitments, departments
    with django_assert_num_queries(4):
        rows = department_dashboard(user=staff_user, today=date(2022, 8, 1))
    assert len(rows) == 5 and all(r["median_days"] == 30 for r in rows)


def test_a_later_version_does_not_change_the_first_reply(supervisor_user):
    assignment = AssignmentFactory(assigned_on=date(2022, 4, 1), status="replied")
    replied(assignment, date(2022, 5, 1))
    ReplyFactory(assignment=assignment, version=2,
                 uploaded_at=datetime(2022, 9, 1, 10, tzinfo=SHANGHAI))
    (row,) = department_dashboard(user=supervisor_user, today=date(2022, 10, 1))
    assert (row["department"], row["replied"], row["on_time"], row["median_days"]) == (assignment.department, 1, 1, 30)


def test_median_on_sqlite_ignores_nulls():
    import sqlite3

    from proposals.aggregates import SQLiteMedian

    connection = sqlite3.connect(":memory:")
    connection.create_aggregate("MEDIAN", 1, SQLiteMedian)
    connection.execute("CREATE TABLE t (v INTEGER)")
    connection.executemany("INSERT INTO t VALUES (?)", [(1,), (2,), (3,), (10,), (None,)])
    assert connection.execute("SELECT MEDIAN(v) FROM t").fetchone() == (2.5,)
    assert connection.execute("SELECT MEDIAN(v) FROM t WHERE v IS NULL").fetchone() == (None,)


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dashboard"}}


def test_the_office_sees_cached_figures_until_a_write_changes_them(client, staff_user, department_user,
                                                                    settings):
    from django.core.cache import cache

    settings.CACHES = LOCAL_CACHE
    cache.clear()
    AssignmentFactory(department=department_user.department)
    client.force_login(staff_user)
    first = client.get(reverse("proposals:dashboard"))
    again = client.get(reverse("proposals:dashboard"))
    assert again.context["computed_at"] == first.context["computed_at"]  # nothing changed: served from the cache
    assert "统计于" in again.content.decode()
    AssignmentFactory(department=department_user.department)
    fresh = client.get(reverse("proposals:dashboard"))
    assert [r["assigned"] for r in fresh.context["rows"]] == [2]
    assert fresh.context["computed_at"] > first.context["computed_at"]
    cache.clear()


def test_the_refresh_task_fills_the_cache_the_office_reads(staff_user, settings, django_assert_num_queries):
    from django.core.cache import cache
    from django.utils import timezone

    from proposals.selectors import department_dashboard_cached
    from proposals.tasks import dashboard_refresh_task

    settings.CACHES = LOCAL_CACHE
    cache.clear()
    AssignmentFactory()
    dashboard_refresh_task()
    with django_assert_num_queries(0):
        rows, _ = department_dashboard_cached(user=staff_user, today=timezone.localdate())
    assert [r["assigned"] for r in rows] == [1]
    cache.clear()
