"""A co-handler's 会办意见 may carry one attachment: checked by its content like a reply upload, stored under media
and served only to those who may read the opinion (the co-handler, the lead department, the office)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import Assignment, CoOpinion
from tests.factories import AssignmentFactory, DepartmentUserFactory, MemberUserFactory
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def handling(media_root):
    lead = AssignmentFactory(status="signed")
    co = AssignmentFactory(proposal=lead.proposal, role="co", status="signed")
    return {"lead": lead, "co": co, "lead_user": DepartmentUserFactory(department=lead.department),
            "co_user": DepartmentUserFactory(department=co.department)}


def send(client, co, text, attachment=None):
    data = {"text": text, **({"attachment": attachment} if attachment else {})}
    return client.post(reverse("proposals:co-opinion", args=[co.pk]), data)


def stored_files(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


def test_an_opinion_sent_with_a_pdf_keeps_it_and_the_lead_staff_and_sender_download_it(
        client, handling, staff_user, media_root):
    client.force_login(handling["co_user"])
    pdf = text_pdf([["会办意见附件：资金测算表"]])
    response = send(client, handling["co"], "建议统筹资金\n另附测算表", SimpleUploadedFile("测算表.pdf", pdf))
    assert response.status_code == 302 and response.url == reverse("proposals:queue")
    opinion = CoOpinion.objects.get()
    assert opinion.text == "建议统筹资金\n另附测算表" and opinion.attachment_name == "测算表.pdf"
    assert Path(opinion.attachment.path).read_bytes() == pdf
    assert Path(opinion.attachment.path).is_relative_to(media_root) and "测算表" not in opinion.attachment.name
    handling["co"].refresh_from_db()
    assert handling["co"].status == Assignment.Status.REPLIED

    url = reverse("proposals:co-opinion-attachment", args=[opinion.pk])
    for user in (handling["lead_user"], staff_user, handling["co_user"]):
        client.force_login(user)
        download = client.get(url)
        assert download.status_code == 200, user
        assert b"".join(download.streaming_content) == pdf
        assert download["Cache-Control"] == "private, no-store"
        page = client.get(reverse("proposals:detail", args=[handling["lead"].proposal_id])).content.decode()
        assert "建议统筹资金<br>另附测算表" in page and f'href="{url}"' in page and "测算表.pdf" in page


def test_an_unrelated_department_or_a_member_gets_404_for_the_attachment(client, handling, other_department_user):
    client.force_login(handling["co_user"])
    send(client, handling["co"], "同意", SimpleUploadedFile("图.png", PNG))
    opinion = CoOpinion.objects.get()
    assert opinion.attachment_name == "图.png"
    url = reverse("proposals:co-opinion-attachment", args=[opinion.pk])
    for outsider in (other_department_user, MemberUserFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    # a department that handles another part of the same proposal (分办) does not read the co-handler's opinion
    separate = AssignmentFactory(proposal=handling["lead"].proposal, role="separate")
    client.force_login(DepartmentUserFactory(department=separate.department))
    assert client.get(url).status_code == 404
    page = client.get(reverse("proposals:detail", args=[handling["lead"].proposal_id])).content.decode()
    assert 'data-testid="co-opinion"' not in page


@pytest.mark.parametrize("name, content", [
    ("意见.exe", b"MZ\x90\x00" + b"\x00" * 100),
    ("意见.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
    ("冒充.pdf", b"<html><script>alert(1)</script></html>"),
])
def test_a_wrong_file_type_is_refused_in_chinese_with_the_typed_opinion_kept(client, handling, media_root, name,
                                                                             content):
    client.force_login(handling["co_user"])
    response = send(client, handling["co"], "建议加大资金支持\n第二段", SimpleUploadedFile(name, content))
    assert response.status_code == 200
    page = response.content.decode()
    assert "附件须为 PDF、DOCX、OFD 文件或图片（PNG、JPEG、GIF、WebP）。" in page
    assert ">\n建议加大资金支持\n第二段</textarea>" in page
    assert not CoOpinion.objects.exists() and stored_files(media_root) == []
    handling["co"].refresh_from_db()
    assert handling["co"].status == "signed"


def test_an_opinion_without_an_attachment_shows_no_download_link(client, handling):
    client.force_login(handling["co_user"])
    send(client, handling["co"], "无附件的意见")
    assert CoOpinion.objects.get().attachment.name == ""
    client.force_login(handling["lead_user"])
    page = client.get(reverse("proposals:detail", args=[handling["lead"].proposal_id])).content.decode()
    assert "无附件的意见" in page and 'data-testid="co-opinion-attachment"' not in page
    url = reverse("proposals:co-opinion-attachment", args=[CoOpinion.objects.get().pk])
    assert client.get(url).status_code == 404


def test_only_a_co_handling_assignment_has_the_opinion_form(client, handling):
    client.force_login(handling["lead_user"])
    assert client.get(reverse("proposals:co-opinion", args=[handling["lead"].pk])).status_code == 404
    client.force_login(handling["co_user"])
    page = client.get(reverse("proposals:co-opinion", args=[handling["co"].pk])).content.decode()
    assert 'name="attachment"' in page and 'enctype="multipart/form-data"' in page


def test_an_attachment_over_the_upload_limit_is_refused_and_nothing_is_stored(client, handling, media_root, settings):
    settings.REPLY_MAX_BYTES = 1024
    client.force_login(handling["co_user"])
    response = send(client, handling["co"], "意见", SimpleUploadedFile("大图.png", PNG + b"\x00" * 2048))
    assert "文件过大" in response.content.decode()
    assert not CoOpinion.objects.exists() and stored_files(media_root) == []
