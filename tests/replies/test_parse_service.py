import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from replies.models import Reply
from replies.services import reply_parse, reply_upload
from tests.factories import AssignmentFactory, DepartmentFactory, ProposalFactory, SessionFactory
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db

REPLY_LINES = [
    "关于对省政协十二届五次会议第136号委员提案的答复", "吉教函〔2022〕15号", "王丽娟委员：",
    "您提出的《关于加强职业教育产教融合的建议》收悉，现答复如下：",
    "2021年，全省共建设产教融合实训基地42个，投入资金3.5亿元。",
    "下一步，我们将力争到2023年底前新建实训基地20个。", "吉林省教育厅", "2022年6月30日",
]


@pytest.fixture
def assignment(media_root):
    department = DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅", doc_prefixes=["吉科发"])
    proposal = ProposalFactory(session=SessionFactory(name="十二届五次会议"), number=135)
    return AssignmentFactory(proposal=proposal, department=department)


def test_parsing_fills_empty_header_fields_stores_rows_and_flags_a_contradicting_header(assignment, staff_user):
    reply = reply_upload(assignment=assignment, file=SimpleUploadedFile("r.pdf", text_pdf([REPLY_LINES])),
                         uploaded_by=staff_user, doc_number="")
    reply = reply_parse(reply_id=reply.pk)

    assert reply.parse_status == Reply.ParseStatus.PARSED, reply.parse_error
    assert reply.doc_number == "吉教函〔2022〕15号"
    assert str(reply.reply_date) == "2022-06-30"
    assert {m["field"] for m in reply.mismatches} >= {"proposal_number", "department", "doc_number"}
    assert reply.indicators.filter(value=42, unit="个", year=2021).exists()
    assert reply.commitments.filter(text__contains="20个").exists()
    assert assignment.proposal.number == 135  # flagged, never overwritten


def test_a_reply_already_parsed_is_not_parsed_again(assignment, staff_user):
    reply = reply_upload(assignment=assignment, file=SimpleUploadedFile("r.pdf", text_pdf([REPLY_LINES])),
                         uploaded_by=staff_user, doc_number="吉科发〔2022〕1号")
    reply_parse(reply_id=reply.pk)
    rows = list(Reply.objects.get(pk=reply.pk).indicators.values_list("pk", flat=True))
    reply_parse(reply_id=reply.pk)
    assert list(Reply.objects.get(pk=reply.pk).indicators.values_list("pk", flat=True)) == rows
    assert Reply.objects.get(pk=reply.pk).doc_number == "吉科发〔2022〕1号"


def test_a_missing_file_fails_with_a_reason(assignment, staff_user):
    reply = reply_upload(assignment=assignment, file=SimpleUploadedFile("r.pdf", text_pdf([REPLY_LINES])),
                         uploaded_by=staff_user)
    reply.file.storage.delete(reply.file.name)
    reply = reply_parse(reply_id=reply.pk)
    assert reply.parse_status == Reply.ParseStatus.FAILED and "重新上传" in reply.parse_error


def test_a_quick_parse_reports_its_page_count_once_and_ends_with_every_page_done(assignment, staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pdf = text_pdf([REPLY_LINES] + [[f"第{n}页。"] for n in range(2, 6)])
    reply = reply_upload(assignment=assignment, file=SimpleUploadedFile("r.pdf", pdf), uploaded_by=staff_user)
    with CaptureQueriesContext(connection) as queries:
        reply = reply_parse(reply_id=reply.pk)

    progress_writes = [q["sql"] for q in queries.captured_queries if 'SET "pages_done"' in q["sql"]]
    assert len(progress_writes) == 1 and '"pages" = 5' in progress_writes[0]
    assert (reply.pages, reply.pages_done) == (5, 5)
