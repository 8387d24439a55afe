import pytest

from proposals.models import Assignment, Department
from replies.models import Reply
from replies.services import reply_match, reply_mismatches
from tests.factories import AssignmentFactory, DepartmentFactory, ProposalFactory, ReplyFactory, SessionFactory

pytestmark = pytest.mark.django_db

HEADER = {"session": "十二届五次会议", "proposal_number": "135", "department": "吉林省科学技术厅",
          "doc_number": "吉科发办〔2022〕108号"}


@pytest.fixture
def kjt():
    return DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅", doc_prefixes=["吉科发", "吉科发办"])


@pytest.fixture
def assignment(kjt):
    proposal = ProposalFactory(session=SessionFactory(name="十二届五次会议"), number=135)
    return AssignmentFactory(proposal=proposal, department=kjt)


def test_departments_match_by_name_or_the_longest_document_prefix(kjt):
    DepartmentFactory(name="吉林省科学技术协会", doc_prefixes=["吉科"])
    assert Department.objects.matching(name="省科技厅") == [kjt]
    assert Department.objects.matching(doc_number="吉科发办〔2022〕108号") == [kjt]
    assert [d.name for d in Department.objects.matching(doc_number="吉科协〔2022〕1号")] == ["吉林省科学技术协会"]
    assert Department.objects.matching(name="不存在的单位", doc_number="京政办〔2023〕1号") == []


def test_an_imported_reply_is_matched_to_its_assignment(assignment):
    reply = ReplyFactory(assignment=None, version=1, parsed_header=HEADER)
    reply_match(reply=reply)
    reply.refresh_from_db()
    assert reply.match_status == Reply.Match.MATCHED and reply.assignment == assignment
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.REPLIED


def test_session_spelling_with_di_still_matches(assignment):
    reply = ReplyFactory(assignment=None, parsed_header={**HEADER, "session": "第十二届第五次会议",
                                                         "proposal_number": "0135"})
    assert reply_match(reply=reply).match_status == Reply.Match.MATCHED


def test_an_unknown_proposal_is_unmatched_and_kept(assignment):
    reply = ReplyFactory(assignment=None, parsed_header={**HEADER, "proposal_number": "999"})
    reply_match(reply=reply)
    reply.refresh_from_db()
    assert reply.match_status == Reply.Match.UNMATCHED and reply.assignment is None
    assert "999" in reply.match_note


def test_two_sessions_with_the_same_number_and_no_session_in_the_header_are_ambiguous(assignment, kjt):
    AssignmentFactory(proposal=ProposalFactory(session=SessionFactory(name="十二届四次会议"), number=135),
                      department=kjt)
    reply = ReplyFactory(assignment=None, parsed_header={**HEADER, "session": None})
    assert reply_match(reply=reply).match_status == Reply.Match.AMBIGUOUS
    assert reply.assignment is None


def test_a_header_that_contradicts_the_assignment_is_flagged_not_overwritten(assignment):
    reply = ReplyFactory(assignment=assignment, parsed_header={
        **HEADER, "proposal_number": "136", "department": "吉林省教育厅", "doc_number": "吉教〔2022〕1号"})
    fields = {m["field"] for m in reply_mismatches(reply=reply)}
    assert fields == {"proposal_number", "department", "doc_number"}
    assert reply_mismatches(reply=ReplyFactory(assignment=assignment, version=2, parsed_header=HEADER)) == []
