from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from replies.models import Reply
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db


def test_only_replies_queued_or_parsing_for_too_long_count_as_stalled(media_root):
    now = timezone.now()

    def reply(status, minutes_ago):
        return ReplyFactory(parse_status=status, parse_status_at=now - timedelta(minutes=minutes_ago),
                            file=ContentFile(b"%PDF-", name="r.pdf"), assignment__department__name=f"{status}{minutes_ago}")

    lost = reply(Reply.ParseStatus.QUEUED, 31)
    reply(Reply.ParseStatus.QUEUED, 5)
    dead = reply(Reply.ParseStatus.PARSING, 90)
    reply(Reply.ParseStatus.PARSING, 10)
    reply(Reply.ParseStatus.PARSED, 500)
    stalled = Reply.objects.stalled(now=now, queued_for=timedelta(minutes=30), parsing_for=timedelta(minutes=60))
    assert set(stalled) == {lost, dead}
