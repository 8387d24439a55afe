"""What a person sees during outages: a reply saved while the broker was down, a stuck parse staff can force,
and the 503 page while the database is away."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import timezone

from replies.models import Reply
from replies.services import reply_upload
from tests.pdfs import text_pdf
from tests.replies.test_parse_service import REPLY_LINES

from .test_reply_release import office  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reply_saved_with_the_broker_down_says_so_and_a_stuck_one_can_be_forced(page, office, log_in, both_widths):  # noqa: F811
    reply = reply_upload(assignment=office["a135"], uploaded_by=office["dept"],
                         file=SimpleUploadedFile("r.pdf", text_pdf([REPLY_LINES])))
    Reply.objects.filter(pk=reply.pk).update(parse_status=Reply.ParseStatus.QUEUED, parse_task_sent_at=None,
                                             parse_status_at=timezone.now() - timedelta(minutes=25))
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto(f"/replies/{reply.pk}/")
    assert page.get_by_test_id("parse-not-sent").is_visible()
    assert page.get_by_test_id("force-reparse").is_visible()
    both_widths(page, "reply-parse-not-sent")
    page.get_by_test_id("force-reparse").click()
    page.wait_for_url(f"**/replies/{reply.pk}/")
    assert "已强制重新排队解析" in page.content()


def test_the_503_page_while_the_database_is_away(page, office, log_in, both_widths):  # noqa: F811
    from django.db import connections

    log_in(page, "clerk", "clerk-pass-2026")
    connection_class = type(connections["default"])
    with mock.patch.object(connection_class, "get_new_connection", side_effect=OperationalError("refused")):
        for alias in connections:
            connections[alias].close()
        response = page.goto("/proposals/")
        assert response.status == 503
        assert page.get_by_test_id("unavailable").is_visible()
        both_widths(page, "database-unavailable")
    connections["default"].close()
