"""Every URL of the app, requested by a user of another department, for every object out of its reach."""

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from indicators.models import Commitment, CommitmentReport, Indicator
from proposals.models import Assignment, CoOpinion, Proposal, ProposalAttachment
from replies.models import Feedback, Reply
from tests.factories import AssignmentFactory, DepartmentUserFactory, FeedbackFactory, ProposalFactory
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db

SECRET = "甲单位内部提案"

# Which object each URL's arguments name, and the values of its slug arguments. A new URL with arguments
# must be added here, or test_every_url_with_arguments_is_covered fails.
OBJECT_URLS = {
    "proposals:detail": ("proposal", {}),
    "proposals:edit": ("proposal", {}),
    "proposals:attachment": ("attachment", {}),
    "proposals:action": ("proposal", {"action": ["register", "refuse", "merge", "assign", "return", "set-due",
                                                 "feedback", "close"]}),
    "proposals:assignment-action": ("assignment", {"action": ["sign", "request-return", "co-opinion",
                                                              "decide-return", "request-extension",
                                                              "decide-extension"]}),
    "replies:upload": ("assignment", {}),
    "replies:detail": ("reply", {}),
    "replies:status": ("reply", {}),
    "replies:reparse": ("reply", {}),
    "replies:force_reparse": ("reply", {}),
    "replies:file": ("reply", {}),
    "replies:release": ("reply", {}),
    "replies:signoff": ("reply", {}),
    "replies:submit": ("reply", {}),
    "replies:withdraw": ("reply", {}),
    "replies:settle": ("reply", {}),
    "replies:mismatch-confirm": ("reply", {}),
    "replies:detach": ("reply", {}),
    "replies:attach": ("reply", {}),
    "indicators:edit": ("row", {"kind": ["indicator", "commitment"]}),
    "indicators:review": ("row", {"kind": ["indicator", "commitment"], "action": ["accept", "reject"]}),
    "indicators:bulk": ("reply", {}),
    "indicators:commitment-follow-up": ("commitment", {}),
    "indicators:commitment": ("commitment", {}),
    "indicators:commitment-report": ("commitment", {}),
    "indicators:commitment-confirm": ("commitment", {}),
    "indicators:commitment-file": ("commitment_report", {}),
}


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace != "admin":
                yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.converters)


@pytest.fixture
def victim(media_root):
    """Another department's proposal with everything hanging off it."""
    feedback = FeedbackFactory(reply__assignment__proposal__title=SECRET, reply__doc_number="甲发〔2022〕9号",
                               reply__file=ContentFile(text_pdf([["甲单位答复"]]), name="r.pdf"),
                               reply__text="甲单位答复全文，投入100万元。")
    reply = feedback.reply
    assignment = reply.assignment
    co = AssignmentFactory(proposal=assignment.proposal, role="co", status="assigned")
    CoOpinion.objects.create(assignment=co, text="会办意见", sent_by=DepartmentUserFactory(department=co.department))
    indicator = Indicator.objects.create(reply=reply, value=Decimal(100), unit="万元", start=9, end=14)
    commitment = Commitment.objects.create(reply=reply, text="将继续推进", start=0, end=5, review_status="accepted",
                                           follow_up_status="reported")
    report = CommitmentReport.objects.create(commitment=commitment, status="reported", note="甲单位已兑现",
                                             file=ContentFile(text_pdf([["佐证"]]), name="e.pdf"))
    attachment = ProposalAttachment.objects.create(proposal=assignment.proposal, original_name="甲.pdf", size=9,
                                                   file=ContentFile(b"%PDF-1.4 ", name="a.pdf"))
    return {"proposal": assignment.proposal, "assignment": assignment, "reply": reply, "indicator": indicator,
            "commitment": commitment, "commitment_report": report, "attachment": attachment}


def snapshot():
    return (list(Proposal.objects.order_by("pk").values_list("pk", "status")),
            list(Assignment.objects.order_by("pk").values_list("pk", "status", "due_on", "return_requested_on")),
            list(Reply.objects.order_by("pk").values_list("pk", "parse_status", "released_at", "submitted_at",
                                                           "category")),
            list(Indicator.objects.order_by("pk").values_list("pk", "review_status", "value")),
            list(Commitment.objects.order_by("pk").values_list("pk", "review_status", "text", "follow_up_status")),
            CommitmentReport.objects.count(),
            Feedback.objects.count(), CoOpinion.objects.count())


def urls_for(name, victim):
    target, slugs = OBJECT_URLS[name]
    if target == "row":
        for kind in slugs["kind"]:
            row = victim[kind]
            for action in slugs.get("action", [None]):
                kwargs = {"kind": kind, "pk": row.pk, **({"action": action} if action else {})}
                yield reverse(name, kwargs=kwargs)
        return
    obj = victim[target]
    _, converters = next((n, c) for n, c in named_patterns() if n == name)
    key = next(k for k in converters if k not in slugs)
    for action in slugs.get("action", [None]):
        yield reverse(name, kwargs={key: obj.pk, **({"action": action} if action else {})})


def test_every_url_with_arguments_is_covered():
    with_arguments = {name for name, converters in named_patterns() if converters}
    assert with_arguments == set(OBJECT_URLS)


def test_another_department_gets_403_or_404_for_every_object_url(client, victim, other_department_user):
    client.force_login(other_department_user)
    before = snapshot()
    checked = 0
    data = {"reason": "x", "text": "x", "decision": "accept", "status": "in_progress", "note": "x", "value": "1",
            "unit": "个", "category": "A", "rows": ["indicator-1"], "action": "accept",
            "assignment": victim["assignment"].pk, "field": "department", "confirmed": "1"}
    for name in OBJECT_URLS:
        for url in urls_for(name, victim):
            statuses = [
                client.get(url).status_code,
                client.get(url, HTTP_HX_REQUEST="true").status_code,
                client.post(url, data, HTTP_HX_REQUEST="true").status_code,
                client.post(url, data).status_code,
            ]
            # 405 means the view has no such method; the method it has must refuse
            assert set(statuses) <= {403, 404, 405} and set(statuses) != {405}, (url, statuses)
            checked += 1
    assert checked >= 25
    assert snapshot() == before


def test_lists_exports_and_pages_without_arguments_show_nothing_of_another_department(client, victim,
                                                                                     other_department_user):
    ProposalFactory(title="乙单位自己的提案")
    AssignmentFactory(department=other_department_user.department, proposal__title="乙单位的交办")
    client.force_login(other_department_user)
    for name, converters in named_patterns():
        if converters or name in ("logout", "set_language"):
            continue
        response = client.get(reverse(name), {"format": "csv"} if name == "proposals:export" else {}, follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if name == "proposals:export" and body.startswith(b"PK"):
            from openpyxl import load_workbook

            body = str(list(load_workbook(io.BytesIO(body)).active.values)).encode()
        assert SECRET.encode() not in body, name
        assert "甲发〔2022〕9号".encode() not in body, name


def test_the_admin_is_closed_to_department_users(client, other_department_user, victim):
    client.force_login(other_department_user)
    response = client.get(f"/admin/proposals/proposal/{victim['proposal'].pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response.url
