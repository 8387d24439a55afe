import pytest
from django.core.management import call_command

from proposals.models import Assignment, Member, Proposal, User
from replies.models import Feedback, Reply

pytestmark = pytest.mark.django_db

MODELS = (Proposal, Assignment, Member, User, Reply, Feedback)


def test_demo_data_loaded_twice_has_no_duplicates(media_root):
    call_command("load_demo")
    counts = {model: model.objects.count() for model in MODELS}
    call_command("load_demo")
    assert {model: model.objects.count() for model in MODELS} == counts
    assert counts[Proposal] >= 13


def test_demo_has_proposal_135_with_its_reply_and_one_account_per_role(media_root):
    call_command("load_demo")
    proposal = Proposal.objects.get(session__name="十二届五次会议", number=135)
    assert proposal.proposer_links.get().member.name == "李秀玉"
    reply = Reply.objects.get(assignment__proposal=proposal)
    assert reply.assignment.department.name == "吉林省科学技术厅"
    assert reply.file.read(5) == b"%PDF-"
    assert set(User.objects.values_list("role", flat=True)) == {"staff", "supervisor", "department"}
    assert Proposal.objects.filter(status__in=["not_registered", "merged", "submitted", "assigned"]).count() >= 4
