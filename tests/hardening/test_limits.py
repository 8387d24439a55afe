"""A department retries its own failed parse only REPLY_RETRY_LIMIT times; uploads are rate-limited per user."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Commitment, CommitmentReport
from replies.models import Reply
from tests.factories import AssignmentFactory, ReleasedReplyFactory, ReplyFactory
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(department_user, media_root):
    return ReplyFactory(assignment=AssignmentFactory(department=department_user.department), submitted_at=None,
                        file=ContentFile(b"not a pdf", name="r.pdf"), parse_status=Reply.ParseStatus.FAILED,
                        parse_error="无法读取", uploaded_by=department_user)


def _retry(client, reply):
    response = client.post(reverse("replies:reparse", args=[reply.pk]), follow=True)
    Reply.objects.filter(pk=reply.pk).update(parse_status=Reply.ParseStatus.FAILED, parse_error="无法读取")  # failed again
    return [str(m) for m in response.context["messages"]]


def test_a_department_retries_its_failed_parse_up_to_the_limit_then_is_told_why_not(client, department_user,
                                                                                     failed, settings):
    settings.REPLY_RETRY_LIMIT = 3
    client.force_login(department_user)
    for _ in range(3):
        assert _retry(client, failed) == ["已重新排队解析。"]
    refused = _retry(client, failed)
    assert len(refused) == 1 and "已重试解析 3 次，不能再重试" in refused[0]
    assert Reply.objects.get(pk=failed.pk).parse_status == Reply.ParseStatus.FAILED


def test_the_retry_button_shows_only_to_those_who_may_still_retry(client, department_user, staff_user,
                                                                   supervisor_user, failed, settings):
    settings.REPLY_RETRY_LIMIT = 1

    def offered(user):
        client.force_login(user)
        pages = [client.get(reverse(name, args=[failed.pk])).content.decode() for name in
                 ("replies:detail", "replies:status")]
        return ['data-testid="retry-parse"' in page for page in pages]

    assert offered(department_user) == [True, True]
    assert offered(supervisor_user) == [False, False]
    client.force_login(department_user)
    assert _retry(client, failed) == ["已重新排队解析。"]
    assert offered(department_user) == [False, False]  # its one retry is used: the button would only be refused
    assert offered(staff_user) == [True, True]


def test_staff_retry_a_parse_without_limit_and_their_retries_do_not_use_up_the_departments(
        client, department_user, staff_user, failed, settings):
    settings.REPLY_RETRY_LIMIT = 1
    client.force_login(staff_user)
    for _ in range(4):
        assert _retry(client, failed) == ["已重新排队解析。"]
    client.force_login(department_user)
    assert _retry(client, failed) == ["已重新排队解析。"]
    assert "不能再重试" in _retry(client, failed)[0]


@pytest.fixture
def rate_limited(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "upload-rate-test"}}
    settings.UPLOAD_RATE_LIMIT = 2
    settings.UPLOAD_RATE_WINDOW = 60
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_uploads_past_the_rate_limit_are_refused_with_a_message(client, department_user, media_root, rate_limited):
    client.force_login(department_user)
    assignments = [AssignmentFactory(department=department_user.department) for _ in range(3)]
    statuses = []
    for n, assignment in enumerate(assignments):
        response = client.post(reverse("replies:upload", args=[assignment.pk]),
                               {"file": SimpleUploadedFile(f"{n}.pdf", text_pdf([[f"答复{n}"]]), "application/pdf")})
        statuses.append(response.status_code)
    assert statuses == [302, 302, 200]
    assert "上传过于频繁" in " ".join(response.context["form"].errors["file"])
    assert Reply.objects.count() == 2


def test_the_upload_rate_is_counted_per_user(client, department_user, other_department_user, media_root,
                                             rate_limited, settings):
    settings.UPLOAD_RATE_LIMIT = 1
    for user in (department_user, other_department_user):
        client.force_login(user)
        response = client.post(reverse("replies:upload", args=[AssignmentFactory(department=user.department).pk]),
                               {"file": SimpleUploadedFile("a.pdf", text_pdf([["答复"]]), "application/pdf")})
        assert response.status_code == 302
    assert Reply.objects.count() == 2


def test_evidence_uploads_count_against_the_same_rate(client, department_user, media_root, rate_limited, settings):
    settings.UPLOAD_RATE_LIMIT = 1
    commitment = Commitment.objects.create(
        reply=ReleasedReplyFactory(assignment=AssignmentFactory(department=department_user.department)),
        text="将推进。", start=0, end=4, review_status="accepted")
    client.force_login(department_user)
    url = reverse("indicators:commitment-report", args=[commitment.pk])
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    first = client.post(url, {"status": "in_progress", "note": "一",
                              "file": SimpleUploadedFile("a.pdf", pdf, content_type="application/pdf")})
    second = client.post(url, {"status": "in_progress", "note": "二",
                               "file": SimpleUploadedFile("b.pdf", pdf, content_type="application/pdf")})
    assert first.status_code == 302 and second.status_code == 422
    assert "上传过于频繁" in second.content.decode()
    assert CommitmentReport.objects.count() == 1
    # a report without a file is not an upload
    assert client.post(url, {"status": "in_progress", "note": "三"}).status_code == 302


def test_without_a_cache_uploads_are_not_refused(client, department_user, media_root, settings):
    settings.UPLOAD_RATE_LIMIT = 1  # the test settings' dummy cache counts nothing
    client.force_login(department_user)
    for n in range(2):
        response = client.post(reverse("replies:upload",
                                       args=[AssignmentFactory(department=department_user.department).pk]),
                               {"file": SimpleUploadedFile(f"{n}.pdf", text_pdf([["答复"]]), "application/pdf")})
        assert response.status_code == 302
