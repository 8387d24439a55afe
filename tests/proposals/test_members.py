"""Member accounts: online drafts with co-signers, the submission window, the office's inbox and 立案 flow as the
member sees it, ratings of released replies, notifications, and staff opening and closing accounts."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from proposals import member_accounts, services, submission
from proposals.models import Assignment, Cosigner, Notification, Proposal, ProposalDraft, User
from replies.models import Feedback
from replies.services import feedback_record
from tests.factories import (
    DepartmentFactory,
    MemberUserFactory,
    ProposalFactory,
    ReleasedReplyFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_session():
    today = timezone.localdate()
    return SessionFactory(opened_on=today - timedelta(days=30), submission_opens_on=today - timedelta(days=3),
                          submission_closes_on=today + timedelta(days=10))


@pytest.fixture
def lead():
    return MemberUserFactory(member__name="李秀玉", member__email="li@example.org")


@pytest.fixture
def cosigner_account():
    return MemberUserFactory(member__name="陈晓梅")


def draft_of(lead, session, **kwargs):
    return submission.draft_save(by=lead, session=session, title=kwargs.get("title", "关于加快高新技术产业的建议"),
                                 body="建议加大投入。", category=Proposal.Category.ECONOMY)


def test_a_submitted_draft_becomes_a_proposal_with_the_confirmed_co_signers_and_the_next_number(
        open_session, lead, cosigner_account):
    ProposalFactory(session=open_session, number=41)
    draft = draft_of(lead, open_session)
    declined = MemberUserFactory()
    submission.cosigner_invite(draft=draft, member=cosigner_account.member, by=lead)
    submission.cosigner_invite(draft=draft, member=declined.member, by=lead)
    submission.cosigner_answer(cosigner=draft.cosigners.get(member=cosigner_account.member), by=cosigner_account,
                               confirm=True)
    submission.cosigner_answer(cosigner=draft.cosigners.get(member=declined.member), by=declined, confirm=False)
    proposal = submission.draft_submit(draft=draft, by=lead)
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.number == 42
    assert [(link.member, link.position) for link in proposal.proposer_links.all()] == [
        (lead.member, 1), (cosigner_account.member, 2)]
    draft.refresh_from_db()
    assert draft.status == ProposalDraft.Status.SUBMITTED and draft.proposal == proposal


def test_a_draft_waits_for_every_invited_co_signer_to_answer(open_session, lead, cosigner_account):
    draft = draft_of(lead, open_session)
    submission.cosigner_invite(draft=draft, member=cosigner_account.member, by=lead)
    with pytest.raises(ValidationError, match="陈晓梅 尚未确认"):
        submission.draft_submit(draft=draft, by=lead)
    assert not Proposal.objects.exists()


def test_only_the_invited_member_confirms_a_co_signing(open_session, lead, cosigner_account):
    draft = draft_of(lead, open_session)
    cosigner = submission.cosigner_invite(draft=draft, member=cosigner_account.member, by=lead)
    for someone in (lead, MemberUserFactory()):
        with pytest.raises(ValidationError):
            submission.cosigner_answer(cosigner=cosigner, by=someone, confirm=True)
    cosigner.refresh_from_db()
    assert cosigner.status == Cosigner.Status.INVITED


@pytest.mark.parametrize("opens, closes", [(None, None), (-20, -1), (1, 20)])
def test_a_draft_is_not_submitted_outside_the_sessions_window(lead, opens, closes):
    today = timezone.localdate()
    session = SessionFactory(opened_on=today - timedelta(days=30),
                             submission_opens_on=None if opens is None else today + timedelta(days=opens),
                             submission_closes_on=None if closes is None else today + timedelta(days=closes))
    draft = draft_of(lead, session)
    with pytest.raises(ValidationError):
        submission.draft_submit(draft=draft, by=lead)
    assert not Proposal.objects.exists()


def test_the_window_includes_its_first_and_last_day(lead):
    today = timezone.localdate()
    session = SessionFactory(opened_on=today, submission_opens_on=today + timedelta(days=1),
                             submission_closes_on=today + timedelta(days=5))
    first = submission.draft_submit(draft=draft_of(lead, session), by=lead, on=today + timedelta(days=1))
    last = submission.draft_submit(draft=draft_of(lead, session), by=lead, on=today + timedelta(days=5))
    assert (first.number, last.number) == (1, 2)


def test_a_co_signer_cannot_submit_or_edit_the_lead_proposers_draft(client, open_session, lead, cosigner_account):
    draft = draft_of(lead, open_session)
    submission.cosigner_invite(draft=draft, member=cosigner_account.member, by=lead)
    client.force_login(cosigner_account)
    assert client.get(reverse("members:draft", args=[draft.pk])).status_code == 200
    assert client.get(reverse("members:draft-edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("members:draft-action", args=[draft.pk, "submit"]),
                       {"confirmed": "1"}).status_code == 404
    assert ProposalDraft.objects.get().status == ProposalDraft.Status.DRAFT


def test_staff_see_online_proposals_in_their_inbox_and_never_a_draft(client, staff_user, open_session, lead):
    draft_of(lead, open_session, title="仍是草稿的提案")
    submitted = submission.draft_submit(draft=draft_of(lead, open_session, title="网上提交的提案"), by=lead)
    ProposalFactory(session=open_session, status=Proposal.Status.SUBMITTED, title="提案办登记的提案")
    client.force_login(staff_user)
    todo = client.get(reverse("proposals:todo"))
    assert [p.pk for p in todo.context["todo"]["online"]] == [submitted.pk]
    assert "仍是草稿的提案".encode() not in todo.content
    listing = client.get(reverse("proposals:list"), {"q": "提案"})
    assert "仍是草稿的提案".encode() not in listing.content


def test_the_member_is_told_and_shown_the_refusal_reason(client, open_session, lead, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    proposal = submission.draft_submit(draft=draft_of(lead, open_session), by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_refuse(proposal=proposal, reason="属于个人诉求，建议通过信访渠道反映")
    note = Notification.objects.get(user=lead)
    assert note.kind == Notification.Kind.NOT_REGISTERED and "信访渠道" in note.message
    assert [m.to for m in mailoutbox] == [["li@example.org"]] and "信访渠道" in mailoutbox[0].body
    client.force_login(lead)
    page = client.get(reverse("members:proposal", args=[proposal.pk]))
    assert "属于个人诉求，建议通过信访渠道反映" in page.content.decode()


def test_the_member_sees_the_merge_target_and_the_assignment_with_its_due_date(client, open_session, lead):
    target = ProposalFactory(session=open_session, number=7, title="关于科技成果转化的建议")
    merged = submission.draft_submit(draft=draft_of(lead, open_session), by=lead)
    services.proposal_merge(proposal=merged, into=target)
    own = submission.draft_submit(draft=draft_of(lead, open_session, title="第二件"), by=lead)
    services.proposal_register(proposal=own)
    assignment = services.assignment_create(proposal=own, department=DepartmentFactory(name="吉林省科学技术厅"))
    client.force_login(lead)
    merged_page = client.get(reverse("members:proposal", args=[merged.pk])).content.decode()
    assert "第7号《关于科技成果转化的建议》" in merged_page
    own_page = client.get(reverse("members:proposal", args=[own.pk])).content.decode()
    assert "吉林省科学技术厅" in own_page and assignment.due_on.isoformat() in own_page
    assert [n.kind for n in Notification.objects.filter(user=lead).order_by("pk")] == [
        "merged", "registered", "assigned"]


def test_each_co_signer_rates_for_themselves_and_unsatisfied_reopens_the_assignment(
        client, open_session, lead, cosigner_account):
    reply = ReleasedReplyFactory(assignment__proposal__proposers=[lead.member, cosigner_account.member])
    client.force_login(lead)
    ratings = {"rating": "satisfied", "handling_rating": "satisfied", "outcome_rating": "basically"}
    client.post(reverse("members:rate", args=[reply.pk]), ratings)
    client.force_login(cosigner_account)
    unsatisfied = {"rating": "unsatisfied", "handling_rating": "basically", "outcome_rating": "unsatisfied",
                   "comment": "未回应资金来源", "confirmed": "1"}
    client.post(reverse("members:rate", args=[reply.pk]), unsatisfied)
    rows = {f.member: (f.rating, f.recorded_by) for f in Feedback.objects.all()}
    assert rows == {lead.member: ("satisfied", lead), cosigner_account.member: ("unsatisfied", cosigner_account)}
    assert Assignment.objects.get(pk=reply.assignment_id).status == Assignment.Status.REOPENED


def test_unsatisfied_without_a_reason_is_refused_and_nothing_is_recorded(client, lead):
    reply = ReleasedReplyFactory(assignment__proposal__proposers=[lead.member])
    client.force_login(lead)
    response = client.post(reverse("members:rate", args=[reply.pk]), {
        "rating": "unsatisfied", "handling_rating": "unsatisfied", "outcome_rating": "unsatisfied",
        "confirmed": "1"}, follow=True)
    assert "请写明理由" in response.content.decode()
    assert not Feedback.objects.exists()
    assert Assignment.objects.get(pk=reply.assignment_id).status == Assignment.Status.REPLIED


def test_a_rating_staff_entered_on_the_members_behalf_shows_as_such(client, staff_user, lead):
    reply = ReleasedReplyFactory(assignment__proposal__proposers=[lead.member])
    feedback_record(reply=reply, member=lead.member, rating="satisfied", by=staff_user)
    client.force_login(lead)
    page = client.get(reverse("members:proposal", args=[reply.assignment.proposal_id])).content.decode()
    assert "提案委员会代录" in page and 'data-testid="rate-form"' not in page


def test_a_re_handled_reply_is_announced_as_such(lead, supervisor_user, mailoutbox,
                                                django_capture_on_commit_callbacks):
    from replies.services import reply_release
    from tests.factories import ReplyFactory

    reply = ReplyFactory(assignment__proposal__proposers=[lead.member], assignment__reopened_on=date(2022, 9, 1),
                         version=2)
    with django_capture_on_commit_callbacks(execute=True):
        reply_release(reply=reply, by=supervisor_user)
    assert Notification.objects.get(user=lead).kind == Notification.Kind.REHANDLED_REPLY_RELEASED
    assert len(mailoutbox) == 1


def test_notifications_are_listed_unread_and_marked_read(client, lead):
    proposal = ProposalFactory(status=Proposal.Status.SUBMITTED, proposers=[lead.member])
    services.proposal_register(proposal=proposal)
    client.force_login(lead)
    assert client.get(reverse("members:home")).context["unread"] == 1
    client.post(reverse("members:notifications"))
    assert client.get(reverse("members:home")).context["unread"] == 0
    assert Notification.objects.get(user=lead).read_at is not None


def test_staff_open_accounts_in_bulk_with_passwords_shown_once_and_skip_members_who_have_one(
        client, staff_user, lead):
    from tests.factories import MemberFactory

    new = [MemberFactory(name="王建华"), MemberFactory(name="民盟吉林省委", kind="party")]
    client.force_login(staff_user)
    response = client.post(reverse("proposals:member-accounts"), {"member": [lead.member.pk] + [m.pk for m in new]})
    opened = response.context["opened"]
    assert {o.user.member for o in opened} == set(new) and response.context["skipped"] == 1
    assert response["Cache-Control"] == "no-store"
    for account in opened:
        assert account.password in response.content.decode()
        user = User.objects.get(pk=account.user.pk)
        assert user.role == User.Role.MEMBER and user.check_password(account.password)
        assert account.password not in user.password


def test_a_collective_proposer_may_have_several_accounts_and_a_deactivated_one_cannot_sign_in(client, staff_user):
    from tests.factories import MemberFactory

    party = MemberFactory(name="民进吉林省委", kind="party")
    first = member_accounts.member_account_create(member=party, username="mj1")
    second = member_accounts.member_account_create(member=party, username="mj2")
    assert {first.user.member, second.user.member} == {party}
    client.force_login(staff_user)
    client.post(reverse("proposals:member-account-active", args=[first.user.pk]), {"active": "0"})
    assert not User.objects.get(pk=first.user.pk).is_active
    client.logout()
    response = client.post(reverse("login"), {"username": "mj1", "password": first.password})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_member_account_must_name_its_member_and_no_other_role_may(lead):
    from django.db import IntegrityError, transaction

    with transaction.atomic(), pytest.raises(IntegrityError):
        User.objects.filter(pk=lead.pk).update(member=None)
    with transaction.atomic(), pytest.raises(IntegrityError):
        User.objects.filter(pk=lead.pk).update(role=User.Role.STAFF)
