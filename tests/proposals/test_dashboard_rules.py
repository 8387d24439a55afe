"""What the dashboard counts as answered, and that its figures are the same and fresh whichever view is read."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from indicators.models import Commitment
from proposals import services
from proposals.models import Proposal
from proposals.selectors import department_dashboard
from replies.services import reply_create, reply_signoff, reply_submit
from tests.factories import (
    AssignmentFactory,
    ProposalFactory,
    ReleasedReplyFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2022, 8, 1)
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rules"}}


def by_department(user, **view):
    return {row["department"]: row for row in department_dashboard(user=user, today=TODAY, **view)}


@pytest.fixture
def cached(settings):
    from django.core.cache import cache

    settings.CACHES = LOCAL_CACHE
    cache.clear()
    yield
    cache.clear()


def test_a_lead_draft_waiting_for_signoff_is_not_replied(staff_user):
    proposal = ProposalFactory(status=Proposal.Status.ASSIGNED)
    lead = AssignmentFactory(proposal=proposal)
    co = AssignmentFactory(proposal=proposal, role="co")
    draft = reply_create(assignment=lead, uploaded_by=None)
    assert draft.submitted_at is None
    assert by_department(staff_user)[lead.department]["replied"] == 0
    reply_signoff(reply=draft, assignment=co, by=staff_user)
    reply_submit(reply=draft, by=staff_user)
    assert by_department(staff_user)[lead.department]["replied"] == 1


def test_a_co_handling_opinion_counts_as_the_co_handlers_reply(staff_user):
    co = AssignmentFactory(role="co", proposal__status=Proposal.Status.ASSIGNED)
    assert by_department(staff_user)[co.department]["replied"] == 0
    services.co_opinion_send(assignment=co, text="同意主办单位意见", by=UserFactory())
    row = by_department(staff_user)[co.department]
    assert (row["replied"], row["reply_rate"]) == (1, 100.0)


def test_each_separate_departments_reply_counts_for_that_department(staff_user):
    proposal = ProposalFactory(status=Proposal.Status.ASSIGNED)
    answered, waiting = (AssignmentFactory(proposal=proposal, role="separate") for _ in range(2))
    reply_create(assignment=answered, uploaded_by=None)
    rows = by_department(staff_user)
    assert (rows[answered.department]["replied"], rows[waiting.department]["replied"]) == (1, 0)


def test_a_second_version_does_not_count_twice(staff_user):
    assignment = AssignmentFactory(proposal__status=Proposal.Status.ASSIGNED)
    reply_create(assignment=assignment, uploaded_by=None)
    assignment.refresh_from_db()
    services.assignment_reopen(assignment=assignment)
    reply_create(assignment=assignment, uploaded_by=None)
    assert by_department(staff_user)[assignment.department]["replied"] == 1


def commitments(reply, *statuses):
    for number, status in enumerate(statuses):
        Commitment.objects.create(reply=reply, text="将推进", start=number * 4, end=number * 4 + 3,
                                  review_status="accepted", follow_up_status=status)


def test_the_kept_rate_is_the_same_in_every_view_of_the_same_commitments(client, staff_user, cached):
    session = SessionFactory(year=2022)
    reply = ReleasedReplyFactory(assignment__proposal__session=session)
    commitments(reply, "kept", "lapsed", "in_progress", "kept")
    AssignmentFactory(proposal__session=SessionFactory(year=2021))  # another year's work, no commitments
    client.force_login(staff_user)
    url = reverse("proposals:dashboard")
    views = [{}, {"session": session.pk}, {"year": 2022}]

    def kept_rates():
        pages = [client.get(url, view).context for view in views]
        return {(page["totals"]["kept_rate"], *[r["kept_rate"] for r in page["rows"] if r["commitments"]])
                for page in pages}

    assert kept_rates() == {(50.0, 50.0)}
    from indicators.services import commitment_follow_up

    commitment_follow_up(commitment=reply.commitments.get(follow_up_status="in_progress"), status="kept",
                         by=staff_user, evidence="已完成")
    assert kept_rates() == {(75.0, 75.0)}  # every view, cached or not, has the change


def test_cached_figures_follow_every_write_that_changes_them(client, staff_user, cached):
    from replies.services import feedback_record

    reply = ReleasedReplyFactory(assignment__proposal__status=Proposal.Status.REPLIED)
    client.force_login(staff_user)
    url = reverse("proposals:dashboard")
    (row,) = client.get(url).context["rows"]
    assert row["rated"] == 0
    feedback_record(reply=reply, member=reply.assignment.proposal.proposers.get(), rating="satisfied")
    (row,) = client.get(url).context["rows"]
    assert (row["rated"], row["satisfaction_rate"]) == (1, 100.0)


def test_recomputed_due_dates_refresh_the_overdue_figure(client, staff_user, cached):
    from django.utils import timezone

    from proposals.models import Session

    session = SessionFactory(plenary_months=3, hard_cap_months=12, opened_on=date(2000, 1, 1))
    AssignmentFactory(proposal__session=session, proposal__submitted_on=date(2000, 1, 1),
                      assigned_on=timezone.localdate() - timedelta(days=100))
    client.force_login(staff_user)
    url = reverse("proposals:dashboard")
    assert client.get(url).context["totals"]["overdue"] == 1
    Session.objects.filter(pk=session.pk).update(plenary_months=6)  # no signal here...
    services.deadlines_recompute(session=session)  # ...nor from its bulk_update: it invalidates itself
    assert client.get(url).context["totals"]["overdue"] == 0


def test_figures_cached_before_a_write_commits_are_dropped_when_it_commits(staff_user, cached,
                                                                           django_capture_on_commit_callbacks):
    from proposals.selectors import department_dashboard_cached

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        AssignmentFactory()
        AssignmentFactory()
        _, during = department_dashboard_cached(user=staff_user, today=TODAY)  # as a request reading meanwhile
    assert [c.__name__ for c in callbacks].count("_dashboard_bump") == 1  # one bump per transaction
    _, after = department_dashboard_cached(user=staff_user, today=TODAY)
    assert after > during
