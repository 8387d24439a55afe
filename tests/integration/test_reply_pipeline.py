"""Upload to rows through Redis and a real worker process, on PostgreSQL."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Commitment, Indicator, ReviewStatus
from proposals.models import Assignment
from replies.models import Reply
from replies.services import reply_reparse
from tests.corpus import REPLY_PDF as DEMO_PDF
from tests.corpus import REPLY_SCAN
from tests.factories import AssignmentFactory, DepartmentFactory, DepartmentUserFactory, ProposalFactory, SessionFactory
from tests.pdfs import text_pdf

from .conftest import wait_for


@pytest.fixture
def assignment_135():
    kjt = DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅", doc_prefixes=["吉科发", "吉科发办"])
    proposal = ProposalFactory(session=SessionFactory(name="十二届五次会议"), number=135,
                               title="关于加快高新技术产业的建议")
    return AssignmentFactory(proposal=proposal, department=kjt)


def _parsed(reply_id):
    reply = Reply.objects.get(pk=reply_id)
    return reply if reply.parse_status in (Reply.ParseStatus.PARSED, Reply.ParseStatus.FAILED) else None


def _upload(client, assignment, path: Path) -> Reply:
    user = DepartmentUserFactory(department=assignment.department)
    client.force_login(user)
    with path.open("rb") as handle:
        response = client.post(reverse("replies:upload", args=[assignment.pk]), {"file": handle})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Reply.objects.get(assignment=assignment)


@pytest.mark.integration
def test_the_reply_pdf_of_proposal_135_ends_up_parsed_with_its_rows(celery_worker, client, assignment_135):
    reply = _upload(client, assignment_135, DEMO_PDF)
    reply = wait_for(lambda: _parsed(reply.pk), timeout=120, worker=celery_worker, what="the parse")

    assert reply.parse_status == Reply.ParseStatus.PARSED, reply.parse_error
    assert (reply.doc_number, str(reply.reply_date)) == ("吉科发办〔2022〕108号", "2022-07-06")
    assert reply.mismatches == []
    assert reply.pages == 8 and not reply.ocr
    assert reply.indicators.count() >= 55 and reply.commitments.count() >= 2
    subsidy = reply.indicators.get(unit="万元", value="2978.4")
    assert (subsidy.base_value, subsidy.base_unit, subsidy.year) == (29784000, "元", 2021)
    assert reply.text[subsidy.start:subsidy.end].replace(" ", "").startswith("2978.4")
    assert reply.commitments.filter(text__contains="1000户以上").exists()
    page = client.get(reverse("replies:detail", args=[reply.pk]))
    assert "已解析" in page.content.decode()


@pytest.mark.integration
def test_a_worker_killed_mid_parse_loses_nothing_and_parses_once(celery_worker, client, assignment_135):
    reply = _upload(client, assignment_135, REPLY_SCAN)
    wait_for(lambda: Reply.objects.filter(pk=reply.pk, parse_status=Reply.ParseStatus.PARSING).exists(),
             timeout=60, worker=celery_worker, what="the parse to start")
    celery_worker.kill()
    assert Reply.objects.get(pk=reply.pk).parse_status == Reply.ParseStatus.PARSING

    celery_worker.start(CELERY_VISIBILITY_TIMEOUT="3")
    reply = wait_for(lambda: _parsed(reply.pk), timeout=300, worker=celery_worker, what="the parse after a restart")

    assert reply.parse_status == Reply.ParseStatus.PARSED, reply.parse_error
    assert reply.ocr and reply.pages_done == reply.pages
    spans = list(reply.indicators.values_list("start", "end"))
    assert len(spans) >= 40 and len(spans) == len(set(spans))
    assert Reply.objects.count() == 1


@pytest.mark.integration
def test_a_reparse_keeps_reviewed_rows_and_duplicates_nothing(celery_worker, client, assignment_135, staff_user):
    reply = _upload(client, assignment_135, DEMO_PDF)
    wait_for(lambda: _parsed(reply.pk), timeout=120, worker=celery_worker, what="the parse")
    before = reply.indicators.count(), reply.commitments.count()
    accepted, edited = reply.indicators.order_by("start")[:2]
    Indicator.objects.filter(pk=accepted.pk).update(review_status=ReviewStatus.ACCEPTED, reviewed_by=staff_user)
    Indicator.objects.filter(pk=edited.pk).update(review_status=ReviewStatus.EDITED, value=12345)
    rejected = reply.commitments.order_by("start").first()
    Commitment.objects.filter(pk=rejected.pk).update(review_status=ReviewStatus.REJECTED)

    reply_reparse(reply=Reply.objects.get(pk=reply.pk))
    wait_for(lambda: _parsed(reply.pk), timeout=120, worker=celery_worker, what="the re-parse")

    assert (reply.indicators.count(), reply.commitments.count()) == before
    assert Indicator.objects.get(pk=accepted.pk).review_status == ReviewStatus.ACCEPTED
    assert Indicator.objects.get(pk=edited.pk).value == 12345
    assert Commitment.objects.get(pk=rejected.pk).review_status == ReviewStatus.REJECTED
    spans = list(reply.indicators.values_list("start", "end"))
    assert len(spans) == len(set(spans))


@pytest.mark.integration
def test_a_pdf_with_no_text_at_all_fails_with_a_reason_and_a_retry_button(celery_worker, client, assignment_135,
                                                                          tmp_path):
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(text_pdf([[]]))
    reply = _upload(client, assignment_135, blank)
    reply = wait_for(lambda: _parsed(reply.pk), timeout=120, worker=celery_worker, what="the parse")
    assert reply.parse_status == Reply.ParseStatus.FAILED
    assert "没有可识别的文字" in reply.parse_error
    page = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert reply.parse_error in page and "重试" in page
    assert not reply.indicators.exists()


@pytest.mark.integration
def test_import_replies_reports_each_file(celery_worker, assignment_135, tmp_path, capsys):
    archive = tmp_path / "archive"
    (archive / "nested").mkdir(parents=True)
    shutil.copy(DEMO_PDF, archive / "reply.pdf")
    shutil.copy(REPLY_SCAN, archive / "nested" / "reply-scan.pdf")
    (archive / "other.pdf").write_bytes(text_pdf([[
        "关于市政协十四届二次会议第999号委员提案的答复", "长教函〔2023〕7号", "王明委员：",
        "您提出的《关于加强校园安全的建议》收悉，现答复如下：", "2022年全市新建学校12所。", "长春市教育局",
        "2023年6月1日"]]))
    (archive / "notes.pdf").write_bytes(b"not a pdf at all")

    call_command("import_replies", str(archive), "--timeout", "300")
    report = {line.split()[1]: line.split()[0] for line in capsys.readouterr().out.splitlines()}

    assert report == {str(archive / "reply.pdf"): "matched", str(archive / "nested" / "reply-scan.pdf"): "matched",
                      str(archive / "other.pdf"): "unmatched", str(archive / "notes.pdf"): "refused"}
    assert Reply.objects.filter(assignment=assignment_135).count() == 2
    kept = Reply.objects.get(assignment__isnull=True)
    assert kept.match_status == Reply.Match.UNMATCHED and Path(kept.file.path).exists()
    assert Assignment.objects.get(pk=assignment_135.pk).status == Assignment.Status.REPLIED
