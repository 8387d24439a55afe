"""Files served back: a real PDF inline, anything else an attachment; sanitised ASCII name plus filename*;
never cached, never sniffed. The same helper serves replies, proposal attachments and evidence files."""

from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from proposals.files import ascii_filename, content_disposition
from tests.factories import ProposalFactory, ReleasedReplyFactory, ReplyFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
HTML = b"<html><script>alert(1)</script></html>"


def _assert_private(response):
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    b"".join(response.streaming_content)


def _filename_star(disposition: str) -> str:
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


@pytest.mark.parametrize("name,expected", [
    ("吉科发〔2022〕108号.pdf", "2022_108.pdf"), ("café.pdf", "cafe.pdf"), ('a"b\r\nc.pdf', "a_bc.pdf"),
    ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\答复.docx", "file.docx"), ("", "file"), ("答复", "file"),
    ("x.p\"df", "x.pdf"),
])
def test_the_ascii_file_name_is_safe_in_a_header(name, expected):
    assert ascii_filename(name) == expected


def test_the_header_carries_the_original_name_as_filename_star():
    header = content_disposition("答复 \"第1号\".pdf", inline=False)
    assert header.startswith('attachment; filename="1.pdf"; filename*=UTF-8\'\'')
    assert _filename_star(header) == '答复 "第1号".pdf'
    assert "\r" not in content_disposition("a\r\nSet-Cookie: x.pdf", inline=True)


def test_a_reply_pdf_opens_inline_with_private_headers(client, staff_user, media_root):
    reply = ReplyFactory(file=ContentFile(PDF, name="r.pdf"), original_name="吉科发〔2022〕108号.pdf")
    client.force_login(staff_user)
    response = client.get(reverse("replies:file", args=[reply.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="2022_108.pdf"')
    assert _filename_star(response["Content-Disposition"]) == "吉科发〔2022〕108号.pdf"
    _assert_private(response)


def test_a_reply_file_that_is_not_a_pdf_is_downloaded_not_shown(client, staff_user, media_root):
    reply = ReplyFactory(file=ContentFile(HTML, name="r.pdf"), original_name="答复.pdf")
    client.force_login(staff_user)
    response = client.get(reverse("replies:file", args=[reply.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    _assert_private(response)


@pytest.mark.parametrize("name,content,content_type", [
    ("意见.docx", b"PK\x03\x04docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("照片.png", b"\x89PNG\r\n\x1a\n", "image/png"),
    ("page.html", HTML, "application/octet-stream"),
    ("pic.svg", b"<svg onload=alert(1)>", "application/octet-stream"),
])
def test_a_proposal_attachment_other_than_a_pdf_is_an_attachment(client, staff_user, media_root, name, content,
                                                                  content_type):
    from proposals.models import ProposalAttachment

    attachment = ProposalAttachment.objects.create(proposal=ProposalFactory(), original_name=name,
                                                   file=ContentFile(content, name=name))
    client.force_login(staff_user)
    response = client.get(reverse("proposals:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert _filename_star(response["Content-Disposition"]) == name
    _assert_private(response)


def test_a_proposal_attachment_pdf_opens_inline(client, staff_user, media_root):
    from proposals.models import ProposalAttachment

    attachment = ProposalAttachment.objects.create(proposal=ProposalFactory(), original_name="附件.pdf",
                                                   file=ContentFile(PDF, name="a.pdf"))
    client.force_login(staff_user)
    response = client.get(reverse("proposals:attachment", args=[attachment.pk]))
    assert response["Content-Disposition"].startswith('inline; filename="attachment.pdf"')
    _assert_private(response)


@pytest.mark.parametrize("name,content,inline", [("证明.pdf", PDF, True), ("现场照片.jpg", b"\xff\xd8\xff", False)])
def test_an_evidence_file_has_the_same_headers(client, staff_user, media_root, name, content, inline):
    from indicators.models import Commitment, CommitmentReport

    commitment = Commitment.objects.create(reply=ReleasedReplyFactory(), text="将推进。", start=0, end=4,
                                           review_status="accepted")
    report = CommitmentReport.objects.create(commitment=commitment, status="kept", original_name=name,
                                             file=ContentFile(content, name=name), by=staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("indicators:commitment-file", args=[report.pk]))
    assert response["Content-Disposition"].startswith("inline;" if inline else "attachment;")
    assert _filename_star(response["Content-Disposition"]) == name
    _assert_private(response)
