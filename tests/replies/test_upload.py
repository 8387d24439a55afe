from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import Assignment
from replies.models import Reply
from tests.factories import AssignmentFactory
from tests.pdfs import corrupt_pdf, encrypted_pdf, png_bytes, text_pdf

pytestmark = pytest.mark.django_db

BAD_FILES = {
    "corrupt": (corrupt_pdf, "损坏"),
    "encrypted": (encrypted_pdf, "加密"),
    "png renamed .pdf": (png_bytes, "图片"),
    "empty": (lambda: b"", "空"),
}


@pytest.fixture
def assignment(department_user):
    return AssignmentFactory(department=department_user.department)


def _stored_files(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()] if Path(media_root).exists() else []


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_refused_with_a_chinese_message_and_nothing_saved(kind, client, department_user, assignment,
                                                                          media_root):
    make, words = BAD_FILES[kind]
    client.force_login(department_user)
    response = client.post(reverse("replies:upload", args=[assignment.pk]),
                           {"file": SimpleUploadedFile("reply.pdf", make(), "application/pdf")})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert words in errors
    assert not Reply.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED
    assert not assignment.events.filter(kind="replied").exists()
    assert _stored_files(media_root) == []


def test_a_file_over_the_size_limit_is_refused(client, department_user, assignment, media_root, settings):
    settings.REPLY_MAX_BYTES = 1000
    client.force_login(department_user)
    response = client.post(reverse("replies:upload", args=[assignment.pk]),
                           {"file": SimpleUploadedFile("big.pdf", text_pdf([["很长的答复"] * 40]))})
    assert "文件过大" in " ".join(response.context["form"].errors["file"])
    assert not Reply.objects.exists()


def test_a_good_upload_is_stored_under_a_generated_name_and_queued(client, department_user, assignment,
                                                                    media_root, django_capture_on_commit_callbacks):
    client.force_login(department_user)
    pdf = text_pdf([["关于省政协十二届五次会议第1号委员提案的答复", "下一步，将持续推进。"]])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("replies:upload", args=[assignment.pk]),
                               {"file": SimpleUploadedFile("../../x 答复.pdf", pdf, "application/pdf")})
    reply = Reply.objects.get()
    assert response.status_code == 302 and response.url == reverse("replies:detail", args=[reply.pk])
    assert reply.parse_status == Reply.ParseStatus.QUEUED
    assert reply.original_name == "x 答复.pdf"
    stored = Path(reply.file.path)
    assert stored.is_relative_to(Path(media_root)) and ".." not in reply.file.name and "答复" not in reply.file.name
    assert stored.read_bytes() == pdf
    assert reply.pages == 1 and reply.version == 1
    # one parse queued; the other callback drops the dashboard's cached figures after the commit
    assert [c.__name__ for c in callbacks if c.__name__ != "_dashboard_bump"] == ["<lambda>"]
    assert reply.submitted_at is None  # a draft its department submits once it is parsed and checked
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SIGNED  # the upload signed for it; not yet 已答复
    assert assignment.events.filter(kind="signed", by=department_user).exists()
    assert not assignment.events.filter(kind="replied").exists()


def test_the_same_file_twice_is_refused_as_a_duplicate(department_user, assignment, media_root):
    from django.core.exceptions import ValidationError

    from replies.services import reply_upload

    pdf = text_pdf([["答复"]])
    reply_upload(assignment=assignment, file=SimpleUploadedFile("a.pdf", pdf), uploaded_by=department_user)
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.REOPENED)
    assignment.refresh_from_db()
    with pytest.raises(ValidationError, match="已作为第1版上传过"):
        reply_upload(assignment=assignment, file=SimpleUploadedFile("b.pdf", pdf), uploaded_by=department_user)


def test_a_re_handled_reply_is_a_new_version_and_the_old_one_stays(department_user, assignment, media_root):
    from replies.services import reply_parse, reply_submit, reply_upload

    first = reply_upload(assignment=assignment, file=SimpleUploadedFile("a.pdf", text_pdf([["第一版"]])),
                         uploaded_by=department_user)
    reply_parse(reply_id=first.pk)
    reply_submit(reply=first, by=department_user)  # answered, then reopened after 不满意
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.REOPENED)
    second = reply_upload(assignment=assignment, file=SimpleUploadedFile("b.pdf", text_pdf([["第二版"]])),
                          uploaded_by=department_user)
    assert (first.version, second.version) == (1, 2)
    assert Reply.objects.filter(assignment=assignment).count() == 2


def test_another_departments_assignment_cannot_be_uploaded_to(client, other_department_user, assignment,
                                                               media_root):
    client.force_login(other_department_user)
    response = client.post(reverse("replies:upload", args=[assignment.pk]),
                           {"file": SimpleUploadedFile("a.pdf", text_pdf([["答复"]]))})
    assert response.status_code == 404
    assert not Reply.objects.exists()


def test_supervisors_cannot_upload(client, supervisor_user, assignment, media_root):
    client.force_login(supervisor_user)
    assert client.get(reverse("replies:upload", args=[assignment.pk])).status_code == 403


def test_files_are_served_only_to_users_who_may_see_the_reply(client, department_user, other_department_user,
                                                              assignment, media_root):
    from replies.services import reply_upload

    pdf = text_pdf([["答复"]])
    reply = reply_upload(assignment=assignment, file=SimpleUploadedFile("a.pdf", pdf), uploaded_by=department_user)
    client.force_login(other_department_user)
    assert client.get(reverse("replies:file", args=[reply.pk])).status_code == 404
    assert client.get(reverse("replies:detail", args=[reply.pk])).status_code == 404
    assert client.get(reverse("replies:status", args=[reply.pk])).status_code == 404
    client.force_login(department_user)
    response = client.get(reverse("replies:file", args=[reply.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
