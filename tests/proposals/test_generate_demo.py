import hashlib
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from indicators.models import Commitment, Indicator
from proposals.deadlines import compute_deadlines
from proposals.models import Assignment, Department, Proposal, Session, User
from replies.models import Feedback, Reply

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
SMALL = {"proposals": 300, "sessions": 6, "departments": 36, "seed": 7, "today": TODAY}


def generate(**options):
    call_command("generate_demo", **{**SMALL, **options}, stdout=io.StringIO(), stderr=io.StringIO())


def digest() -> str:
    """The generated rows, without the ids of the small tables (those come from their sequences)."""
    rows = [Proposal.objects.order_by("pk").values_list("pk", "session__name", "number", "title", "status"),
            Assignment.objects.order_by("pk").values_list("proposal_id", "department__name", "role", "status",
                                                          "due_on"),
            Reply.objects.order_by("pk").values_list("assignment_id", "version", "text", "released_at"),
            Indicator.objects.order_by("pk").values_list("reply_id", "start", "end", "metric", "value")]
    return hashlib.sha256(repr([list(q) for q in rows]).encode()).hexdigest()


def test_generate_demo_writes_the_counts_of_its_scale():
    generate()
    assert Session.objects.count() == 6
    assert Department.objects.count() == 36
    assert Proposal.objects.count() == 300
    assert Assignment.objects.count() == 450
    assert Reply.objects.count() == 360
    assert Indicator.objects.count() == 6000
    assert Commitment.objects.count() == 900
    assert User.objects.filter(role=User.Role.DEPARTMENT).count() == 36


def test_generate_demo_proposals_are_in_every_status_with_consistent_assignments():
    generate()
    assert set(Proposal.objects.values_list("status", flat=True)) == set(Proposal.Status.values)
    active = Assignment.objects.exclude(status=Assignment.Status.RETURNED)
    leads = Proposal.objects.annotate(leads=Count("assignments", filter=Q(assignments__in=active.filter(role="lead"))))
    handled = ("assigned", "replied", "evaluated", "closed")
    assert not leads.filter(status__in=handled).exclude(leads=1).exists()
    assert not Proposal.objects.exclude(status__in=handled).filter(assignments__isnull=False).exists()
    assert not Proposal.objects.filter(status="merged").exclude(merged_into__session=F("session")).exists()
    assert not active.filter(proposal__status="closed").exclude(status="closed").exists()
    assert not Assignment.objects.filter(proposal__status="assigned", role="lead").exclude(
        status__in=Assignment.OPEN_STATUSES).exclude(status="returned").exists()


def test_generate_demo_due_dates_follow_the_session_rule_and_some_are_overdue():
    generate()
    for assignment in Assignment.objects.select_related("proposal__session").filter(reopened_on__isnull=True):
        deadlines = compute_deadlines(session=assignment.proposal.session, made_at=assignment.proposal.made_at,
                                      role=assignment.role, assigned_on=assignment.assigned_on)
        assert (assignment.due_on, assignment.hard_due_on) == (deadlines.due_on, deadlines.hard_due_on)
    overdue = Proposal.objects.overdue(on=TODAY).count()
    assert 0 < overdue < Proposal.objects.filter(status="assigned").count() + 1


def test_generate_demo_replies_are_parsed_with_rows_inside_their_text():
    generate()
    assert not Reply.objects.exclude(parse_status=Reply.ParseStatus.PARSED).exists()
    assert not Reply.objects.filter(text="").exists()
    long = Reply.objects.get(pages=40)
    assert long.indicators.count() == 300
    for reply in Reply.objects.prefetch_related("indicators", "commitments"):
        for row in reply.indicators.all():
            assert 0 <= row.start < row.end <= len(reply.text)
            written = reply.text[row.start:row.end]
            assert written.endswith(row.unit) and Decimal(written.removesuffix(row.unit)) == row.value
        for row in reply.commitments.all():
            assert reply.text[row.start:row.end] == row.text
    assert not Feedback.objects.filter(reply__released_at__isnull=True).exists()
    # a release needs every row reviewed first; the unreleased replies' rows wait for review
    released_pending = Q(reply__released_at__isnull=False, review_status="pending")
    assert not Indicator.objects.filter(released_pending).exists()
    assert not Commitment.objects.filter(released_pending).exists()
    assert Indicator.objects.filter(reply__released_at__isnull=True, review_status="pending").exists()


def test_generate_demo_is_deterministic_with_copy_and_with_inserts():
    generate()
    first = digest()
    generate(flush=True, interactive=False)
    assert digest() == first
    generate(flush=True, interactive=False, copy=False)
    assert digest() == first


def test_generate_demo_leaves_sequences_past_its_rows():
    generate()
    session = Session.objects.first()
    proposal = Proposal.objects.create(session=session, number=99999, title="关于新提案的建议", submitted_on=TODAY)
    assert proposal.pk > Proposal.objects.exclude(pk=proposal.pk).order_by("-pk").first().pk


def test_generate_demo_refuses_a_database_that_holds_proposals():
    generate()
    with pytest.raises(CommandError, match="already holds"):
        generate()


def test_generate_demo_answered_assignments_carry_the_day_of_their_first_answer():
    from django.db.models import Min
    from django.utils import timezone

    generate()
    first = {row["assignment_id"]: timezone.localdate(row["first"]) for row in Reply.objects.filter(
        submitted_at__isnull=False).values("assignment_id").annotate(first=Min("submitted_at"))}
    assert first
    for pk, day in Assignment.objects.filter(pk__in=first).values_list("pk", "first_replied_on"):
        assert day == first[pk]
    answered = Assignment.objects.filter(status__in=["replied", "closed", "reopened"])
    assert not answered.filter(first_replied_on__isnull=True).exists()  # co-handlers answered by their opinion
    assert not Assignment.objects.filter(status__in=["assigned", "signed"], first_replied_on__isnull=False).exists()


def test_generate_demo_spreads_over_committees_of_both_kinds_each_answered_by_its_places_departments():
    from proposals.models import Committee, Member, Proposer, Region

    generate()
    committees = Committee.objects.select_related("region")
    assert committees.count() == 6 and {c.body for c in committees} == {"cppcc", "npc"}
    assert Region.objects.count() == 3 and all(place.committees.count() == 2 for place in Region.objects.all())
    assert all(Department.objects.filter(region=place).count() == 12 for place in Region.objects.all())
    assert all(Proposal.objects.filter(session__committee=c).exists() for c in committees)
    # a proposal goes to departments of its committee's place, from proposers of its committee
    assert not Assignment.objects.exclude(department__region=F("proposal__session__committee__region")).exists()
    assert not Member.objects.filter(committee=None).exists()
    assert not Proposer.objects.exclude(member__committee=F("proposal__session__committee")).exists()
    # 人大 suggestions are made by deputies (代表), and answered as 建议
    npc = Proposal.objects.filter(session__committee__body="npc")
    assert npc.exists() and not npc.exclude(title__endswith="的建议").exists()
    assert not Proposer.objects.filter(proposal__in=npc).exclude(member__kind=Member.Kind.PERSON).exists()
    replies = Reply.objects.filter(assignment__proposal__in=npc)
    assert replies.exists() and all(r.text.partition("\n")[0].endswith("号代表建议的答复") for r in replies)


def test_generate_demo_office_accounts_work_for_one_committee_each_and_the_supervisor_for_all():
    generate()
    offices = User.objects.filter(role=User.Role.STAFF).prefetch_related("committees")
    assert offices.count() == 6 and not offices.filter(all_committees=True).exists()
    assert sorted(len(u.committees.all()) for u in offices) == [1] * 6
    assert len({u.committees.get().pk for u in offices}) == 6
    assert [c.name for c in User.objects.get(username="staff").committees.all()] == ["吉林省政协"]
    assert User.objects.get(username="supervisor").all_committees
    assert User.objects.get(username="supervisor").check_password("demo-2026")
