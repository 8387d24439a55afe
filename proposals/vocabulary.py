"""The words of a committee's body: a 政协 handles 委员's 提案, a 人大 its 代表's 建议 (人大代表建议、批评和意见).

Every page, form, export, e-mail and printed form that shows one committee's object writes its words from
`terms_for(body)`; templates read them as `{{ proposal.terms.proposal }}` (Proposal, Session and Committee all have
`.terms`) or, where a page shows no single object, `{{ terms.proposal }}` from the view. A page that mixes both bodies
uses MIXED_TERMS and marks each row with its own `terms.proposal` (提案 / 建议). `proposal` is the word standing alone
(English "Proposals"); a sentence or an action label uses `noun` (one: "Register proposal") or `nouns` (several: "No
matching proposals"), which read as `proposal` in Chinese."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CPPCC = "cppcc"
NPC = "npc"


@dataclass(frozen=True)
class Terms:
    body: str
    kind: str  # the kind named with its body, where both may meet: 政协提案 / 人大代表建议
    proposal: str  # 提案 / 建议: a heading, title, column or menu entry ("Proposals")
    noun: str  # one, inside a sentence or action label: "Register proposal"; Chinese as `proposal`
    nouns: str  # several, inside a sentence: "No matching proposals"; Chinese as `proposal`
    member: str  # 委员 / 代表
    proposers: str  # the proposers of one proposal: 提案人 / 提出代表
    lead_proposer: str  # 第一提案人 / 领衔代表
    cosigners: str  # 联名提案人 / 联名代表
    collective: str  # a body proposing as one: 集体提案 / 代表团建议
    number: str  # 提案号 / 建议号
    content: str  # 提案内容 / 建议内容
    key_proposal: str  # 重点提案 / 重点建议
    office: str  # who handles them for the committee: 提案委员会 / 人大常委会代表工作委员会
    desk: str  # the office as its staff and departments call it: 提案办 / 建议办
    office_suffix: str  # appended to the committee's name: 吉林省政协提案委员会 / 吉林省人大常委会代表工作委员会
    assignment_sheet: str  # 提案交办单 / 建议交办单
    feedback_form: str  # 提案办理情况征询意见表 / 代表建议办理情况征询意见表
    handling_report: str  # 提案办理情况报告 / 建议办理情况报告
    mine: str  # the member's own list: 我的提案 / 我的建议
    signature: str  # 提案人（签字）/ 代表（签字）
    person_kind: str  # Member.Kind.PERSON's label: 委员 / 代表

    def __str__(self):
        return str(self.proposal)


CPPCC_TERMS = Terms(
    body=CPPCC,
    kind=_("政协提案"),
    proposal=_("提案"),
    noun=pgettext_lazy("one, in a sentence", "提案"),
    nouns=pgettext_lazy("several, in a sentence", "提案"),
    member=_("委员"),
    proposers=_("提案人"),
    lead_proposer=_("第一提案人"),
    cosigners=_("联名提案人"),
    collective=_("集体提案"),
    number=_("提案号"),
    content=_("提案内容"),
    key_proposal=_("重点提案"),
    office=_("提案委员会"),
    desk=_("提案办"),
    office_suffix=_("提案委员会"),
    assignment_sheet=_("提案交办单"),
    feedback_form=_("提案办理情况征询意见表"),
    handling_report=_("提案办理情况报告"),
    mine=_("我的提案"),
    signature=_("提案人（签字）"),
    person_kind=pgettext_lazy("member kind", "委员"),
)

NPC_TERMS = Terms(
    body=NPC,
    kind=_("人大代表建议"),
    proposal=_("建议"),
    noun=pgettext_lazy("one, in a sentence", "建议"),
    nouns=pgettext_lazy("several, in a sentence", "建议"),
    member=_("代表"),
    proposers=_("提出代表"),
    lead_proposer=_("领衔代表"),
    cosigners=_("联名代表"),
    collective=_("代表团建议"),
    number=_("建议号"),
    content=_("建议内容"),
    key_proposal=_("重点建议"),
    office=_("人大常委会代表工作委员会"),
    desk=_("建议办"),
    office_suffix=_("代表工作委员会"),
    assignment_sheet=_("代表建议交办单"),
    feedback_form=_("代表建议办理情况征询意见表"),
    handling_report=_("代表建议办理情况报告"),
    mine=_("我的建议"),
    signature=_("代表（签字）"),
    person_kind=pgettext_lazy("member kind", "代表"),
)

# A page or account that spans both bodies (an all-committee account's list, a department's queue).
MIXED_TERMS = Terms(
    body="",
    kind=_("提案和建议"),
    proposal=_("提案和建议"),
    noun=pgettext_lazy("one, in a sentence", "提案和建议"),
    nouns=pgettext_lazy("several, in a sentence", "提案和建议"),
    member=_("委员和代表"),
    proposers=_("提案人或代表"),
    lead_proposer=_("第一提案人或领衔代表"),
    cosigners=_("联名提案人或联名代表"),
    collective=_("集体提案或代表团建议"),
    number=_("编号"),
    content=_("内容"),
    key_proposal=_("重点提案或重点建议"),
    office=_("提案委员会或人大常委会代表工作委员会"),
    desk=_("提案办或建议办"),
    office_suffix=_("提案委员会"),
    assignment_sheet=_("交办单"),
    feedback_form=_("办理情况征询意见表"),
    handling_report=_("办理情况报告"),
    mine=_("我的提案和建议"),
    signature=_("提案人（签字）"),
    person_kind=pgettext_lazy("member kind", "委员"),
)

_BY_BODY = {CPPCC: CPPCC_TERMS, NPC: NPC_TERMS}


def terms_for(body: str | None) -> Terms:
    """The words of a body (cppcc or npc); MIXED_TERMS when the body is unknown or several."""
    return _BY_BODY.get(body or "", MIXED_TERMS)


def terms_for_bodies(bodies) -> Terms:
    """One body's words if every committee in view is of that body, MIXED_TERMS if of both; none in view (a fresh
    install) speaks as a 政协, the committee's default body."""
    distinct = set(bodies)
    if len(distinct) > 1:
        return MIXED_TERMS
    return terms_for(distinct.pop() if distinct else CPPCC)


def terms_for_user(user) -> Terms:
    """The words of the committees an account works for or proposes to: a 人大-only office says 建议 throughout; a
    department answers every committee of its place, so it sees MIXED_TERMS unless only one body exists there."""
    if not getattr(user, "is_authenticated", False):  # the public pages: the bodies this site serves
        from .models import Committee

        return terms_for_bodies(Committee.objects.values_list("body", flat=True).distinct())
    if not hasattr(user, "_terms"):  # asked by the menu, the view and its forms: one query per request
        user._terms = _user_terms(user)
    return user._terms


def _user_terms(user) -> Terms:
    from .models import Committee

    if user.role == "member" and user.member_id:
        committee = Committee.objects.filter(members=user.member_id).values_list("body", flat=True).first()
        return terms_for(committee) if committee else CPPCC_TERMS
    if user.role == "department" and user.department_id:
        committees = Committee.objects.all()
        region = user.department.region_id
        if region:
            committees = committees.filter(region=region)
        return terms_for_bodies(committees.values_list("body", flat=True).distinct())
    return terms_for_bodies(Committee.objects.worked_by(user).values_list("body", flat=True).distinct())


def member_kind_choices(terms: Terms) -> list[tuple[str, str]]:
    """The kinds of proposer a body's proposal form offers: a 政协's 委员, parties, sectors and special committees;
    a 人大's 代表 and 代表团."""
    from .models import Member

    if terms.body == NPC:
        return [(Member.Kind.PERSON, terms.person_kind), (Member.Kind.DELEGATION, Member.Kind.DELEGATION.label)]
    return [(value, terms.person_kind if value == Member.Kind.PERSON else label)
            for value, label in Member.Kind.choices if value != Member.Kind.DELEGATION]


def terms_context(request) -> dict:
    """`terms` for every template: the words of the committees the account works for, read only if a page asks."""
    from django.utils.functional import SimpleLazyObject

    return {"terms": SimpleLazyObject(lambda: terms_for_user(request.user))}
