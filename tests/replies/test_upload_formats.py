"""A reply may be uploaded as PDF, .docx or .ofd (told by content); .wps/.doc are refused with advice."""

import io
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from replies.models import Reply
from tests.factories import AssignmentFactory
from tests.ofd_files import ofd, text_object

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(department_user):
    return AssignmentFactory(department=department_user.department)


def _docx_bytes(lines) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(client, user, assignment, name, data):
    client.force_login(user)
    return client.post(reverse("replies:upload", args=[assignment.pk]), {"file": SimpleUploadedFile(name, data)})


def test_a_docx_reply_is_stored_as_docx_and_queued(client, department_user, assignment, media_root):
    data = _docx_bytes(["关于省政协十二届五次会议第1号委员提案的答复", "下一步，将持续推进。"])

    response = _upload(client, department_user, assignment, "答复.docx", data)

    reply = Reply.objects.get()
    assert response.status_code == 302
    assert reply.file.name.endswith(".docx") and Path(reply.file.path).read_bytes() == data
    assert reply.pages == 1 and reply.parse_status == Reply.ParseStatus.QUEUED


def test_an_ofd_reply_is_stored_as_ofd_with_its_page_count(client, department_user, assignment, media_root, tmp_path):
    path = ofd(tmp_path / "reply.ofd", [[text_object(25, 40, "关于第1号委员提案的答复")], [text_object(25, 40, "下一步")]])

    response = _upload(client, department_user, assignment, "答复.ofd", path.read_bytes())

    reply = Reply.objects.get()
    assert response.status_code == 302
    assert reply.file.name.endswith(".ofd") and reply.pages == 2


@pytest.mark.parametrize("name", ["答复.wps", "答复.doc"])
def test_a_wps_or_doc_file_is_refused_with_advice_and_nothing_saved(client, department_user, assignment,
                                                                    media_root, name):
    response = _upload(client, department_user, assignment, name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))

    assert response.status_code == 200
    assert "请另存为 PDF、DOCX 或 OFD" in " ".join(response.context["form"].errors["file"])
    assert not Reply.objects.exists()
    assert not [p for p in Path(media_root).rglob("*") if p.is_file()]


def test_a_plain_text_file_is_refused(client, department_user, assignment, media_root):
    response = _upload(client, department_user, assignment, "答复.txt", "现答复如下：下一步，将持续推进。".encode())

    assert "不支持的文件类型" in " ".join(response.context["form"].errors["file"])
    assert not Reply.objects.exists()


def test_the_upload_form_offers_pdf_docx_and_ofd(client, department_user, assignment):
    client.force_login(department_user)

    page = client.get(reverse("replies:upload", args=[assignment.pk])).content.decode()

    assert 'accept=".pdf,.docx,.ofd"' in page
