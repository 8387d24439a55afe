"""Publication of a released reply: not public until staff decide, redactions reviewed first, and a public PDF from
which no redacted string can be extracted."""

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from replies.models import Redaction, Reply, ReplyEvent
from replies.redacted_pdf import locate
from replies.services import (
    redaction_add,
    redaction_review,
    redactions_propose,
    redactions_review_all,
    reply_mark_not_public,
    reply_publish,
)
from tests.factories import ReleasedReplyFactory, ReplyFactory
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db

LINES = ["关于第135号提案的答复",
         "我厅2022年投入资金3000万元，支持高新技术企业发展，建成10幢厂房。",
         "来信人家住长春市朝阳区红旗街万达小区3栋2单元501室，身份证号220102198507061234。",
         "如有疑问请致电0431-88889999或发送邮件至kjt.office@jl.gov.cn。",
         "联系人：张三",
         "联系电话：13812345678"]
TEXT = "\n".join(LINES)
PERSONAL = ["长春市朝阳区红旗街万达小区3栋2单元501室", "220102198507061234", "0431-88889999", "kjt.office@jl.gov.cn",
            "张三", "13812345678"]


@pytest.fixture
def reply(media_root):
    return ReleasedReplyFactory(text=TEXT, file=ContentFile(text_pdf([LINES[:4], LINES[4:]]), name="r.pdf"))


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_a_new_reply_is_not_public_until_staff_decide():
    reply = ReplyFactory()
    assert reply.is_public is False and reply.public_decided_at is None
    assert not Reply.objects.published().exists()


def test_the_checker_proposes_each_piece_of_personal_data_once(reply, staff_user):
    assert redactions_propose(reply=reply, by=staff_user) == len(PERSONAL)
    assert sorted(reply.redactions.values_list("text", flat=True)) == sorted(PERSONAL)
    assert redactions_propose(reply=reply, by=staff_user) == 0  # run again: nothing proposed twice
    assert reply.events.filter(kind=ReplyEvent.Kind.REDACTIONS_PROPOSED).count() == 2


def test_publishing_waits_for_the_check_and_for_every_proposed_redaction_to_be_reviewed(reply, staff_user):
    with pytest.raises(ValidationError, match="先检查个人信息"):
        reply_publish(reply=reply, by=staff_user)
    redactions_propose(reply=reply, by=staff_user)
    redaction_review(redaction=reply.redactions.get(text="张三"), accept=False, by=staff_user)
    with pytest.raises(ValidationError, match="5 处遮盖待审核"):
        reply_publish(reply=reply, by=staff_user)
    reply.refresh_from_db()
    assert reply.is_public is False


def test_an_unreleased_reply_cannot_be_checked_or_published(media_root, staff_user):
    draft = ReplyFactory(text=TEXT)
    with pytest.raises(ValidationError, match="已审核发布"):
        redactions_propose(reply=draft, by=staff_user)
    with pytest.raises(ValidationError, match="已审核发布"):
        reply_mark_not_public(reply=draft, reason="涉密", by=staff_user)


def test_the_published_pdf_has_no_text_layer_and_the_redacted_areas_are_black(reply, staff_user):
    redactions_propose(reply=reply, by=staff_user)
    redactions_review_all(reply=reply, accept=True, by=staff_user)
    redaction_add(reply=reply, by=staff_user, text="3000万元")
    reply = reply_publish(reply=reply, by=staff_user)

    assert reply.is_public and Reply.objects.published().filter(pk=reply.pk).exists()
    assert not reply.public_pdf_note
    published = reply.public_file.read()
    extracted = pdf_text(published)
    for secret in [*PERSONAL, "3000万元"]:
        assert secret not in extracted and secret not in reply.public_text
    assert extracted.strip() == ""  # image only: nothing at all to copy out
    assert "支持高新技术企业发展" in reply.public_text
    # each redacted string's box in the original is black in the published page's image
    original = reply.file.open("rb").read()
    document = pdfium.PdfDocument(published)
    for box in locate(original, ["13812345678", "220102198507061234"]):
        page = document[box.page]
        image = page.render(scale=1).to_pil().convert("L")
        height = page.get_height()
        middle = (round((box.left + box.right) / 2), round(height - (box.bottom + box.top) / 2))
        assert image.getpixel(middle) < 40, box
    # and the rest of the page is still there to read
    first = document[0].render(scale=1).to_pil().convert("L")
    darkest, lightest = first.getextrema()
    assert darkest < 40 and lightest > 200


def test_a_scanned_reply_publishes_its_redacted_text_only_and_says_so(reply, staff_user):
    Reply.objects.filter(pk=reply.pk).update(ocr=True)
    reply.refresh_from_db()
    redactions_propose(reply=reply, by=staff_user)
    redactions_review_all(reply=reply, accept=True, by=staff_user)
    reply = reply_publish(reply=reply, by=staff_user)
    assert reply.is_public and not reply.public_file
    assert "扫描件" in reply.public_pdf_note
    assert "13812345678" not in reply.public_text
    assert reply.events.get(kind=ReplyEvent.Kind.PUBLISHED).note == reply.public_pdf_note


def test_a_redaction_the_pdf_does_not_contain_refuses_the_pdf_not_the_text(reply, staff_user):
    Reply.objects.filter(pk=reply.pk).update(text=TEXT + "\n补充：王五13900001111")
    reply.refresh_from_db()
    redactions_propose(reply=reply, by=staff_user)
    redactions_review_all(reply=reply, accept=True, by=staff_user)
    reply = reply_publish(reply=reply, by=staff_user)
    assert not reply.public_file and "找不到" in reply.public_pdf_note
    assert "13900001111" not in reply.public_text


def test_a_span_selected_by_staff_is_masked(reply, staff_user):
    redactions_propose(reply=reply, by=staff_user)
    start = TEXT.index("高新技术企业")
    redaction_add(reply=reply, by=staff_user, start=start, end=start + 6)
    added = reply.redactions.get(start=start)
    assert added.kind == Redaction.Kind.MANUAL and added.status == Redaction.Status.ACCEPTED
    assert added.added_by == staff_user
    with pytest.raises(ValidationError, match="不在答复正文内"):
        redaction_add(reply=reply, by=staff_user, start=0, end=len(TEXT) + 1)
    with pytest.raises(ValidationError, match="没有“赵六”"):
        redaction_add(reply=reply, by=staff_user, text="赵六")


def test_not_public_needs_a_reason_and_takes_a_published_reply_off_the_public_pages(reply, staff_user):
    redactions_propose(reply=reply, by=staff_user)
    redactions_review_all(reply=reply, accept=True, by=staff_user)
    reply = reply_publish(reply=reply, by=staff_user)
    with pytest.raises(ValidationError, match="须说明理由"):
        reply_mark_not_public(reply=reply, reason=" ", by=staff_user)
    reply = reply_mark_not_public(reply=reply, reason="涉及未公开的规划", by=staff_user)
    assert not reply.is_public and not reply.public_file and not reply.public_text
    assert not Reply.objects.published().exists()
    assert reply.events.filter(kind=ReplyEvent.Kind.NOT_PUBLIC, note="涉及未公开的规划").exists()


def test_redactions_of_a_published_reply_cannot_change_until_it_is_taken_off(reply, staff_user):
    redactions_propose(reply=reply, by=staff_user)
    redactions_review_all(reply=reply, accept=True, by=staff_user)
    reply = reply_publish(reply=reply, by=staff_user)
    with pytest.raises(ValidationError, match="先改为不公开"):
        redaction_review(redaction=reply.redactions.first(), accept=False, by=staff_user)


def test_the_database_refuses_a_public_reply_that_was_never_released():
    from django.db import IntegrityError, transaction

    reply = ReplyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reply.objects.filter(pk=reply.pk).update(is_public=True)


def test_redactions_of_a_text_parsed_again_are_proposed_afresh_before_publication(reply, staff_user):
    redactions_propose(reply=reply, by=staff_user)
    redactions_review_all(reply=reply, accept=True, by=staff_user)
    Reply.objects.filter(pk=reply.pk).update(text="前言。\n" + TEXT)  # a new parse moved every offset
    reply.refresh_from_db()
    with pytest.raises(ValidationError, match="重新检查个人信息"):
        reply_publish(reply=reply, by=staff_user)
    redactions_propose(reply=reply, by=staff_user)
    assert all(r.matches(reply.text) for r in reply.redactions.all())
    assert sorted(reply.redactions.values_list("text", flat=True)) == sorted(PERSONAL)
