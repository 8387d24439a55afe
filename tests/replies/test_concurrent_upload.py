"""The same file uploaded twice at once on one assignment gives one version, not two; the other upload is told the
file was uploaded already, and its stored file does not stay behind."""

import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from proposals.models import Assignment
from replies.models import Reply
from replies.services import reply_upload
from tests.factories import AssignmentFactory, DepartmentUserFactory, ReplyFactory
from tests.pdfs import text_pdf


@pytest.mark.django_db(transaction=True)
def test_the_same_file_uploaded_twice_at_once_while_waiting_for_signoff_makes_one_version(media_root):
    lead = AssignmentFactory(status=Assignment.Status.SIGNED)
    AssignmentFactory(proposal=lead.proposal, role=Assignment.Role.CO)  # the lead's draft waits for 会签
    users = [DepartmentUserFactory(department=lead.department) for _ in range(2)]
    pdf = text_pdf([["关于第1号提案的答复"]])
    start = threading.Barrier(2)
    outcomes = []

    def upload(user):
        try:
            start.wait(timeout=10)
            reply = reply_upload(assignment=Assignment.objects.get(pk=lead.pk),
                                 file=SimpleUploadedFile("答复.pdf", pdf, "application/pdf"), uploaded_by=user)
            outcomes.append(("uploaded", reply.pk))
        except ValidationError as error:
            outcomes.append(("refused", " ".join(error.messages)))
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test below
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(kind for kind, _ in outcomes) == ["refused", "uploaded"], outcomes
    assert "已作为第1版上传过" in dict(outcomes)["refused"]
    (reply,) = Reply.objects.filter(assignment=lead)
    assert reply.version == 1 and reply.submitted_at is None
    stored = [p for p in Path(media_root).rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [Path(reply.file.name).name]


@pytest.mark.django_db
def test_the_database_holds_one_current_version_per_file_and_assignment():
    first = ReplyFactory(sha256="a" * 64)
    with pytest.raises(IntegrityError, match="reply_unique_file_per_assignment"), transaction.atomic():
        ReplyFactory(assignment=first.assignment, version=2, sha256="a" * 64)
    # a withdrawn version's file may come again, and replies entered without a file have no digest
    Reply.objects.filter(pk=first.pk).update(withdrawn_at=timezone.now(), withdraw_reason="日期有误")
    ReplyFactory(assignment=first.assignment, version=2, sha256="a" * 64)
    ReplyFactory(assignment=first.assignment, version=3, sha256="")
    ReplyFactory(assignment=first.assignment, version=4, sha256="")
    assert Reply.objects.filter(assignment=first.assignment).count() == 4


@pytest.mark.django_db
def test_an_imported_file_already_a_current_version_of_the_assignment_is_not_attached_again(staff_user):
    from replies.services import reply_attach

    uploaded = ReplyFactory(sha256="b" * 64)
    imported = ReplyFactory(assignment=None, sha256="b" * 64, submitted_at=None)
    with pytest.raises(ValidationError, match="已作为第1版上传过"):
        reply_attach(reply=imported, assignment=uploaded.assignment, by=staff_user)
    assert Reply.objects.get(pk=imported.pk).assignment_id is None
