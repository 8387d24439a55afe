"""Staff log and correct proposals in the app: the new-proposal page, its proposer rows and attachments."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import Member, Proposal, ProposalAttachment
from tests.factories import AssignmentFactory, MemberFactory, ProposalFactory, SessionFactory

pytestmark = pytest.mark.django_db


def form_data(session, number, **extra):
    data = {"session": session.pk, "number": number, "title": "关于发展冰雪经济的建议", "made_at": "plenary",
            "category": "economy", "submitted_on": "2022-01-17", "body": "冰雪经济是吉林的优势。",
            "proposer_name": ["王立新", "民盟吉林省委", ""], "proposer_kind": ["person", "party", "person"]}
    data.update(extra)
    return data


def pdf(name="原件.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 scanned proposal", content_type="application/pdf")


def test_new_proposal_page_suggests_the_next_number_of_the_latest_session(client, staff_user):
    older = SessionFactory(opened_on=date(2021, 1, 10))
    latest = SessionFactory(opened_on=date(2022, 1, 16))
    ProposalFactory(session=latest, number=134)
    ProposalFactory(session=older, number=500)
    client.force_login(staff_user)
    page = client.get(reverse("proposals:create"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["session"] == latest and form.initial["number"] == 135
    assert f'"{older.pk}": 501' in page.context["next_numbers"]


def test_staff_log_a_proposal_with_ordered_proposers_a_collective_one_and_an_attachment(client, staff_user,
                                                                                       media_root):
    session = SessionFactory()
    existing = MemberFactory(name="王立新")
    client.force_login(staff_user)
    response = client.post(reverse("proposals:create"), {**form_data(session, 7), "attachments": [pdf()]})
    proposal = Proposal.objects.get(session=session, number=7)
    assert response.status_code == 302 and response.url == reverse("proposals:detail", args=[proposal.pk])
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.made_at == "plenary"
    links = list(proposal.proposer_links.select_related("member"))
    assert [(link.position, link.member.name, link.member.kind) for link in links] == [
        (1, "王立新", "person"), (2, "民盟吉林省委", "party")]
    assert links[0].member == existing  # a known member is reused, not duplicated
    attachment = proposal.attachments.get()
    assert attachment.original_name == "原件.pdf" and attachment.uploaded_by == staff_user
    assert "原件" not in attachment.file.name  # stored under a generated name
    served = client.get(reverse("proposals:attachment", args=[attachment.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")


def test_a_duplicate_number_is_refused_clearly_and_nothing_typed_or_chosen_is_lost(client, staff_user, media_root):
    session = SessionFactory(name="十二届五次会议")
    ProposalFactory(session=session, number=7, title="关于黑土地保护的建议")
    ProposalFactory(session=session, number=9)
    client.force_login(staff_user)
    response = client.post(reverse("proposals:create"), {**form_data(session, 7), "attachments": [pdf()]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "十二届五次会议已有第7号提案《关于黑土地保护的建议》；下一个可用的提案号是 10。" in page
    assert "关于发展冰雪经济的建议" in page and "冰雪经济是吉林的优势。" in page
    assert 'value="王立新"' in page and 'value="民盟吉林省委"' in page
    assert Proposal.objects.filter(session=session).count() == 2 and not Member.objects.filter(name="民盟吉林省委")
    [kept] = response.context["pending"]
    assert kept["original"] == "原件.pdf"

    response = client.post(reverse("proposals:create"), {**form_data(session, 10),
                                                         "pending_attachment": [kept["token"]]})
    proposal = Proposal.objects.get(session=session, number=10)
    assert response.status_code == 302
    assert proposal.attachments.get().original_name == "原件.pdf"


def test_a_pending_attachment_of_another_user_is_ignored(client, staff_user, media_root):
    from django.core import signing
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from proposals.views import PENDING_ATTACHMENT_SALT

    session = SessionFactory()
    name = default_storage.save("proposals/pending/secret.pdf", ContentFile(b"%PDF other"))
    token = signing.dumps({"name": name, "original": "secret.pdf", "size": 10, "user": staff_user.pk + 999},
                          salt=PENDING_ATTACHMENT_SALT)
    client.force_login(staff_user)
    client.post(reverse("proposals:create"), {**form_data(session, 3), "pending_attachment": [token]})
    assert not ProposalAttachment.objects.exists()


def test_proposers_are_required_and_an_unsupported_attachment_is_refused(client, staff_user, media_root):
    session = SessionFactory()
    client.force_login(staff_user)
    response = client.post(reverse("proposals:create"), {**form_data(session, 1), "proposer_name": ["", ""]})
    assert "请至少填写一位提案人" in response.content.decode()
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(reverse("proposals:create"), {**form_data(session, 1), "attachments": [bad]})
    assert response.status_code == 200 and "类型不支持" in response.content.decode()
    assert not Proposal.objects.exists()


def test_staff_correct_a_proposal_before_it_is_registered(client, staff_user, media_root):
    first, second = MemberFactory(name="甲"), MemberFactory(name="乙")
    proposal = ProposalFactory(status=Proposal.Status.SUBMITTED, proposers=[first, second], number=4)
    client.force_login(staff_user)
    page = client.get(reverse("proposals:edit", args=[proposal.pk])).content.decode()
    assert 'value="甲"' in page and page.index('value="甲"') < page.index('value="乙"')
    response = client.post(reverse("proposals:edit", args=[proposal.pk]), form_data(
        proposal.session, 4, title="改正后的案由", proposer_name=["乙", "甲"], proposer_kind=["person", "person"]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "改正后的案由"
    assert list(proposal.proposer_links.values_list("member__name", flat=True)) == ["乙", "甲"]


def test_a_registered_proposal_is_no_longer_edited_here(client, staff_user):
    proposal = ProposalFactory(status=Proposal.Status.REGISTERED)
    client.force_login(staff_user)
    response = client.post(reverse("proposals:edit", args=[proposal.pk]), form_data(proposal.session, 99))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.number != 99


@pytest.mark.parametrize("who", ["department_user", "supervisor_user"])
def test_only_staff_log_or_edit_proposals(client, request, who):
    proposal = ProposalFactory(status=Proposal.Status.SUBMITTED)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("proposals:create")).status_code == 403
    assert client.post(reverse("proposals:create"), form_data(proposal.session, 50)).status_code == 403
    assert client.get(reverse("proposals:edit", args=[proposal.pk])).status_code == 403
    assert "登记提案" not in client.get(reverse("proposals:list")).content.decode()
    assert not Proposal.objects.filter(number=50).exists()


def test_the_list_links_to_the_new_proposal_page_for_staff(client, staff_user):
    client.force_login(staff_user)
    assert reverse("proposals:create") in client.get(reverse("proposals:list")).content.decode()


def test_attachments_are_served_only_to_those_who_see_the_proposal(client, staff_user, department_user,
                                                                  other_department_user, media_root):
    from proposals.services import proposal_attachment_add

    assignment = AssignmentFactory(department=department_user.department)
    attachment = proposal_attachment_add(proposal=assignment.proposal, file=pdf(), by=staff_user)
    url = reverse("proposals:attachment", args=[attachment.pk])
    client.force_login(other_department_user)
    assert client.get(url).status_code == 404
    client.force_login(department_user)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_staff_remove_and_add_attachments_while_correcting_a_proposal(client, staff_user, media_root):
    from proposals.services import proposal_attachment_add

    proposal = ProposalFactory(status=Proposal.Status.SUBMITTED, proposers=[MemberFactory(name="甲")], number=4)
    wrong = proposal_attachment_add(proposal=proposal, file=pdf("错的.pdf"), by=staff_user)
    stored = wrong.file.name
    client.force_login(staff_user)
    response = client.post(reverse("proposals:edit", args=[proposal.pk]), {
        **form_data(proposal.session, 4, proposer_name=["甲"], proposer_kind=["person"]),
        "remove_attachment": [wrong.pk], "attachments": [pdf("对的.pdf")]})
    assert response.status_code == 302
    assert list(proposal.attachments.values_list("original_name", flat=True)) == ["对的.pdf"]
    assert not wrong.file.storage.exists(stored)
