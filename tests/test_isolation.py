"""Every URL of the app, requested by a user of another department, by a member who is not the proposer, or by the
office and supervisors of another committee, for every object out of its reach; and a proposer's own office and
department pages and unreleased replies."""

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from indicators.models import Commitment, CommitmentReport, Indicator
from proposals import services
from proposals.models import (
    Assignment,
    Committee,
    CoOpinion,
    Cosigner,
    Member,
    Proposal,
    ProposalAttachment,
    ProposalDraft,
    Region,
    User,
)
from replies.models import Feedback, Reply
from tests.factories import (
    AssignmentFactory,
    DepartmentUserFactory,
    FeedbackFactory,
    MemberUserFactory,
    ProposalFactory,
    RegionFactory,
    ReplyFactory,
    SessionFactory,
)
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db

SECRET = "甲单位内部提案"

# Which object each URL's arguments name, and the values of its slug arguments. A new URL with arguments
# must be added here, or test_every_url_with_arguments_is_covered fails.
OBJECT_URLS = {
    "proposals:detail": ("proposal", {}),
    "proposals:edit": ("proposal", {}),
    "proposals:attachment": ("attachment", {}),
    "proposals:print": ("proposal", {"form": ["assignment-sheet", "feedback-form"]}),
    "proposals:action": ("proposal", {"action": ["register", "refuse", "merge", "assign", "return", "set-due",
                                                 "feedback", "close"]}),
    "proposals:assignment-action": ("assignment", {"action": ["sign", "request-return", "decide-return",
                                                              "request-extension", "decide-extension"]}),
    "proposals:co-opinion": ("co_assignment", {}),
    "proposals:co-opinion-attachment": ("co_opinion", {}),
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
    "replies:redactions": ("reply", {}),
    "replies:publication": ("reply", {}),
    "public:detail": ("reply", {}),
    "public:file": ("reply", {}),
    "indicators:edit": ("row", {"kind": ["indicator", "commitment"]}),
    "indicators:review": ("row", {"kind": ["indicator", "commitment"], "action": ["accept", "reject"]}),
    "indicators:bulk": ("reply", {}),
    "indicators:commitment-follow-up": ("commitment", {}),
    "indicators:commitment": ("commitment", {}),
    "indicators:commitment-report": ("commitment", {}),
    "indicators:commitment-confirm": ("commitment", {}),
    "indicators:commitment-file": ("commitment_report", {}),
    "proposals:member-account-active": ("member_account", {}),
    "members:proposal": ("proposal", {}),
    "members:attachment": ("attachment", {}),
    "members:reply-file": ("reply", {}),
    "members:rate": ("reply", {}),
    "members:draft": ("draft", {}),
    "members:draft-edit": ("draft", {}),
    "members:draft-action": ("draft", {"action": ["invite", "uninvite", "submit"]}),
    "members:cosign": ("cosigner", {"action": ["confirm", "decline"]}),
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
    co_opinion = CoOpinion.objects.create(assignment=co, text="会办意见", attachment_name="甲.pdf",
                                          attachment=ContentFile(b"%PDF-1.4 ", name="o.pdf"),
                                          sent_by=DepartmentUserFactory(department=co.department))
    indicator = Indicator.objects.create(reply=reply, value=Decimal(100), unit="万元", start=9, end=14)
    commitment = Commitment.objects.create(reply=reply, text="将继续推进", start=0, end=5, review_status="accepted",
                                           follow_up_status="reported")
    report = CommitmentReport.objects.create(commitment=commitment, status="reported", note="甲单位已兑现",
                                             file=ContentFile(text_pdf([["佐证"]]), name="e.pdf"))
    attachment = ProposalAttachment.objects.create(proposal=assignment.proposal, original_name="甲.pdf", size=9,
                                                   file=ContentFile(b"%PDF-1.4 ", name="a.pdf"))
    Member.objects.filter(pk=feedback.member_id).update(committee=assignment.proposal.session.committee)
    proposer = MemberUserFactory(member=feedback.member)
    draft = ProposalDraft.objects.create(session=assignment.proposal.session, lead=feedback.member, title=SECRET,
                                         body="甲委员的草稿")
    cosigner = Cosigner.objects.create(draft=draft, member=MemberUserFactory().member)
    return {"proposal": assignment.proposal, "assignment": assignment, "co_assignment": co, "co_opinion": co_opinion,
            "reply": reply, "indicator": indicator,
            "commitment": commitment, "commitment_report": report, "attachment": attachment,
            "member_account": proposer, "draft": draft, "cosigner": cosigner}


def snapshot():
    return (list(Proposal.objects.order_by("pk").values_list("pk", "status")),
            list(Assignment.objects.order_by("pk").values_list("pk", "status", "due_on", "return_requested_on")),
            list(Reply.objects.order_by("pk").values_list("pk", "parse_status", "released_at", "submitted_at",
                                                           "category")),
            list(Indicator.objects.order_by("pk").values_list("pk", "review_status", "value")),
            list(Commitment.objects.order_by("pk").values_list("pk", "review_status", "text", "follow_up_status")),
            CommitmentReport.objects.count(),
            Feedback.objects.count(), CoOpinion.objects.count(),
            list(ProposalDraft.objects.order_by("pk").values_list("pk", "status", "title")),
            list(Cosigner.objects.order_by("pk").values_list("pk", "status")),
            list(User.objects.order_by("pk").values_list("pk", "is_active")))


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
    slug = next(iter(slugs), None)  # action, or another one slug argument (form)
    for value in slugs.get(slug, [None]):
        yield reverse(name, kwargs={key: obj.pk, **({slug: value} if value else {})})


def test_every_url_with_arguments_is_covered():
    with_arguments = {name for name, converters in named_patterns() if converters}
    assert with_arguments == set(OBJECT_URLS)


def every_object_url_refused(client, victim):
    """Every object URL, read and posted (plain and htmx): nothing but 403/404 (405 for a method a view lacks)."""
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


def test_another_department_gets_403_or_404_for_every_object_url(client, victim, other_department_user):
    client.force_login(other_department_user)
    every_object_url_refused(client, victim)


def test_a_member_who_is_not_a_proposer_gets_403_or_404_for_every_object_url(client, victim):
    client.force_login(MemberUserFactory())
    every_object_url_refused(client, victim)


INTERNAL_NAMESPACES = ("proposals:", "replies:", "indicators:")


def test_a_proposer_gets_404_on_every_office_and_department_page_even_of_their_own_proposal(client, victim):
    client.force_login(victim["member_account"])
    for name in OBJECT_URLS:
        if name.startswith(INTERNAL_NAMESPACES):
            for url in urls_for(name, victim):
                assert client.get(url).status_code == 404, url
                assert client.post(url, {"reason": "x", "confirmed": "1"}).status_code == 404, url
    for name, converters in named_patterns():
        if not converters and (name.startswith(INTERNAL_NAMESPACES) or name == "account-locks"):
            assert client.get(reverse(name)).status_code == 404, name
    assert client.get(f"/admin/proposals/proposal/{victim['proposal'].pk}/change/").status_code == 404


def test_a_proposer_never_reads_an_unreleased_or_withdrawn_reply_to_their_own_proposal(client, victim, media_root):
    from django.utils import timezone

    assignment = victim["assignment"]
    unreleased = ReplyFactory(assignment=assignment, version=2, doc_number="甲发〔2022〕10号",
                              file=ContentFile(text_pdf([["未发布的答复"]]), name="u.pdf"))
    withdrawn = ReplyFactory(assignment=assignment, version=3, doc_number="甲发〔2022〕11号", withdrawn_at=timezone.now(),
                             withdraw_reason="重写", file=ContentFile(text_pdf([["撤回的答复"]]), name="w.pdf"))
    client.force_login(victim["member_account"])
    page = client.get(reverse("members:proposal", args=[victim["proposal"].pk]))
    assert page.status_code == 200 and "甲发〔2022〕9号".encode() in page.content
    assert "甲发〔2022〕10号".encode() not in page.content and "甲发〔2022〕11号".encode() not in page.content
    for reply in (unreleased, withdrawn):
        assert client.get(reverse("members:reply-file", args=[reply.pk])).status_code == 404
        assert client.post(reverse("members:rate", args=[reply.pk]), {
            "rating": "satisfied", "handling_rating": "satisfied", "outcome_rating": "satisfied"}).status_code == 404
    assert client.get(reverse("members:reply-file", args=[victim["reply"].pk])).status_code == 200
    assert not Feedback.objects.filter(reply__in=[unreleased, withdrawn]).exists()


def test_a_members_own_pages_are_closed_to_every_other_role(client, victim, other_department_user, staff_user,
                                                            supervisor_user):
    for user in (other_department_user, staff_user, supervisor_user):
        client.force_login(user)
        for name, converters in named_patterns():
            if name.startswith("members:") and not converters:
                assert client.get(reverse(name)).status_code == 404, (user.role, name)
        assert client.get(reverse("members:draft", args=[victim["draft"].pk])).status_code == 404


def test_lists_and_pages_without_arguments_show_another_member_nothing(client, victim):
    ProposalFactory(title="乙委员自己的提案", proposers=[MemberUserFactory().member])
    client.force_login(MemberUserFactory())
    for name, converters in named_patterns():
        if converters or name in ("logout", "set_language"):
            continue
        response = client.get(reverse(name), follow=True)
        assert SECRET.encode() not in response.content, name
        assert "甲发〔2022〕9号".encode() not in response.content, name
        assert "甲委员的草稿".encode() not in response.content, name


def test_a_deactivated_member_account_sees_nothing(client, victim):
    account = victim["member_account"]
    client.force_login(account)
    assert client.get(reverse("members:proposal", args=[victim["proposal"].pk])).status_code == 200
    account.is_active = False
    account.save()
    response = client.get(reverse("members:proposal", args=[victim["proposal"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


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


@pytest.fixture
def other_committee():
    """长春市政协: a city's committee on the same deployment, with a session and a proposal of its own."""
    city = Region.objects.create(name="长春市", level=Region.Level.CITY, parent=RegionFactory())
    committee = Committee.objects.create(name="长春市政协", short_name="市政协", region=city)
    ProposalFactory(session=SessionFactory(committee=committee, name="十五届三次会议"), title="长春市政协自己的提案")
    return committee


@pytest.fixture(params=[User.Role.STAFF, User.Role.SUPERVISOR])
def other_committee_account(request, other_committee):
    """The office or a supervisor of 长春市政协 only."""
    return services.user_create(username=f"changchun-{request.param}", password="pw", role=request.param,
                                committees=[other_committee])


def test_another_committees_office_and_supervisor_get_403_or_404_for_every_object_url(client, victim,
                                                                                      other_committee_account):
    client.force_login(other_committee_account)
    every_object_url_refused(client, victim)


def test_lists_exports_dashboards_and_the_admin_show_another_committee_nothing(client, victim,
                                                                              other_committee_account):
    client.force_login(other_committee_account)
    for name, converters in named_patterns():
        if converters or name in ("logout", "set_language"):
            continue
        response = client.get(reverse(name), {"format": "csv"} if name == "proposals:export" else {}, follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET.encode() not in body, name
        assert "甲发〔2022〕9号".encode() not in body, name
        assert "甲单位已兑现".encode() not in body, name
    own = client.get(reverse("proposals:list"))
    assert "长春市政协自己的提案" in own.content.decode()
    assert client.get(reverse("proposals:list"), {"session": victim["proposal"].session_id}).status_code == 200
    for path in ("proposals/proposal", "proposals/assignment", "replies/reply", "replies/feedback",
                 "indicators/indicator", "indicators/commitment", "indicators/commitmentreport",
                 "proposals/session", "proposals/member", "proposals/proposalattachment", "proposals/committee"):
        listing = client.get(f"/admin/{path}/")
        assert listing.status_code == 200, path
        assert SECRET.encode() not in listing.content and "甲发〔2022〕9号".encode() not in listing.content, path
    change = client.get(f"/admin/proposals/proposal/{victim['proposal'].pk}/change/", follow=True)
    assert SECRET.encode() not in change.content
    assert client.get(f"/admin/replies/reply/{victim['reply'].pk}/change/").status_code != 200
    for path, pk in (("proposals/proposal", victim["proposal"].pk), ("proposals/assignment", victim["assignment"].pk),
                     ("replies/reply", victim["reply"].pk), ("indicators/commitment", victim["commitment"].pk)):
        assert client.get(f"/admin/{path}/{pk}/history/").status_code == 404, path
    version = Proposal.history.filter(id=victim["proposal"].pk).first().history_id
    assert client.get(f"/admin/proposals/proposal/{victim['proposal'].pk}/history/{version}/").status_code == 404


def test_the_admin_is_closed_to_department_users(client, other_department_user, victim):
    client.force_login(other_department_user)
    response = client.get(f"/admin/proposals/proposal/{victim['proposal'].pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.fixture
def shared_proposal(media_root):
    """A proposal our department leads (answered, released, rated 满意) and two other departments handle a part
    of (分办): one overdue, one due within days, both unanswered, one with a reply of another category rated
    不满意. Returns (our user, the other departments' assignments)."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    ours = FeedbackFactory(reply__category="A", reply__assignment__status="replied",
                           reply__assignment__due_on=today + timedelta(days=200), rating="satisfied")
    proposal = ours.reply.assignment.proposal
    late = AssignmentFactory(proposal=proposal, role="separate", status="signed", due_on=today - timedelta(days=3))
    soon = AssignmentFactory(proposal=proposal, role="separate", status="signed", due_on=today + timedelta(days=4))
    FeedbackFactory(reply__assignment=late, reply__category="C", rating="unsatisfied", member=ours.member)
    return DepartmentUserFactory(department=ours.reply.assignment.department), [late, soon]


def filter_values():
    """Every filter of the proposals list with the values worth trying (each choice, each flag, a few numbers)."""
    from proposals.filters import ProposalFilter

    for name, field in ProposalFilter.base_filters.items():
        extra = field.extra
        if "choices" in extra:
            values = [value for value, _ in extra["choices"]] if not callable(extra["choices"]) else []
        elif name in ("overdue", "unresolved", "is_key"):
            values = ["true", "false"]
        elif name == "due_within":
            values = ["0", "7", "30", "366"]
        elif name in ("q", "proposer"):
            values = ["关于", "委员", "第"]
        elif name == "o":
            values = [f"{sign}{key}" for key in ("number", "title", "submitted_on", "status", "lead_due_on",
                                                 "session") for sign in ("", "-")]
        else:  # session, department: model choices, tried with every row there is
            values = [str(pk) for pk in field.queryset.model._default_manager.values_list("pk", flat=True)]
        assert values, name
        yield name, values


def test_every_list_filter_answers_a_department_the_same_whether_or_not_another_departments_data_matches(
        client, shared_proposal):
    from proposals.filters import ProposalFilter

    user, others = shared_proposal
    client.force_login(user)
    tried = set()

    def listing():
        seen = {}
        for name, values in filter_values():
            tried.add(name)
            for value in values:
                response = client.get(reverse("proposals:list"), {name: value})
                assert response.status_code == 200, (name, value)
                seen[(name, value)] = [p.pk for p in response.context["proposals"]]
        return seen

    with_others = listing()
    for assignment in others:
        Reply.objects.filter(assignment=assignment).delete()
        assignment.delete()
    without_others = listing()
    assert tried == set(ProposalFilter.base_filters)
    differing = {key: (with_others[key], without_others[key]) for key in with_others
                 if with_others[key] != without_others[key]}
    assert not differing


def test_the_history_panel_shows_a_department_only_its_own_assignments(client, shared_proposal, staff_user):
    user, (late, soon) = shared_proposal
    late.due_override_reason = "乙单位协调"
    late.save()
    own = Assignment.objects.get(proposal=late.proposal, department=user.department)
    client.force_login(user)
    history = client.get(reverse("proposals:detail", args=[late.proposal_id])).context["history"]
    labels = " ".join(entry.object_label + " ".join(c.new for c in entry.changes) for entry in history)
    assert str(own.department) in labels
    assert str(late.department) not in labels and str(soon.department) not in labels and "乙单位协调" not in labels
    client.force_login(staff_user)
    history = client.get(reverse("proposals:detail", args=[late.proposal_id])).context["history"]
    assert "乙单位协调" in " ".join(c.new for entry in history for c in entry.changes)
