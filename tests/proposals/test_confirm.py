"""The confirm step: an irreversible POST without the flag renders a page that re-posts the same fields."""

import re

import pytest
from django.urls import reverse

from proposals.models import Assignment, Proposal
from tests.factories import AssignmentFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def hidden_fields(html: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html):
        if name == "csrfmiddlewaretoken":
            continue
        fields.setdefault(name, []).append(value)
    return fields


@pytest.mark.parametrize("action, status", [("close", Proposal.Status.REPLIED), ("refuse", Proposal.Status.SUBMITTED)])
def test_an_irreversible_proposal_action_asks_first_and_changes_nothing(client, staff_user, action, status):
    proposal = ProposalFactory(status=status)
    client.force_login(staff_user)
    url = reverse("proposals:action", args=[proposal.pk, action])
    response = client.post(url, {"reason": "属国家事权"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="confirm"' in html and f'action="{url}"' in html
    assert hidden_fields(html) == {"reason": ["属国家事权"], "confirmed": ["1"]}
    assert f'href="{reverse("proposals:detail", args=[proposal.pk])}"' in html and "取消" in html
    assert "<script>" not in html and "onclick" not in html
    proposal.refresh_from_db()
    assert proposal.status == status
    client.post(url, {**hidden_fields(html), "confirmed": "1", "reason": "属国家事权"})
    proposal.refresh_from_db()
    assert proposal.status == (Proposal.Status.CLOSED if action == "close" else Proposal.Status.NOT_REGISTERED)


def test_merge_and_return_name_what_they_act_on(client, staff_user):
    proposal = ProposalFactory(status=Proposal.Status.REGISTERED)
    target = ProposalFactory(session=proposal.session, status=Proposal.Status.REGISTERED, title="被并入的提案")
    client.force_login(staff_user)
    html = client.post(reverse("proposals:action", args=[proposal.pk, "merge"]), {"into": target.pk}).content.decode()
    assert "被并入的提案" in html and hidden_fields(html)["into"] == [str(target.pk)]
    assert Proposal.objects.get(pk=proposal.pk).merged_into is None

    assignment = AssignmentFactory(department__name="吉林省教育厅")
    html = client.post(reverse("proposals:action", args=[assignment.proposal_id, "return"]),
                       {"assignment": assignment.pk, "reason": "不属本单位职责"}).content.decode()
    assert "吉林省教育厅" in html and "不属本单位职责" in html
    assert Assignment.objects.get(pk=assignment.pk).status != Assignment.Status.RETURNED


def test_reversible_actions_need_no_confirmation(client, staff_user):
    proposal = ProposalFactory(status=Proposal.Status.SUBMITTED)
    client.force_login(staff_user)
    response = client.post(reverse("proposals:action", args=[proposal.pk, "register"]))
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.REGISTERED


def test_a_form_that_cannot_pass_is_refused_before_the_confirmation(client, staff_user):
    proposal = ProposalFactory(status=Proposal.Status.SUBMITTED)
    client.force_login(staff_user)
    response = client.post(reverse("proposals:action", args=[proposal.pk, "refuse"]), {"reason": ""})
    assert response.status_code == 302 and response.url == reverse("proposals:detail", args=[proposal.pk])
    assert any("理由" in str(m) for m in response.wsgi_request._messages)
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED
