"""The admin shows workflow state and never sets it: a POST of the whole change form with a new status changes
nothing that a workflow step owns."""

import pytest
from django.contrib import admin
from django.urls import reverse

from indicators.models import Commitment
from proposals.models import Assignment, Proposal
from replies.models import Reply
from tests.admin_forms import form_data
from tests.factories import AssignmentFactory, ReleasedReplyFactory, ReplyFactory

pytestmark = pytest.mark.django_db


def post_change(client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {**form_data(page), **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    obj.refresh_from_db()
    return obj


def test_a_post_to_the_proposal_change_form_cannot_change_its_status(admin_client):
    proposal = AssignmentFactory().proposal
    post_change(admin_client, proposal, status=Proposal.Status.CLOSED, title="改过的案由")
    assert (proposal.status, proposal.title) == (Proposal.Status.ASSIGNED, "改过的案由")  # the rest still edits


def test_a_post_to_the_assignment_change_form_cannot_change_its_state(admin_client):
    assignment = AssignmentFactory()
    before = (assignment.status, assignment.due_on, assignment.hard_due_on, assignment.signed_on)
    post_change(admin_client, assignment, status=Assignment.Status.CLOSED, due_on="2030-01-01",
                hard_due_on="2030-01-01", signed_on="2022-04-02", role="co")
    assert (assignment.status, assignment.due_on, assignment.hard_due_on, assignment.signed_on) == before
    assert assignment.role == Assignment.Role.LEAD


def test_a_post_to_the_reply_change_form_cannot_submit_release_or_reparse_it(admin_client):
    reply = ReplyFactory(submitted_at=None)
    post_change(admin_client, reply, submitted_at_0="2022-07-06", submitted_at_1="10:00:00",
                released_at_0="2022-07-06", released_at_1="10:00:00", parse_status="failed", match_status="matched",
                doc_number="吉科发〔2022〕9号")
    assert (reply.submitted_at, reply.released_at, reply.parse_status, reply.match_status) == (
        None, None, Reply.ParseStatus.QUEUED, "")
    assert reply.doc_number == "吉科发〔2022〕9号"


def test_a_post_to_the_commitment_change_form_cannot_review_or_follow_it_up(admin_client):
    commitment = Commitment.objects.create(reply=ReleasedReplyFactory(), text="将推进", start=0, end=3)
    post_change(admin_client, commitment, review_status="accepted", follow_up_status="kept", text="将加快推进")
    assert (commitment.review_status, commitment.follow_up_status, commitment.text) == ("pending", "pending", "将加快推进")


@pytest.mark.parametrize("model", ["proposals_assignment", "proposals_extension", "replies_reply",
                                   "replies_feedback", "indicators_commitment"])
def test_workflow_records_cannot_be_added_in_the_admin(admin_client, model):
    assert admin_client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_every_workflow_status_field_is_read_only_in_every_admin():
    owned = {"status", "review_status", "follow_up_status", "parse_status", "match_status", "submitted_at",
             "released_at", "released_by", "signed_on", "returned_on", "reopened_on", "rating"}
    for model, model_admin in admin.site._registry.items():
        fields = {f.name for f in model._meta.get_fields()} & owned
        if model._meta.app_label in ("proposals", "replies", "indicators"):
            assert fields <= set(model_admin.get_readonly_fields(None)), (model, fields)
