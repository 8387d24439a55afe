"""The demo: 吉林省政协 with the real reply to proposal 135 and a dozen proposals in every state, and beside it
吉林省人大常委会 with suggestions (建议) by its deputies in every state, answered by the same departments."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from proposals import services
from proposals.models import (
    Assignment,
    Committee,
    Department,
    DepartmentContact,
    Member,
    Proposal,
    Region,
    Session,
    User,
)

DEMO_DIR = Path(__file__).resolve().parent
REPLY_135_PDF = DEMO_DIR / "jl-kjt-2022-108.pdf"
# 省农业农村厅's reply to 建议 第165号: the text of a real reply to a provincial deputy (云南省农业厅 云农办函〔2017〕115号,
# tests/data/corpus/a-npc-yunnan-nyt-2017-0165) with the places, names, dates and numbers made the demo's; the PDF was
# rendered from NPC_REPLY_165_TEXT with proposals.report_views.render_pdf (a test checks that they agree).
NPC_REPLY_165_PDF = DEMO_DIR / "jl-nync-2025-37.pdf"
NPC_REPLY_165_TEXT = """吉农函〔2025〕37号
对吉林省第十四届人大三次会议第165号建议的答复
孙立国代表：
您提出的《关于将通榆县列为创建吉林省现代畜牧业重点县加快乡村振兴步伐的建议》已交我厅研究办理，首先感谢您对畜牧业的\
关心、关注，具体答复如下：
按照省委、省政府关于着力推进重点产业发展的要求，明确八大产业，其中就有现代农业产业。省农业农村厅依据现代农业产业发展\
目标和重点任务，确定生猪、肉牛60个产业重点县，作为“十四五”期间重点发展区域。因通榆县生猪存出栏在全省排名靠后，未列入\
生猪、肉牛60个产业重点县，但在通榆县委县政府的高度重视下，通榆县畜牧产业发展迅速，据行业统计，2024年生猪存栏19.72万头，\
出栏22.51万头。省农业农村厅高度关注通榆县畜牧业发展，近几年安排专项资金给予支持。在下一步工作中，我厅将继续关注通榆县\
畜牧业发展，依据中央和省级资金情况，对通榆县给予倾斜支持。
感谢您对吉林畜牧工作的关心和支持，希望您今后一如既往地关心和支持我们的工作，提出宝贵意见和建议。
吉林省农业农村厅
2025年5月20日
（联系人及电话：吉林省农业农村厅畜牧处 周农 0431-88888806）"""

DEPARTMENTS = [
    ("吉林省科学技术厅", "省科技厅", ["吉科发", "吉科发办", "吉科函"], ("王科", "0431-88888801")),
    ("吉林省教育厅", "省教育厅", ["吉教", "吉教办"], ("刘教", "0431-88888802")),
    ("吉林省财政厅", "省财政厅", ["吉财"], ("陈财", "0431-88888803")),
    ("吉林省人力资源和社会保障厅", "省人社厅", ["吉人社"], ("赵人", "0431-88888804")),
    ("吉林省生态环境厅", "省生态环境厅", ["吉环"], ("孙环", "0431-88888805")),
    ("吉林省农业农村厅", "省农业农村厅", ["吉农"], ("周农", "0431-88888806")),
]

MEMBERS = [  # of 吉林省政协
    ("李秀玉", Member.Kind.PERSON, "科学技术界", "民盟"),
    ("张建华", Member.Kind.PERSON, "经济界", "民建"),
    ("王丽娟", Member.Kind.PERSON, "教育界", "九三学社"),
    ("刘志强", Member.Kind.PERSON, "农业界", "中共"),
    ("陈晓梅", Member.Kind.PERSON, "医药卫生界", "农工党"),
    ("赵国庆", Member.Kind.PERSON, "社会福利和社会保障界", "无党派"),
    ("民盟吉林省委", Member.Kind.PARTY, "", "民盟"),
]

NPC_MEMBERS = [  # deputies (代表) of 吉林省人大常委会, with their delegation where a 委员 has a 界别
    ("孙立国", Member.Kind.PERSON, "白城市代表团", "中共"),
    ("韩雪梅", Member.Kind.PERSON, "长春市代表团", "民进"),
    ("郑宏伟", Member.Kind.PERSON, "吉林市代表团", "无党派"),
    ("金顺姬", Member.Kind.PERSON, "延边朝鲜族自治州代表团", "中共"),
    ("周海涛", Member.Kind.PERSON, "四平市代表团", "农工党"),
]

PROVINCE_CPPCC, PROVINCE_NPC = "吉林省政协", "吉林省人大常委会"

DEMO_USERS = [
    # username, password, role, department name, display name, committees worked for (None: all of them)
    ("staff", "staff-demo-2026", User.Role.STAFF, None, "提案办 张干事", [PROVINCE_CPPCC]),
    ("rdstaff", "rdstaff-demo-2026", User.Role.STAFF, None, "人大建议办 赵干事", [PROVINCE_NPC]),
    ("supervisor", "supervisor-demo-2026", User.Role.SUPERVISOR, None, "督办处 李处长", None),
    ("kjt", "kjt-demo-2026", User.Role.DEPARTMENT, "吉林省科学技术厅", "省科技厅 王科", []),
    ("jyt", "jyt-demo-2026", User.Role.DEPARTMENT, "吉林省教育厅", "省教育厅 刘教", []),
]

DEMO_MEMBER_USERS = [
    # username, password, the member the account acts for
    ("lixiuyu", "lixiuyu-demo-2026", "李秀玉"),
    ("chenxiaomei", "chenxiaomei-demo-2026", "陈晓梅"),
]


def _proposal(session, number, title, category, proposers, *, submitted_on, made_at=Proposal.MadeAt.PLENARY,
              is_key=False) -> tuple[Proposal, bool]:
    existing = Proposal.objects.filter(session=session, number=number).first()
    if existing:
        return existing, False
    return services.proposal_create(session=session, number=number, title=title, category=category,
                                    submitted_on=submitted_on, made_at=made_at, proposers=proposers,
                                    is_key=is_key), True


def _assigned(proposal, departments, assigned_on) -> None:
    services.proposal_register(proposal=proposal)
    for position, department in enumerate(departments):
        role = Assignment.Role.LEAD if position == 0 else Assignment.Role.CO
        services.assignment_create(proposal=proposal, department=department, role=role, assigned_on=assigned_on)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _backdate(proposal, *, opinion_on=None, replied_on=None, released_on=None, rated_on=None) -> None:
    """The services stamp what they record with the current time; the 2022 proposals were handled in 2022, and the
    timeline, the dashboard's days to reply and 按期 read these times."""
    from indicators.models import Commitment, Indicator
    from replies.models import Feedback, Reply, ReplyCategoryChange, ReplyEvent, ReplySignoff

    for assignment in proposal.assignments.all():
        days = {"assigned": assignment.assigned_on, "signed": assignment.signed_on, "co_opinion": opinion_on,
                "replied": replied_on, "reopened": rated_on, "closed": rated_on}
        for kind, day in days.items():
            if day:
                assignment.events.filter(kind=kind).update(at=_at(day))
        if opinion_on:
            assignment.co_opinions.update(sent_at=_at(opinion_on))
        answered_on = opinion_on if assignment.role == "co" else replied_on
        if answered_on and assignment.first_replied_on:
            Assignment.objects.filter(pk=assignment.pk).update(first_replied_on=answered_on)
    replies = Reply.objects.filter(assignment__proposal=proposal)
    if replied_on:
        replies.update(uploaded_at=_at(replied_on), submitted_at=_at(replied_on))
        ReplySignoff.objects.filter(reply__in=replies).update(at=_at(replied_on))
        ReplyEvent.objects.filter(reply__in=replies, kind=ReplyEvent.Kind.SUBMITTED).update(at=_at(replied_on))
    if released_on:
        replies.update(released_at=_at(released_on))
        ReplyEvent.objects.filter(reply__in=replies, kind=ReplyEvent.Kind.RELEASED).update(at=_at(released_on))
        ReplyCategoryChange.objects.filter(reply__in=replies).update(at=_at(released_on))
        # reviewed the day before release
        for model in (Indicator, Commitment):
            model.objects.filter(reply__in=replies, reviewed_at__isnull=False).update(
                reviewed_at=_at(released_on - timedelta(days=1)))
    if rated_on:
        Feedback.objects.filter(reply__in=replies).update(recorded_at=_at(rated_on))


# What a reviewer at the office corrects or rejects in reply 135's extracted indicators; the rest are accepted.
REVIEW_135 = {
    # (metric as extracted, value): corrected fields, or None to reject
    ("企业R&D", "324"): {"metric": "获R&D投入补助企业"},
    ("占当年销售收入", "8600.62"): {"metric": "高新技术企业销售收入"},
    ("占销售收入比重", "4.3"): {"metric": "研发费用占销售收入比例"},
    ("高新技术企业减", "15"): {"metric": "高新技术企业所得税税率"},
    ("高新技术企业研发费用合计", "2903"): None,  # the count of firms again, not their spending
    ("高新技术企业认定", "2"): None,  # two rounds of a procedure, not a figure worth a series
}


def _review_135(reply, *, by) -> None:
    """Review reply 135 as the office would: correct the garbled metrics, reject what is not a figure, accept
    the rest; every row ends reviewed."""
    from indicators.services import extracted_row_review, indicator_edit
    from replies.services import reply_rows_settle

    for row in reply.indicators.filter(review_status="pending"):
        key = (row.metric, format(row.value.normalize(), "f"))
        if key not in REVIEW_135:
            continue
        fix = REVIEW_135[key]
        if fix is None:
            extracted_row_review(row=row, by=by, accept=False)
        else:
            fields = {"value": row.value, "unit": row.unit, "year": row.year, "metric": row.metric,
                      "qualifier": row.qualifier, "is_target": row.is_target, **fix}
            indicator_edit(indicator=row, by=by, **fields)
    reply_rows_settle(reply=reply, by=by, accept=True)


@transaction.atomic
def _paper_reply_to_release(lead, *, staff, today) -> None:
    """A reply sent on paper, entered by the office: submitted, waiting on 待办 to be released."""
    from replies.services import reply_create

    reply_create(assignment=lead, uploaded_by=staff, doc_number=f"吉环函〔{today.year}〕12号",
                 reply_date=today - timedelta(days=5), category="B")


def _extension_requested(lead, *, staff, today) -> None:
    """The lead department, past its due date, asks for more time: 延期申请中 on its queue and on 待办."""
    services.extension_request(assignment=lead, requested_due_on=lead.due_on + timedelta(days=45),
                               reason="需与省财政厅会商资金安排，申请延期。", by=User.objects.get(username="kjt"))


def _wrong_file_uploaded(lead, *, staff, today) -> None:
    """The department uploaded another proposal's reply by mistake: a parsed draft whose header contradicts the
    assignment, to be withdrawn (or the mismatches confirmed) before it can be submitted."""
    from replies.services import reply_parse, reply_upload

    with REPLY_135_PDF.open("rb") as pdf:
        upload = File(pdf, name=REPLY_135_PDF.name)
        upload.size = REPLY_135_PDF.stat().st_size
        reply = reply_upload(assignment=lead, file=upload, uploaded_by=User.objects.get(username="kjt"))
    reply_parse(reply_id=reply.pk)


# 省科技厅's earlier reply (第141号): the same metrics as reply 135 a year before, so 指标历史 shows a series.
REPLY_141_TEXT = ("关于省政协十二届五次会议第141号提案的答复。2020年，全省高新技术企业达到2000户；"
                  "知识产权质押融资额18.6亿元；获R&D投入补助企业260户。")
REPLY_141_ROWS = [  # metric, value, unit, base value, base unit, the figure as written
    ("高新技术企业", "2000", "户", "2000", "户", "2000户"),
    ("知识产权质押融资额", "18.6", "亿元", "1860000000", "元", "18.6亿元"),
    ("获R&D投入补助企业", "260", "户", "260", "户", "260户"),
]


def _earlier_kjt_reply(proposal, *, kjt, staff) -> None:
    """A reply entered by the office with its reviewed rows (year 2020), released: the other point of each series."""
    from decimal import Decimal

    from indicators.models import Indicator
    from replies.models import Reply
    from replies.services import reply_create, reply_release

    _assigned(proposal, [kjt], date(2022, 4, 1))
    reply = reply_create(assignment=proposal.assignments.get(role=Assignment.Role.LEAD), uploaded_by=staff,
                         doc_number="吉科函〔2022〕61号", reply_date=date(2022, 7, 6), category=Reply.Category.A)
    Reply.objects.filter(pk=reply.pk).update(text=REPLY_141_TEXT)
    rows = []
    for metric, value, unit, base_value, base_unit, written in REPLY_141_ROWS:
        start = REPLY_141_TEXT.index(written)
        rows.append(Indicator(reply=reply, start=start, end=start + len(written), metric=metric, value=Decimal(value),
                              unit=unit, base_value=Decimal(base_value), base_unit=base_unit, year=2020,
                              sentence=written, review_status="accepted", reviewed_by=staff,
                              reviewed_at=timezone.now()))
    Indicator.objects.bulk_create(rows)
    reply_release(reply=reply, by=staff)
    _backdate(proposal, replied_on=date(2022, 7, 6), released_on=date(2022, 7, 8))


# Current-session proposals caught in the middle of their handling, by number.
WORK_IN_PROGRESS = {1: _paper_reply_to_release, 2: _extension_requested, 4: _wrong_file_uploaded}


def load_demo(*, today: date | None = None) -> list[tuple[str, str, str, str]]:
    """Load the demo; loading it again changes nothing. Returns (username, password, role, what the account works
    for: its committees, department or member) of the demo accounts."""
    from proposals.member_accounts import member_account_create
    from replies.models import Feedback, Reply
    from replies.services import (
        feedback_record,
        reply_create,
        reply_parse,
        reply_release,
        reply_signoff,
        reply_submit,
    )

    today = today or timezone.localdate()
    province, _ = Region.objects.get_or_create(name="吉林省", defaults={"level": Region.Level.PROVINCE})
    committee, _ = Committee.objects.get_or_create(name=PROVINCE_CPPCC, defaults={"short_name": "省政协",
                                                                               "region": province})
    npc, _ = Committee.objects.get_or_create(name=PROVINCE_NPC, defaults={"short_name": "省人大",
                                                                        "body": Committee.Body.NPC, "region": province})
    s2022, _ = Session.objects.get_or_create(
        committee=committee, name="十二届五次会议",
        defaults=dict(year=2022, opened_on=date(2022, 1, 16), plenary_months=3, interim_months=3,
                      hard_cap_months=6, co_opinion_months=1))
    current, _ = Session.objects.get_or_create(
        committee=committee, name="十三届四次会议",
        defaults=dict(year=today.year, opened_on=today - timedelta(days=200), plenary_months=3, interim_months=3,
                      hard_cap_months=6, co_opinion_months=1,
                      submission_opens_on=today - timedelta(days=7), submission_closes_on=today + timedelta(days=60)))

    departments = {}
    for name, short, prefixes, (contact, phone) in DEPARTMENTS:
        department, created = Department.objects.get_or_create(
            name=name, defaults={"short_name": short, "doc_prefixes": prefixes, "region": province})
        if created:
            DepartmentContact.objects.create(department=department, name=contact, phone=phone)
        departments[short] = department
    Department.objects.filter(name__in=[name for name, *_ in DEPARTMENTS], region=None).update(region=province)
    members = {}
    for rows, body in ((MEMBERS, committee), (NPC_MEMBERS, npc)):
        for name, kind, sector, party in rows:
            members[name], _ = Member.objects.get_or_create(
                name=name, kind=kind, defaults={"sector": sector, "party": party, "committee": body})
        Member.objects.filter(name__in=[name for name, *_ in rows], committee=None).update(committee=body)

    accounts = []
    committees = {committee.name: committee, npc.name: npc}
    for username, password, role, department_name, display, works_for in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            services.user_create(username=username, password=password, role=role, first_name=display,
                                 department=Department.objects.get(name=department_name) if department_name else None,
                                 committees=[committees[name] for name in works_for or []],
                                 all_committees=works_for is None)
        scope = department_name or ("、".join(works_for) if works_for is not None else gettext("全部委员会"))
        accounts.append((username, password, User.Role(role).label, scope))
    for username, password, member_name in DEMO_MEMBER_USERS:
        if not User.objects.filter(username=username).exists():
            member_account_create(member=members[member_name], username=username, password=password)
        accounts.append((username, password, User.Role.MEMBER.label, f"{member_name}（{PROVINCE_CPPCC}）"))

    kjt, jyt, czt = departments["省科技厅"], departments["省教育厅"], departments["省财政厅"]
    rst, sthj, nync = departments["省人社厅"], departments["省生态环境厅"], departments["省农业农村厅"]
    staff = User.objects.get(username="staff")

    # 第135号: the real reply, released and rated.
    p135, created = _proposal(s2022, 135, "关于加快高新技术产业的建议", Proposal.Category.ECONOMY,
                              [members["李秀玉"]], submitted_on=date(2022, 1, 16), is_key=True)
    if created:
        _assigned(p135, [kjt], date(2022, 4, 1))
        lead = p135.assignments.get(role=Assignment.Role.LEAD)
        services.assignment_sign(assignment=lead, on=date(2022, 4, 6))
        kjt_user = User.objects.get(username="kjt")
        with REPLY_135_PDF.open("rb") as pdf:
            reply = reply_create(assignment=lead, uploaded_by=kjt_user,
                                 file=File(pdf, name=REPLY_135_PDF.name), original_name=REPLY_135_PDF.name,
                                 doc_number="吉科发办〔2022〕108号", reply_date=date(2022, 7, 6))
        # parsed here rather than by the worker, so that the office reviews its rows before releasing it
        reply = reply_parse(reply_id=reply.pk)
        reply = reply_submit(reply=reply, by=kjt_user)
        _review_135(reply, by=staff)
        reply_release(reply=reply, by=staff)
        feedback_record(reply=reply, member=members["李秀玉"], rating=Feedback.Rating.SATISFIED, by=staff,
                        handling_rating=Feedback.Rating.SATISFIED, outcome_rating=Feedback.Rating.SATISFIED)
        _backdate(p135, replied_on=date(2022, 7, 6), released_on=date(2022, 7, 8), rated_on=date(2022, 8, 2))

    # 2022 proposals, long past their deadlines: some answered, some overdue, one refused, one merged.
    p136, created = _proposal(s2022, 136, "关于加强职业教育产教融合的建议", Proposal.Category.SCIENCE_EDUCATION_CULTURE_HEALTH,
                              [members["王丽娟"], members["李秀玉"]], submitted_on=date(2022, 1, 17))
    if created:
        _assigned(p136, [jyt, rst], date(2022, 4, 1))
        _backdate(p136)
    p137, created = _proposal(s2022, 137, "关于设立省级科技成果转化基金的建议", Proposal.Category.ECONOMY,
                              [members["张建华"]], submitted_on=date(2022, 1, 17))
    if created:
        services.proposal_merge(proposal=p137, into=p135)
    p138, created = _proposal(s2022, 138, "关于调整个人所得税起征点的建议", Proposal.Category.ECONOMY,
                              [members["赵国庆"]], submitted_on=date(2022, 1, 18))
    if created:
        services.proposal_refuse(proposal=p138, reason="属国家事权，不属于本省政协提案办理范围。")
    p139, created = _proposal(s2022, 139, "关于推进黑土地保护性耕作的建议", Proposal.Category.AGRICULTURE,
                              [members["刘志强"]], submitted_on=date(2022, 1, 18), is_key=True)
    if created:
        _assigned(p139, [nync, sthj], date(2022, 4, 1))
        lead = p139.assignments.get(role=Assignment.Role.LEAD)
        services.assignment_sign(assignment=lead, on=date(2022, 4, 8))
        co = p139.assignments.get(role=Assignment.Role.CO)
        services.co_opinion_send(assignment=co, text="建议将保护性耕作与黑土地保护补助统筹安排。", by=staff)
        reply = reply_create(assignment=lead, uploaded_by=None, doc_number="吉农函〔2022〕56号",
                             reply_date=date(2022, 6, 28), category=Reply.Category.B)
        reply_signoff(reply=reply, assignment=co, by=staff)
        reply = reply_submit(reply=reply, by=staff)
        reply_release(reply=reply, by=staff)
        feedback_record(reply=reply, member=members["刘志强"], rating=Feedback.Rating.UNSATISFIED, by=staff,
                        comment="保护性耕作补贴标准未答复。")
        _backdate(p139, opinion_on=date(2022, 5, 10), replied_on=date(2022, 6, 28), released_on=date(2022, 6, 30),
                  rated_on=date(2022, 7, 20))
    p140, created = _proposal(s2022, 140, "关于支持民营企业参与科技创新的建议", Proposal.Category.ECONOMY,
                              [members["民盟吉林省委"]], submitted_on=date(2022, 1, 19))
    if created:
        _assigned(p140, [kjt], date(2022, 4, 1))
        _backdate(p140)

    p141, created = _proposal(s2022, 141, "关于完善科技金融服务体系的建议", Proposal.Category.ECONOMY,
                              [members["张建华"]], submitted_on=date(2022, 1, 19))
    if created:
        _earlier_kjt_reply(p141, kjt=kjt, staff=staff)

    # The current session: deadlines around today.
    plan = [
        (1, "关于完善基层医疗卫生服务体系的建议", Proposal.Category.SCIENCE_EDUCATION_CULTURE_HEALTH, ["陈晓梅"], [sthj], 120),
        (2, "关于加快新能源汽车产业链建设的建议", Proposal.Category.ECONOMY, ["张建华", "李秀玉"], [kjt, czt], 100),
        (3, "关于提升高校毕业生就业质量的建议", Proposal.Category.SCIENCE_EDUCATION_CULTURE_HEALTH, ["王丽娟"], [rst, jyt], 85),
        (4, "关于加强科研诚信建设的建议", Proposal.Category.SCIENCE_EDUCATION_CULTURE_HEALTH, ["李秀玉"], [kjt], 30),
        (5, "关于推进秸秆综合利用的建议", Proposal.Category.AGRICULTURE, ["刘志强"], [nync], 10),
        (6, "关于健全养老服务体系的建议", Proposal.Category.SOCIETY_LAW, ["赵国庆"], [rst], None),
        (7, "关于加强中小学生心理健康教育的建议", Proposal.Category.SCIENCE_EDUCATION_CULTURE_HEALTH, ["王丽娟", "陈晓梅"],
         [jyt], 95),
        (8, "关于优化营商环境的建议", Proposal.Category.ECONOMY, ["民盟吉林省委"], [czt], 60),
    ]
    for number, title, category, proposers, handlers, days_ago in plan:
        proposal, created = _proposal(current, number, title, category, [members[n] for n in proposers],
                                      submitted_on=current.opened_on, is_key=number == 2)
        if created and days_ago is not None:
            _assigned(proposal, handlers, today - timedelta(days=days_ago))
            _backdate(proposal)
            if number in WORK_IN_PROGRESS:
                WORK_IN_PROGRESS[number](proposal.assignments.get(role=Assignment.Role.LEAD), staff=staff,
                                         today=today)
    for number in (9, 10):
        _proposal(current, number, f"关于加强{'冰雪旅游' if number == 9 else '数字乡村'}发展的建议",
                  Proposal.Category.ECONOMY, [members["张建华"]], submitted_on=today - timedelta(days=3),
                  made_at=Proposal.MadeAt.INTERIM)
    from proposals.selectors import dashboard_invalidate

    _npc_suggestions(npc, departments, members, today=today)
    dashboard_invalidate()  # the backdating above writes with update(), which sends no signal
    _online_proposals(current, today=today)
    return accounts


def _npc_suggestions(npc, departments, members, *, today) -> None:
    """吉林省人大常委会's suggestions (建议) by its deputies, handled by the same departments as the 政协's proposals: last
    year's 第165号 answered with a real reply, rated and closed; this year's in every state of their handling."""
    from replies.models import Feedback
    from replies.services import (
        feedback_record,
        reply_create,
        reply_parse,
        reply_release,
        reply_rows_settle,
        reply_submit,
    )

    rdstaff = User.objects.get(username="rdstaff")
    kjt, jyt, czt = departments["省科技厅"], departments["省教育厅"], departments["省财政厅"]
    rst, nync = departments["省人社厅"], departments["省农业农村厅"]
    s2025, _ = Session.objects.get_or_create(
        committee=npc, name="十四届三次会议",
        defaults=dict(year=2025, opened_on=date(2025, 1, 14), plenary_months=3, interim_months=3,
                      hard_cap_months=6, co_opinion_months=1))
    current, _ = Session.objects.get_or_create(
        committee=npc, name="十四届四次会议",
        defaults=dict(year=today.year, opened_on=today - timedelta(days=200), plenary_months=3, interim_months=3,
                      hard_cap_months=6, co_opinion_months=1))

    s165, created = _proposal(s2025, 165, "关于将通榆县列为创建吉林省现代畜牧业重点县加快乡村振兴步伐的建议",
                              Proposal.Category.AGRICULTURE, [members["孙立国"]], submitted_on=date(2025, 1, 15))
    if created:
        _assigned(s165, [nync], date(2025, 3, 5))
        lead = s165.assignments.get(role=Assignment.Role.LEAD)
        services.assignment_sign(assignment=lead, on=date(2025, 3, 10))
        with NPC_REPLY_165_PDF.open("rb") as pdf:  # sent by the department, uploaded by the office
            reply = reply_create(assignment=lead, uploaded_by=rdstaff, file=File(pdf, name=NPC_REPLY_165_PDF.name),
                                 original_name=NPC_REPLY_165_PDF.name, doc_number="吉农函〔2025〕37号",
                                 reply_date=date(2025, 5, 20))
        reply = reply_parse(reply_id=reply.pk)
        reply = reply_submit(reply=reply, by=rdstaff)
        reply_rows_settle(reply=reply, by=rdstaff, accept=True)
        reply_release(reply=reply, by=rdstaff)
        feedback_record(reply=reply, member=members["孙立国"], rating=Feedback.Rating.SATISFIED, by=rdstaff,
                        handling_rating=Feedback.Rating.SATISFIED, outcome_rating=Feedback.Rating.BASICALLY_SATISFIED)
        s165.refresh_from_db()
        services.proposal_close(proposal=s165, by=rdstaff)
        _backdate(s165, replied_on=date(2025, 5, 20), released_on=date(2025, 5, 23), rated_on=date(2025, 6, 12))

    plan = [  # number, title, category, deputies, departments, assigned days ago, signed days after
        (1, "关于加强农村义务教育学校寄宿制建设的建议", Proposal.Category.SCIENCE_EDUCATION_CULTURE_HEALTH, ["韩雪梅"],
         [jyt], 120, 3),
        (2, "关于支持长春建设科技成果转化中试基地的建议", Proposal.Category.ECONOMY, ["韩雪梅", "郑宏伟"], [kjt], 4, None),
        (3, "关于加大对中小科技企业研发投入支持的建议", Proposal.Category.ECONOMY, ["郑宏伟"], [kjt, czt], 45, 2),
        (4, "关于提高城乡居民基础养老金标准的建议", Proposal.Category.SOCIETY_LAW, ["周海涛"], [rst], 115, 6),
        (5, "关于加强长白山区域生态保护的建议", Proposal.Category.ECOLOGY, ["金顺姬"], [], None, None),
    ]
    for number, title, category, deputies, handlers, days_ago, signed_after in plan:
        suggestion, created = _proposal(current, number, title, category, [members[n] for n in deputies],
                                        submitted_on=current.opened_on)
        if not created:
            continue
        if days_ago is None:
            services.proposal_register(proposal=suggestion)
            continue
        assigned_on = today - timedelta(days=days_ago)
        _assigned(suggestion, handlers, assigned_on)
        lead = suggestion.assignments.get(role=Assignment.Role.LEAD)
        if signed_after is not None:
            services.assignment_sign(assignment=lead, on=assigned_on + timedelta(days=signed_after))
        _backdate(suggestion)
    # 第1号: a paper reply from 省教育厅, released ten days ago, waiting for the deputy's rating
    first = current.proposals.get(number=1)
    if first.status == Proposal.Status.ASSIGNED:
        lead = first.assignments.get(role=Assignment.Role.LEAD)
        reply = reply_create(assignment=lead, uploaded_by=rdstaff, doc_number=f"吉教函〔{today.year}〕86号",
                             reply_date=today - timedelta(days=20), category="A")
        reply_release(reply=reply, by=rdstaff)
        _backdate(first, replied_on=today - timedelta(days=20), released_on=today - timedelta(days=10))
    # made between sessions (闭会期间): one assigned to 省科技厅 and signed for, one just received
    interim, created = _proposal(current, 6, "关于推进冰雪装备制造产业发展的建议", Proposal.Category.ECONOMY,
                                 [members["金顺姬"]], submitted_on=today - timedelta(days=35),
                                 made_at=Proposal.MadeAt.INTERIM)
    if created:
        _assigned(interim, [kjt], today - timedelta(days=25))
        services.assignment_sign(assignment=interim.assignments.get(), on=today - timedelta(days=22))
        _backdate(interim)
    _proposal(current, 7, "关于加强农村饮用水安全保障的建议", Proposal.Category.AGRICULTURE, [members["孙立国"]],
              submitted_on=today - timedelta(days=2), made_at=Proposal.MadeAt.INTERIM)


ONLINE_TITLE = "关于建设长春国家级科技企业孵化示范基地的建议"
DRAFT_TITLE = "关于扩大县域医共体覆盖范围的建议"


def _online_proposals(session, *, today) -> None:
    """李秀玉 submitted a proposal online with 陈晓梅 as co-signer (waiting in the office's inbox for 立案), and
    陈晓梅 is writing one she has invited 李秀玉 to co-sign."""
    from django.core.files.base import ContentFile

    from proposals import submission
    from proposals.models import ProposalDraft

    if ProposalDraft.objects.filter(title__in=[ONLINE_TITLE, DRAFT_TITLE]).exists():
        return
    li, chen = User.objects.get(username="lixiuyu"), User.objects.get(username="chenxiaomei")
    notes = ContentFile("长春市现有科技企业孵化器 42 家，在孵企业 1 800 余家。".encode(), name="孵化器调研数据.txt")
    draft = submission.draft_save(by=li, session=session, title=ONLINE_TITLE, category=Proposal.Category.ECONOMY,
                                  body="建议省政府支持长春建设国家级科技企业孵化示范基地，完善投融资服务。",
                                  attachments=[notes])
    invitation = submission.cosigner_invite(draft=draft, member=chen.member, by=li)
    submission.cosigner_answer(cosigner=invitation, by=chen, confirm=True)
    submission.draft_submit(draft=draft, by=li, on=today)
    own = submission.draft_save(by=chen, session=session, title=DRAFT_TITLE,
                                category=Proposal.Category.SCIENCE_EDUCATION_CULTURE_HEALTH,
                                body="建议将县域医共体覆盖到全部乡镇卫生院和村卫生室。")
    submission.cosigner_invite(draft=own, member=li.member, by=chen)
