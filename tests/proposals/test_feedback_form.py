"""The feedback form asks the member's overall and sub-ratings with nothing chosen in advance; all are kept and shown."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from proposals.forms import FeedbackForm
from proposals.models import Proposal
from replies.models import Feedback
from tests.factories import ReleasedReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def released():
    return ReleasedReplyFactory(assignment__proposal__status=Proposal.Status.REPLIED)


def post_feedback(client, reply, **data):
    proposal = reply.assignment.proposal
    return client.post(reverse("proposals:action", args=[proposal.pk, "feedback"]),
                       {"reply": reply.pk, "member": proposal.proposers.get().pk, **data}, follow=True)


def test_no_rating_is_chosen_in_advance(client, staff_user, released):
    form = FeedbackForm(proposal=released.assignment.proposal)
    for name in ("rating", "handling_rating", "outcome_rating"):
        html = str(form[name])
        assert 'type="radio"' in html and "checked" not in html
    client.force_login(staff_user)
    page = client.get(reverse("proposals:detail", args=[released.assignment.proposal_id])).content.decode()
    feedback_form = page.split("录入征询意见")[1].split("</form>")[0]
    assert "对办理工作的评价" in feedback_form and "checked" not in feedback_form


def test_feedback_without_a_rating_is_refused_and_nothing_is_kept(client, staff_user, released):
    client.force_login(staff_user)
    response = post_feedback(client, released, handling_rating="satisfied", outcome_rating="satisfied")
    assert "请选择总体评价" in response.content.decode()
    assert not Feedback.objects.exists()


def test_sub_ratings_are_stored_shown_and_exported(client, staff_user, released):
    client.force_login(staff_user)
    response = post_feedback(client, released, rating="basically", handling_rating="satisfied",
                             outcome_rating="unsatisfied", comment="资金尚未落实")
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.handling_rating, feedback.outcome_rating) == (
        "basically", "satisfied", "unsatisfied")
    shown = response.content.decode().split('data-testid="feedback">')[1].split("</div>")[0]
    assert "基本满意" in shown and "办理工作 满意" in shown and "办理结果 不满意" in shown

    content = b"".join(client.get(reverse("proposals:export")).streaming_content)
    header, row = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    exported = dict(zip(header, row, strict=True))
    assert (exported["满意度"], exported["办理工作评价"], exported["办理结果评价"]) == ("基本满意", "满意", "不满意")
