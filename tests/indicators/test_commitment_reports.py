"""Departments report progress on their own commitments; staff confirm 已兑现; every step is kept."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from indicators.models import Commitment, CommitmentReport
from tests.factories import AssignmentFactory, ReleasedReplyFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def own(department_user):
    reply = ReleasedReplyFactory(assignment=AssignmentFactory(department=department_user.department))
    return Commitment.objects.create(reply=reply, text="力争到2024年建成50个基地。", start=0, end=5,
                                     review_status="accepted")


def report(client, commitment, **data):
    return client.post(reverse("indicators:commitment-report", args=[commitment.pk]), data)


def test_a_department_reports_progress_with_a_note_and_a_pdf_kept_in_the_history(
        client, department_user, own, media_root):
    client.force_login(department_user)
    response = report(client, own, status="in_progress", note="已建成30个。",
                      file=SimpleUploadedFile("进展.pdf", PDF, content_type="application/pdf"))
    assert response.status_code == 302
    own.refresh_from_db()
    entry = own.reports.get()
    assert own.follow_up_status == "in_progress" and "已建成30个。" in own.evidence
    assert (entry.by, entry.status, entry.note, entry.original_name) == (department_user, "in_progress",
                                                                         "已建成30个。", "进展.pdf")
    assert (media_root / entry.file.name).read_bytes() == PDF
    page = client.get(reverse("indicators:commitment", args=[own.pk])).content.decode()
    assert "已建成30个。" in page and reverse("indicators:commitment-file", args=[entry.pk]) in page


def test_the_evidence_file_is_served_only_to_those_who_may_see_the_commitment(
        client, department_user, other_department_user, staff_user, own, media_root):
    client.force_login(department_user)
    report(client, own, status="in_progress", note="照片", file=SimpleUploadedFile("现场.png", PNG))
    url = reverse("indicators:commitment-file", args=[own.reports.get().pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    client.force_login(other_department_user)
    assert client.get(url).status_code == 404


def test_another_departments_commitment_is_404(client, other_department_user, own):
    client.force_login(other_department_user)
    assert report(client, own, status="in_progress", note="x").status_code == 404
    assert client.get(reverse("indicators:commitment", args=[own.pk])).status_code == 404
    assert not CommitmentReport.objects.exists()


def test_a_file_that_is_not_a_pdf_or_image_or_too_large_is_refused_and_nothing_is_kept(
        client, department_user, own, media_root, settings):
    client.force_login(department_user)
    response = report(client, own, status="in_progress", note="说明",
                      file=SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"))
    assert response.status_code == 422 and "须为 PDF 文件或图片" in response.content.decode()
    assert "说明" in response.content.decode()  # what was typed is still there
    settings.COMMITMENT_EVIDENCE_MAX_BYTES = 10
    response = report(client, own, status="in_progress", note="说明", file=SimpleUploadedFile("b.pdf", PDF))
    assert response.status_code == 422 and "佐证材料过大" in response.content.decode()
    own.refresh_from_db()
    assert own.follow_up_status == "pending" and not own.reports.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_a_department_cannot_set_kept_or_lapsed_itself(client, department_user, own):
    client.force_login(department_user)
    for status in ("kept", "lapsed"):
        assert report(client, own, status=status, note="已全部建成").status_code == 422
    own.refresh_from_db()
    assert own.follow_up_status == "pending"


def test_reported_kept_is_confirmed_by_staff_or_sent_back_with_a_note(client, department_user, staff_user, own):
    client.force_login(department_user)
    report(client, own, status="reported", note="50个基地已全部建成。")
    own.refresh_from_db()
    assert own.follow_up_status == "reported"
    assert client.post(reverse("indicators:commitment-confirm", args=[own.pk]),
                       {"decision": "confirm"}).status_code == 403
    client.force_login(staff_user)
    queue = client.get(reverse("proposals:queue")).content.decode()
    assert f'data-commitment="{own.pk}"' in queue
    confirm = reverse("indicators:commitment-confirm", args=[own.pk])
    client.post(confirm, {"decision": "return"})
    own.refresh_from_db()
    assert own.follow_up_status == "reported"  # sending back needs a note
    client.post(confirm, {"decision": "return", "note": "请补充验收材料。"})
    own.refresh_from_db()
    assert own.follow_up_status == "in_progress"
    client.force_login(department_user)
    report(client, own, status="reported", note="已补充验收材料。")
    client.force_login(staff_user)
    client.post(confirm, {"decision": "confirm"})
    own.refresh_from_db()
    assert own.follow_up_status == "kept"
    assert [(r.status, r.by_id) for r in own.reports.all()] == [
        ("reported", department_user.pk), ("in_progress", staff_user.pk), ("reported", department_user.pk),
        ("kept", staff_user.pk)]
    client.force_login(department_user)
    assert report(client, own, status="in_progress", note="再报").status_code == 404  # kept is final


def test_only_the_departments_own_later_replies_are_offered_as_fulfilling(
        client, department_user, own):
    later = ReleasedReplyFactory(assignment=AssignmentFactory(department=department_user.department))
    earlier = ReleasedReplyFactory(assignment=AssignmentFactory(department=department_user.department))
    earlier.uploaded_at = own.reply.uploaded_at - timedelta(days=30)
    earlier.save(update_fields=["uploaded_at"])
    later.uploaded_at = timezone.now() + timedelta(days=1)
    later.save(update_fields=["uploaded_at"])
    foreign = ReleasedReplyFactory()
    client.force_login(department_user)
    page = client.get(reverse("indicators:commitment", args=[own.pk]))
    offered = {reply.pk for reply in page.context["form"].fields["evidence_reply"].queryset}
    assert offered == {later.pk}
    assert report(client, own, status="in_progress", note="x", evidence_reply=foreign.pk).status_code == 422
    report(client, own, status="reported", note="见后续答复", evidence_reply=later.pk)
    assert list(own.evidence_replies.all()) == [later]
    assert own.reports.get().evidence_reply == later


def test_the_department_queue_lists_its_open_commitments_to_report_on(client, department_user, own):
    foreign = Commitment.objects.create(reply=ReleasedReplyFactory(), text="他厅承诺", start=0, end=3,
                                        review_status="accepted")
    client.force_login(department_user)
    html = client.get(reverse("proposals:queue")).content.decode()
    assert f'data-commitment="{own.pk}"' in html and f'data-commitment="{foreign.pk}"' not in html
    assert reverse("indicators:commitment", args=[own.pk]) in html
