"""python manage.py generate_demo --proposals 100000: a large, realistic, synthetic tracker for the benchmark.

At 100 000 proposals: 8 committees (the 政协 and the 人大 of the province and of three cities) with 40 sessions, 300
departments of those four places, 5 000 members (委员 and 代表), 150 000 assignments,
120 000 parsed replies with their text, 2 000 000 indicator rows and 300 000 commitment rows whose spans lie
inside the text. The counts scale with --proposals, so `--proposals 2000` is a quick run. The same --seed and
--today give the same rows. On PostgreSQL the large tables are written with COPY; elsewhere with plain INSERTs,
which is slow, so SQLite is refused above 20 000 proposals.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from indicators.models import Commitment, Indicator
from proposals.deadlines import compute_deadlines
from proposals.models import (
    Assignment,
    AssignmentEvent,
    Committee,
    Department,
    DepartmentContact,
    Member,
    Proposal,
    Proposer,
    Region,
    Session,
    User,
)
from proposals.textsearch import indexed_words
from replies.models import Feedback, Reply

# Rows per proposal; sessions, departments and members are set apart (see add_arguments).
PER_PROPOSAL = {"assignments": 1.5, "replies": 1.2, "indicators": 20, "commitments": 3}
SQLITE_LIMIT = 20_000
CHUNK = 2_000  # replies per COPY round: their indicators and commitments follow them
PAGE_CHARS = 470  # characters of reply text per PDF page, as in the real reply 吉科发办〔2022〕108号
LONG_REPLY_PAGES = 40
PASSWORD = "demo-2026"

# (place, short place, document-number prefix): the province first; its departments answer both its committees
PLACES = [("吉林省", "省", "吉"), ("长春市", "长春市", "长"), ("吉林市", "吉林市", "吉市"), ("四平市", "四平市", "四")]
# name, short name, body, place (index in PLACES), login of its office account, (term first year, term number),
# handling rule (plenary, interim, hard cap, co-handling opinion months); a 政协 and a 人大 of each place in turn, so
# that a small --sessions still has both kinds
COMMITTEES = [
    ("吉林省政协", "省政协", Committee.Body.CPPCC, 0, "staff", (2023, 13), (3, 3, 6, 1)),
    ("吉林省人大常委会", "省人大", Committee.Body.NPC, 0, "staff-jl-rd", (2023, 14), (3, 3, 6, 1)),
    ("长春市政协", "长春市政协", Committee.Body.CPPCC, 1, "staff-cc-zx", (2022, 15), (3, 3, 6, 1)),
    ("长春市人大常委会", "长春市人大", Committee.Body.NPC, 1, "staff-cc-rd", (2022, 16), (3, 3, 6, 1)),
    ("吉林市政协", "吉林市政协", Committee.Body.CPPCC, 2, "staff-jlc-zx", (2022, 15), (3, 2, 6, 1)),
    ("吉林市人大常委会", "吉林市人大", Committee.Body.NPC, 2, "staff-jlc-rd", (2022, 17), (3, 3, 6, 1)),
    ("四平市政协", "四平市政协", Committee.Body.CPPCC, 3, "staff-sp-zx", (2022, 9), (3, 3, 5, 1)),
    ("四平市人大常委会", "四平市人大", Committee.Body.NPC, 3, "staff-sp-rd", (2022, 9), (2, 2, 4, 1)),
]

# provincial name, short name, document-number abbreviation; a city's bureau is the same with 局 for 厅
BUREAUS = [
    ("科学技术厅", "科技厅", "科"), ("教育厅", "教育厅", "教"), ("财政厅", "财政厅", "财"),
    ("人力资源和社会保障厅", "人社厅", "人社"), ("生态环境厅", "生态环境厅", "环"), ("农业农村厅", "农业农村厅", "农"),
    ("发展和改革委员会", "发改委", "发改"), ("工业和信息化厅", "工信厅", "工信"), ("公安厅", "公安厅", "公"),
    ("民政厅", "民政厅", "民"), ("司法厅", "司法厅", "司"), ("自然资源厅", "自然资源厅", "自然资"),
    ("住房和城乡建设厅", "住建厅", "建"), ("交通运输厅", "交通运输厅", "交"), ("水利厅", "水利厅", "水"),
    ("商务厅", "商务厅", "商"), ("文化和旅游厅", "文旅厅", "文旅"), ("卫生健康委员会", "卫健委", "卫健"),
    ("退役军人事务厅", "退役军人厅", "退役"), ("应急管理厅", "应急厅", "应急"), ("审计厅", "审计厅", "审"),
    ("市场监督管理厅", "市场监管厅", "市监"), ("广播电视局", "广电局", "广电"), ("体育局", "体育局", "体"),
    ("统计局", "统计局", "统"), ("医疗保障局", "医保局", "医保"), ("林业和草原局", "林草局", "林"),
    ("粮食和物资储备局", "粮食局", "粮"), ("能源局", "能源局", "能源"), ("药品监督管理局", "药监局", "药监"),
    ("知识产权局", "知识产权局", "知"), ("地方金融管理局", "金融局", "金"), ("政务服务和数字化建设管理局", "政数局", "政数"),
    ("乡村振兴局", "乡村振兴局", "乡振"), ("畜牧业管理局", "畜牧局", "牧"), ("国有资产监督管理委员会", "国资委", "国资"),
    ("民族宗教事务委员会", "民宗委", "民宗"), ("外事办公室", "外办", "外"), ("人民防空办公室", "人防办", "人防"),
    ("机关事务管理局", "机关事务局", "机管"), ("信访局", "信访局", "信"), ("气象局", "气象局", "气"),
    ("税务局", "税务局", "税"), ("通信管理局", "通信管理局", "通信"), ("邮政管理局", "邮政管理局", "邮"),
    ("消防救援支队", "消防支队", "消"), ("残疾人联合会", "残联", "残联"), ("总工会", "总工会", "工"),
    ("妇女联合会", "妇联", "妇"), ("科学技术协会", "科协", "科协"), ("供销合作社联合社", "供销社", "供销"),
    ("地方志编纂委员会办公室", "地方志办", "志"), ("住房公积金管理中心", "公积金中心", "公积金"),
    ("城市管理行政执法局", "城管局", "城管"), ("大数据中心", "大数据中心", "数据"),
]

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
            "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段")
GIVEN = ("秀玉建华丽娟志强晓梅国庆海涛文博立新春燕德明玉兰振宇红梅伟东淑芬永刚佳怡子轩思远浩然雅琴树林凤霞"
         "宏伟俊杰晓东桂英雪松明辉丹丹志刚翠萍广军亚楠鹏飞美玲长青金凤学文")
SECTORS = ["中国共产党", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟", "无党派人士",
           "共青团", "工会", "妇联", "科协", "经济界", "农业界", "教育界", "科学技术界", "文化艺术界",
           "医药卫生界", "体育界", "新闻出版界", "社会科学界", "社会福利和社会保障界", "少数民族界", "宗教界"]
PARTIES = ["民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟"]
WORK_BODIES = ["提案委员会", "经济委员会", "农业和农村委员会", "人口资源环境委员会", "教科卫体委员会",
               "社会和法制委员会", "文化文史和学习委员会"]

# (category, weight, topics); agriculture is one tenth, so filtering on it gives about 10 000 rows at full scale
CATEGORIES = [
    ("economy", 22, ["高新技术产业发展", "民营经济高质量发展", "营商环境", "数字经济发展", "汽车产业链供应链",
                     "中小企业融资", "招商引资", "现代物流体系建设", "冰雪经济发展", "文旅消费", "开发区转型升级",
                     "外贸企业稳订单", "新能源产业", "县域经济发展", "专精特新企业培育", "科技金融服务"]),
    ("science", 22, ["职业教育产教融合", "义务教育优质均衡发展", "基层医疗卫生服务", "科技成果转化", "中医药传承创新",
                     "公共文化服务体系建设", "高校毕业生就业", "青少年心理健康教育", "全民健身设施建设", "老年教育",
                     "科研人员减负", "县域医共体建设", "乡村教师队伍建设", "公共图书馆服务"]),
    ("society", 16, ["社区居家养老服务", "未成年人保护", "法治政府建设", "食品安全监管", "社会救助体系",
                     "普惠托育服务", "农民工权益保障", "矛盾纠纷多元化解", "无障碍环境建设", "电信网络诈骗防范"]),
    ("agriculture", 10, ["黑土地保护性耕作", "高标准农田建设", "玉米产业高质量发展", "肉牛产业发展", "农村集体经济",
                         "乡村人才振兴", "农产品冷链物流", "智慧农业", "农村人居环境整治", "种业振兴"]),
    ("ecology", 10, ["秸秆综合利用", "松花江流域生态保护", "大气污染联防联控", "湿地保护修复", "黑臭水体治理",
                     "碳达峰碳中和", "林下经济", "生活垃圾分类", "东北虎豹国家公园建设"]),
    ("urban", 14, ["老旧小区改造", "城市停车难问题", "城市更新", "农村公路养护", "智慧城市建设", "城市地下管网改造",
                   "公共交通优先发展", "保障性租赁住房", "历史文化街区保护"]),
    ("other", 6, ["政务服务“一网通办”", "统计数据质量", "档案数字化", "民族团结进步创建", "对口合作",
                  "政协委员履职服务"]),
]
TITLE_VERBS = ["加快", "推进", "加强", "完善", "支持", "促进", "优化", "进一步做好", "破解", "提升", "推动", "做好"]

# metric, unit, base unit, factor to the base unit, low, high, decimals
METRICS = {
    "economy": [("高新技术企业", "户", "户", 1, 200, 6000, 0), ("技术合同成交额", "亿元", "元", 10**8, 10, 900, 2),
                ("知识产权质押融资额", "亿元", "元", 10**8, 1, 80, 2), ("专项资金", "万元", "元", 10**4, 100, 90000, 1),
                ("贷款余额", "亿元", "元", 10**8, 20, 2000, 2), ("减税降费", "亿元", "元", 10**8, 1, 300, 1)],
    "science": [("研发经费投入", "亿元", "元", 10**8, 5, 400, 1), ("新建公办幼儿园", "所", "所", 1, 5, 300, 0),
                ("培训教师", "万人次", "人次", 10**4, 0.2, 30, 1), ("医疗卫生机构床位", "张", "张", 1, 300, 20000, 0),
                ("科技人员", "万人", "人", 10**4, 0.5, 20, 2), ("有效发明专利", "件", "件", 1, 500, 30000, 0)],
    "society": [("养老服务床位", "张", "张", 1, 500, 40000, 0), ("社区养老服务设施", "个", "个", 1, 20, 2500, 0),
                ("救助资金", "万元", "元", 10**4, 100, 60000, 1), ("法律援助案件", "件", "件", 1, 100, 30000, 0),
                ("普惠托位", "个", "个", 1, 100, 20000, 0)],
    "agriculture": [("保护性耕作面积", "万亩", "亩", 10**4, 50, 3500, 0), ("高标准农田", "万亩", "亩", 10**4, 20, 800, 0),
                    ("粮食产量", "亿斤", "斤", 10**8, 100, 900, 1), ("肉牛饲养量", "万头", "头", 10**4, 10, 700, 1),
                    ("农业补贴资金", "亿元", "元", 10**8, 1, 60, 2)],
    "ecology": [("秸秆综合利用率", "%", "%", 1, 70, 99, 1), ("空气质量优良天数比例", "%", "%", 1, 75, 98, 1),
                ("治理水土流失面积", "平方公里", "平方公里", 1, 50, 3000, 0), ("造林面积", "万亩", "亩", 10**4, 5, 200, 1),
                ("污水处理能力", "万吨/日", "吨/日", 10**4, 1, 300, 1)],
    "urban": [("改造老旧小区", "个", "个", 1, 10, 900, 0), ("新增停车泊位", "个", "个", 1, 500, 50000, 0),
              ("农村公路", "公里", "公里", 1, 50, 5000, 0), ("改造地下管网", "公里", "公里", 1, 10, 1500, 0),
              ("保障性租赁住房", "套", "套", 1, 200, 30000, 0)],
    "other": [("政务服务事项", "项", "项", 1, 100, 3000, 0), ("网办率", "%", "%", 1, 60, 99, 1),
              ("数字化档案", "万卷", "卷", 10**4, 1, 200, 1)],
}
GENERIC_METRICS = [("投入资金", "亿元", "元", 10**8, 1, 120, 2), ("支持项目", "个", "个", 1, 10, 900, 0),
                   ("培训", "万人次", "人次", 10**4, 0.1, 20, 1)]
GROWTH = ("同比增长", "%", "%", 1, 1, 35, 1)
FILLERS = [
    "我们高度重视，将办理工作列入重点工作安排，明确分管领导和责任处室，认真研究办理。",
    "在办理过程中，我们多次与您沟通，听取意见建议，并会同有关部门深入基层开展调研。",
    "您的建议对于推动相关工作具有重要意义，我们在制定年度工作计划时予以充分吸收。",
    "近年来，我们坚持问题导向，聚焦群众关心关切的热点难点问题，持续完善政策措施。",
    "同时，加强部门协同和上下联动，形成工作合力，确保各项政策措施落地见效。",
    "我们积极争取国家政策和资金支持，推动相关工作取得阶段性成效。",
    "针对工作中存在的短板弱项，我们进行了认真梳理，逐项研究解决办法。",
    "通过召开现场推进会、组织专题培训等方式，及时总结推广各地典型经验做法。",
    "建立健全工作台账，实行清单化管理、项目化推进，定期调度工作进展情况。",
    "加大宣传力度，通过报纸、电视、网站和新媒体等多种渠道解读政策，营造良好氛围。",
]
ACTIONS = ["进一步加大政策支持力度", "积极争取国家专项资金支持", "会同有关部门研究制定具体实施方案",
           "持续优化服务流程", "加强督促检查，确保各项措施落地见效", "把您的建议纳入“十五五”规划统筹考虑",
           "建立健全长效工作机制", "组织开展专题调研", "推动出台配套政策措施", "扩大试点范围并总结推广经验"]
RETURN_REASONS = ["该提案所提事项不属于我单位职责范围，建议交由相关部门办理。", "经研究，该提案主要涉及其他部门职责。"]
NPC_PARTIES = ["中共", "中共", "中共", "无党派", "民盟", "民建", "九三学社"]
NPC_REFUSE_REASONS = ["所提事项属国家事权，不属于本级人大代表建议办理范围，转有关方面参考。",
                      "内容属于个人诉求，不作为代表建议处理，转信访渠道办理。"]
REFUSE_REASONS = ["所提事项属国家事权，不属于政协提案办理范围。", "内容属于个人诉求，建议通过信访渠道反映。",
                  "一事多议，内容不够具体，不予立案。"]
CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals: 12 → 十二, 20 → 二十."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN_DIGITS[tens]) + "十" if tens else "") + (CN_DIGITS[ones] if ones else "")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Scale:
    proposals: int
    sessions: int
    departments: int
    members: int
    assignments: int
    replies: int
    indicators: int
    commitments: int

    @classmethod
    def for_proposals(cls, proposals: int, *, sessions: int, departments: int) -> Scale:
        return cls(proposals=proposals, sessions=sessions, departments=departments, members=max(60, proposals // 20),
                   **{key: round(proposals * ratio) for key, ratio in PER_PROPOSAL.items()})


class Table:
    """Rows of one model in a fixed column order; the columns not given get their field's default."""

    def __init__(self, model, columns: list[str]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise CommandError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
        rest = [f for name, f in fields.items() if name not in columns]
        self.model, self.fields = model, [fields[name] for name in columns] + rest
        self.tail = tuple(self._default(f) for f in rest)
        self.json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]

    @staticmethod
    def _default(field):
        if field.has_default():
            return field.get_default()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return timezone.now()
        return "" if field.empty_strings_allowed and not field.null else None


class Writer:
    """COPY on PostgreSQL; plain INSERTs (executemany) elsewhere or with --no-copy."""

    def __init__(self, *, use_copy: bool):
        self.use_copy = use_copy
        self.counts: dict[str, int] = {}

    def write(self, table: Table, rows: list[tuple]) -> None:
        if not rows:
            return
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in table.fields)
        db_table = quote(table.model._meta.db_table)
        self.counts[table.model.__name__] = self.counts.get(table.model.__name__, 0) + len(rows)
        with connection.cursor() as cursor:
            if self.use_copy:
                with cursor.cursor.copy(f"COPY {db_table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        row = row + table.tail
                        if table.json:
                            row = list(row)
                            for i in table.json:
                                row[i] = json.dumps(row[i], ensure_ascii=False)
                        copy.write_row(row)
                return
            placeholders = ", ".join(["%s"] * len(table.fields))
            sql = f"INSERT INTO {db_table} ({names}) VALUES ({placeholders})"
            for start in range(0, len(rows), 500):
                cursor.executemany(sql, [[f.get_db_prep_save(v, connection) for f, v in zip(table.fields, row + table.tail,
                                                                                           strict=True)]
                                         for row in rows[start:start + 500]])


@dataclass
class PlannedProposal:
    id: int
    session: Session
    committee: int
    number: int
    title: str
    category: str
    made_at: str
    submitted_on: date
    status: str = Proposal.Status.SUBMITTED
    assigned_on: date | None = None
    members: list = field(default_factory=list)
    merged_into: int | None = None
    reason: str = ""
    is_key: bool = False


@dataclass
class PlannedReply:
    assignment_id: int
    department: Department
    proposal: PlannedProposal
    version: int
    reply_date: date
    released_on: date | None = None
    feedback: tuple | None = None  # (rating, date)
    mandatory: bool = True
    pages: int = 0
    long: bool = False


class DemoGenerator:
    def __init__(self, *, scale: Scale, seed: int, today: date, writer: Writer, log):
        self.scale, self.today, self.writer, self.log = scale, today, writer, log
        self.rng = random.Random(seed)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.ids = {}

    # -- helpers ---------------------------------------------------------------------------------------------------

    def at(self, day: date, hour: int | None = None) -> datetime:
        rng = self.rng
        return datetime.combine(day, clock(hour if hour is not None else rng.randint(8, 17), rng.randint(0, 59)),
                                tzinfo=self.tz)

    def day_between(self, first: date, last: date) -> date:
        return first if last <= first else first + timedelta(days=self.rng.randint(0, (last - first).days))

    def next_id(self, model) -> int:
        if model not in self.ids:
            self.ids[model] = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        value = self.ids[model]
        self.ids[model] += 1
        return value

    def person_name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    # -- small tables, through the ORM ------------------------------------------------------------------------------

    def make_committees(self):
        s = self.scale
        count = min(len(COMMITTEES), s.sessions)
        current_year = self.today.year if self.today >= date(self.today.year, 3, 1) else self.today.year - 1
        used = sorted({place for _, _, _, place, *_ in COMMITTEES[:count]})
        province = Region.objects.create(name=PLACES[0][0], level=Region.Level.PROVINCE)
        self.regions = [province] + [Region.objects.create(name=PLACES[place][0], level=Region.Level.CITY,
                                                           parent=province) for place in used[1:]]
        committees = Committee.objects.bulk_create(
            Committee(name=name, short_name=short, body=body, region=self.regions[used.index(place)])
            for name, short, body, place, *_ in COMMITTEES[:count])
        sessions = []
        for index in range(s.sessions):
            c = index % count
            *_, (first_year, term), (plenary, interim, cap, co) = COMMITTEES[c]
            year = current_year - index // count
            term_no, nth = term + (year - first_year) // 5, (year - first_year) % 5 + 1
            sessions.append(Session(committee=committees[c], name=f"{cn_number(term_no)}届{cn_number(nth)}次会议",
                                    year=year, opened_on=date(year, 1, 8 + 3 * c), plenary_months=plenary,
                                    interim_months=interim, hard_cap_months=cap, co_opinion_months=co))
        # oldest first, as they happen: ids then follow the calendar
        sessions.sort(key=lambda session: (session.opened_on, session.committee.pk))
        self.sessions = Session.objects.bulk_create(sessions)
        self.committee_index = {committee.pk: c for c, committee in enumerate(committees)}
        self.committees = committees
        # each committee's place, as an index into self.regions
        self.place_of = [used.index(place) for _, _, _, place, *_ in COMMITTEES[:count]]
        self.region_places = used  # each region's index into PLACES
        self.current_year = current_year

    def make_departments(self):
        """The departments of each place, in turn: they answer every committee of their place."""
        count = len(self.regions)
        names, rows = set(), []
        for index in range(self.scale.departments):
            r, position = index % count, index // count
            place, short_place, prefix = PLACES[self.region_places[r]]
            full, short, abbreviation = BUREAUS[position % len(BUREAUS)]
            if r:
                full, short = full.removesuffix("厅") + ("局" if full.endswith("厅") else ""), \
                    short.removesuffix("厅") + ("局" if short.endswith("厅") else "")
            suffix = "" if position < len(BUREAUS) else f"第{cn_number(position // len(BUREAUS) + 1)}分局"
            name = f"{place}{full}{suffix}"
            assert name not in names, name
            names.add(name)
            rows.append((r, Department(name=name, short_name=f"{short_place}{short}{suffix}"[:50],
                                       region=self.regions[r],
                                       doc_prefixes=[f"{prefix}{abbreviation}发", f"{prefix}{abbreviation}函"])))
        created = Department.objects.bulk_create(d for _, d in rows)
        self.departments_by_region = [[] for _ in self.regions]
        for (r, _), department in zip(rows, created, strict=True):
            self.departments_by_region[r].append(department)
        self.departments = created
        DepartmentContact.objects.bulk_create(
            DepartmentContact(department=d, name=self.person_name(), phone=f"0431-8{self.rng.randint(0, 9999999):07d}")
            for d in created)

    def make_users(self):
        """An office account for each committee (`staff` for 省政协), an all-committee supervisor, and a login for
        each department."""
        password = make_password(PASSWORD, salt="generatedemo")
        offices = [(User(username=login, first_name=f"{short}办公室", role=User.Role.STAFF, is_staff=True,
                         password=password), committee)
                   for committee, (_, short, _, _, login, *_) in zip(self.committees, COMMITTEES, strict=False)]
        offices[0][0].first_name = "提案办 张干事"
        wanted = [user for user, _ in offices]
        wanted += [User(username="supervisor", first_name="督办处 李处长", role=User.Role.SUPERVISOR, is_staff=True,
                        all_committees=True, password=password)]
        wanted += [User(username=f"dept{i + 1:03d}", first_name=d.short_name, role=User.Role.DEPARTMENT,
                        department=d, password=password) for i, d in enumerate(self.departments)]
        taken = set(User.objects.filter(username__in=[u.username for u in wanted]).values_list("username", flat=True))
        User.objects.bulk_create(u for u in wanted if u.username not in taken)
        ids = dict(User.objects.filter(username__in=[u.username for u, _ in offices]).values_list("username", "pk"))
        User.committees.through.objects.bulk_create(
            (User.committees.through(user_id=ids[u.username], committee_id=committee.pk) for u, committee in offices
             if u.username not in taken), ignore_conflicts=True)
        self.staff = User.objects.get(username="staff")
        self.uploader = dict(User.objects.filter(department__in=self.departments).values_list("department_id", "pk"))

    def make_members(self):
        """委员 and the collective proposers (parties, 专委会) of each 政协; 代表 of each 人大, who alone make its 建议."""
        rng, count = self.rng, len(self.committees)
        members = []
        for c, committee in enumerate(self.committees):
            if committee.is_npc:
                continue
            place = PLACES[COMMITTEES[c][3]][1]
            members += [(c, Member(name=f"{party}{place}委", kind=Member.Kind.PARTY, party=party, committee=committee))
                        for party in PARTIES]
            members += [(c, Member(name=f"{place}政协{body}", kind=Member.Kind.COMMITTEE, committee=committee))
                        for body in WORK_BODIES]
        for index in range(self.scale.members):
            c = index % count
            committee = self.committees[c]
            if committee.is_npc:
                member = Member(name=self.person_name(), kind=Member.Kind.PERSON, party=rng.choice(NPC_PARTIES),
                                committee=committee)
            else:
                sector = rng.choice(SECTORS)
                member = Member(name=self.person_name(), kind=Member.Kind.PERSON, sector=sector,
                                party=sector if sector in PARTIES else "", committee=committee)
            member.phone = f"13{rng.randint(0, 999999999):09d}"
            members.append((c, member))
        created = Member.objects.bulk_create(m for _, m in members)
        self.persons_by_committee = [[] for _ in self.committees]
        self.bodies_by_committee = [[] for _ in self.committees]
        for (c, _), member in zip(members, created, strict=True):
            (self.persons_by_committee if member.kind == Member.Kind.PERSON else self.bodies_by_committee)[c].append(
                member)

    # -- proposals and assignments ----------------------------------------------------------------------------------

    def title(self, category_topics, place_word: str, *, npc: bool) -> str:
        """A 政协 proposal's title ends in 建议 or 提案; a 人大 suggestion's in 建议."""
        rng = self.rng
        topic = rng.choice(category_topics)
        where = place_word if rng.random() < 0.3 else ""
        return f"关于{rng.choice(TITLE_VERBS)}{where}{topic}的{'建议' if rng.random() < 0.85 or npc else '提案'}"

    def plan_proposals(self) -> list[PlannedProposal]:
        rng, s, today = self.rng, self.scale, self.today
        weights = [w for _, w, _ in CATEGORIES]
        per_session, extra = divmod(s.proposals, s.sessions)
        planned = []
        for index, session in enumerate(self.sessions):
            c = self.committee_index[session.committee_id]
            place_word = "我省" if self.place_of[c] == 0 else "我市"
            npc = self.committees[c].is_npc
            persons, bodies = self.persons_by_committee[c], self.bodies_by_committee[c]
            refuse_reasons = NPC_REFUSE_REASONS if npc else REFUSE_REASONS
            current = session.year == self.current_year
            for j in range(per_session + (index < extra)):
                category, _, topics = rng.choices(CATEGORIES, weights)[0]
                made_at = Proposal.MadeAt.PLENARY if rng.random() < 0.85 else Proposal.MadeAt.INTERIM
                if made_at == Proposal.MadeAt.PLENARY:
                    submitted_on = session.opened_on + timedelta(days=rng.randint(0, 4))
                else:
                    submitted_on = self.day_between(session.opened_on + timedelta(days=20),
                                                    min(session.opened_on + timedelta(days=330),
                                                        today - timedelta(days=1)))
                p = PlannedProposal(id=self.next_id(Proposal), session=session, committee=c, number=j + 1,
                                    title=self.title(topics, place_word, npc=npc), category=category,
                                    made_at=made_at,
                                    submitted_on=submitted_on, is_key=rng.random() < 0.03)
                if bodies and rng.random() < 0.08:
                    p.members = [rng.choice(bodies)]
                else:
                    p.members = rng.sample(persons, min(len(persons), rng.choices((1, 2, 3), (75, 18, 7))[0]))
                if current and j % 50 in (0, 1):
                    p.made_at = Proposal.MadeAt.INTERIM
                    p.submitted_on = max(session.opened_on, today - timedelta(days=rng.randint(1, 12)))
                    p.status = Proposal.Status.SUBMITTED if j % 50 == 0 else Proposal.Status.REGISTERED
                elif j % 100 in (2, 3, 4, 5):
                    p.status, p.reason = Proposal.Status.NOT_REGISTERED, rng.choice(refuse_reasons)
                elif j % 100 in (6, 7, 8):
                    p.status = Proposal.Status.MERGED
                else:
                    p.assigned_on = p.submitted_on + timedelta(days=rng.randint(10, 35))
                    p.status = Proposal.Status.ASSIGNED if p.assigned_on < today else Proposal.Status.REGISTERED
                    if p.status == Proposal.Status.REGISTERED:
                        p.assigned_on = None
                planned.append(p)
        by_session: dict[int, list[PlannedProposal]] = {}
        for p in planned:
            if p.status == Proposal.Status.ASSIGNED:
                by_session.setdefault(p.session.pk, []).append(p)
        for p in planned:
            if p.status == Proposal.Status.MERGED:
                targets = by_session.get(p.session.pk)
                if targets:
                    p.merged_into = rng.choice(targets).id
                else:
                    p.status, p.reason = Proposal.Status.NOT_REGISTERED, rng.choice(
                        NPC_REFUSE_REASONS if self.committees[p.committee].is_npc else REFUSE_REASONS)
        return planned

    def plan_assignments(self, planned: list[PlannedProposal]):
        """Assignments, their events and the replies they will get; proposal statuses follow the lead's fate."""
        rng, today, s = self.rng, self.today, self.scale
        yesterday = today - timedelta(days=1)
        assigned = [p for p in planned if p.status == Proposal.Status.ASSIGNED]
        returned = {p.id for p in assigned if rng.random() < 0.01}
        extra = max(0, s.assignments - len(assigned) - len(returned))
        others = {p.id: 0 for p in assigned}
        candidates = [p.id for p in assigned]
        for _ in range(extra):
            if not candidates:
                break
            k = rng.randrange(len(candidates))
            others[candidates[k]] += 1
            if others[candidates[k]] == 3:
                candidates[k] = candidates[-1]
                candidates.pop()
        assignments, events, replies = [], [], []
        self.first_answers: dict[int, date] = {}  # assignment id -> the day it was first answered
        A = Assignment.Status

        def add(p, department, role, status, assigned_on, *, signed_on=None, returned_on=None, reopened_on=None,
                reason=""):
            deadlines = compute_deadlines(session=p.session, made_at=p.made_at, role=role, assigned_on=assigned_on)
            due, hard = deadlines.due_on, deadlines.hard_due_on
            if reopened_on:
                again = compute_deadlines(session=p.session, made_at=p.made_at, role=role, assigned_on=reopened_on)
                due, hard = again.due_on, max(hard, again.hard_due_on)
            pk = self.next_id(Assignment)
            assignments.append((pk, p.id, department.pk, role, status, assigned_on, due, hard,
                                signed_on, returned_on, reason, reopened_on, self.at(assigned_on, 9)))
            events.append((self.next_id(AssignmentEvent), pk, AssignmentEvent.Kind.ASSIGNED, "", self.at(assigned_on, 9)))
            for kind, day, note in ((AssignmentEvent.Kind.SIGNED, signed_on, ""),
                                    (AssignmentEvent.Kind.RETURNED, returned_on, reason),
                                    (AssignmentEvent.Kind.REOPENED, reopened_on, "征询意见为不满意，重新办理。")):
                if day:
                    events.append((self.next_id(AssignmentEvent), pk, kind, note, self.at(day)))
            return pk, deadlines

        for p in assigned:
            departments = self.departments_by_region[self.place_of[p.committee]]
            chosen = rng.sample(departments, min(len(departments), 2 + others[p.id]))
            lead_department, rest = chosen[0], chosen[1:]
            if p.id in returned and rest:
                wrong = rest.pop()
                first = p.assigned_on - timedelta(days=7)
                add(p, wrong, Assignment.Role.LEAD, A.RETURNED, first, returned_on=first + timedelta(days=2),
                    reason=rng.choice(RETURN_REASONS))
            else:
                rest = rest[:others[p.id]]
            deadlines = compute_deadlines(session=p.session, made_at=p.made_at, role=Assignment.Role.LEAD,
                                          assigned_on=p.assigned_on)
            waited = (today - p.assigned_on).days
            p_open = 0.55 if today <= deadlines.due_on else 0.10 if today <= deadlines.hard_due_on else 0.025
            signed_on = min(p.assigned_on + timedelta(days=rng.randint(1, 6)), yesterday)
            lead = {"signed_on": signed_on}
            reply = None
            if waited < 12 or rng.random() < p_open:
                status, p.status = (A.SIGNED if rng.random() < 0.75 else A.ASSIGNED), Proposal.Status.ASSIGNED
                if status == A.ASSIGNED:
                    lead["signed_on"] = None
            else:
                latest = min(yesterday, deadlines.due_on + timedelta(days=40))
                earliest = min(p.assigned_on + timedelta(days=10), latest)
                on_time = rng.random() < 0.88
                reply_date = self.day_between(earliest, min(latest, deadlines.due_on) if on_time else latest)
                lead["signed_on"] = min(signed_on, reply_date)
                since = (today - reply_date).days
                flows = (("replied", 70), ("evaluated", 30)) if since < 20 else \
                    (("replied", 20), ("evaluated", 50), ("closed", 25), ("reopened", 5)) if since < 120 else \
                    (("replied", 3), ("evaluated", 22), ("closed", 70), ("reopened", 5))
                flow = rng.choices([f for f, _ in flows], [w for _, w in flows])[0]
                released = flow != "replied" or rng.random() < 0.4
                reply = PlannedReply(0, lead_department, p, 1, reply_date)
                if released:
                    reply.released_on = min(reply_date + timedelta(days=rng.randint(3, 15)), yesterday)
                status, p.status = A.REPLIED, Proposal.Status.REPLIED
                if flow in ("evaluated", "closed", "reopened"):
                    rated = min(reply.released_on + timedelta(days=rng.randint(5, 25)), yesterday)
                    rating = Feedback.Rating.UNSATISFIED if flow == "reopened" else rng.choices(
                        (Feedback.Rating.SATISFIED, Feedback.Rating.BASICALLY_SATISFIED), (82, 18))[0]
                    if flow != "closed" or rng.random() < 0.9:
                        reply.feedback = (rating, rated)
                    p.status = Proposal.Status.EVALUATED
                    if flow == "closed":
                        status, p.status = A.CLOSED, Proposal.Status.CLOSED
                        lead["closed_on"] = min(rated + timedelta(days=rng.randint(5, 30)), yesterday)
                    if flow == "reopened":
                        status, p.status = A.REOPENED, Proposal.Status.ASSIGNED
                        lead["reopened_on"] = min(rated + timedelta(days=rng.randint(1, 5)), yesterday)
            lead_id, _ = add(p, lead_department, Assignment.Role.LEAD, status, p.assigned_on,
                             signed_on=lead["signed_on"], reopened_on=lead.get("reopened_on"))
            answered = []
            if reply:
                reply.assignment_id = lead_id
                replies.append(reply)
                answered.append((lead_id, reply.reply_date))
                self.first_answers[lead_id] = reply.reply_date
            if lead.get("closed_on"):
                events.append((self.next_id(AssignmentEvent), lead_id, AssignmentEvent.Kind.CLOSED, "",
                               self.at(lead["closed_on"])))
            for department in rest:
                role = Assignment.Role.SEPARATE if rng.random() < 0.05 else Assignment.Role.CO
                if p.status == Proposal.Status.ASSIGNED:
                    done = (today - p.assigned_on).days > 40 and rng.random() < 0.8
                else:
                    done = rng.random() < 0.97 or p.status == Proposal.Status.CLOSED
                sign = min(p.assigned_on + timedelta(days=rng.randint(1, 6)), yesterday)
                if not done:
                    co_id, _ = add(p, department, role, A.SIGNED, p.assigned_on, signed_on=sign)
                    continue
                last = min(yesterday, reply.reply_date if reply else yesterday)
                co_date = self.day_between(min(p.assigned_on + timedelta(days=7), last),
                                           min(last, p.assigned_on + timedelta(days=35)))
                status = A.CLOSED if p.status == Proposal.Status.CLOSED else A.REPLIED
                co_id, _ = add(p, department, role, status, p.assigned_on, signed_on=min(sign, co_date))
                co_reply = PlannedReply(co_id, department, p, 1, co_date, mandatory=role == Assignment.Role.SEPARATE)
                if role == Assignment.Role.SEPARATE and reply and reply.released_on:
                    co_reply.released_on = max(co_date, reply.released_on)
                replies.append(co_reply)
                answered.append((co_id, co_date))
                self.first_answers[co_id] = co_date
                if status == A.CLOSED:
                    events.append((self.next_id(AssignmentEvent), co_id, AssignmentEvent.Kind.CLOSED, "",
                                   self.at(lead["closed_on"])))
        return assignments, events, replies

    def balance_replies(self, replies: list[PlannedReply]) -> list[PlannedReply]:
        """Hit the target: drop co-handlers' documents (their opinion went to the lead), or add a first version
        that the office sent back before the final one was released."""
        rng, target = self.rng, self.scale.replies
        optional = [i for i, r in enumerate(replies) if not r.mandatory]
        if len(replies) > target:
            drop = set(rng.sample(optional, min(len(optional), len(replies) - target)))
            replies = [r for i, r in enumerate(replies) if i not in drop]
        revisable = [r for r in replies if r.mandatory and r.released_on and r.reply_date - timedelta(days=15) >
                     r.proposal.assigned_on]
        extra = []
        for final in rng.sample(revisable, min(len(revisable), max(0, target - len(replies)))):
            first = PlannedReply(final.assignment_id, final.department, final.proposal, 1,
                                 final.reply_date - timedelta(days=rng.randint(7, 14)))
            final.version = 2
            extra.append(first)
        replies = replies + extra
        replies.sort(key=lambda r: (r.assignment_id, r.version))
        return replies

    def write_plan(self, planned, assignments, events, replies):
        rng = self.rng
        first_answers = dict(self.first_answers)  # a version sent back before the final one came first
        for reply in replies:
            if reply.reply_date < first_answers.get(reply.assignment_id, reply.reply_date + timedelta(days=1)):
                first_answers[reply.assignment_id] = reply.reply_date
        assignments = [row + (first_answers.get(row[0]),) for row in assignments]
        proposals = Table(Proposal, ["id", "session_id", "number", "title", "category", "submitted_on", "made_at",
                                     "body", "is_key", "status", "not_registered_reason", "merged_into_id",
                                     "created_at", "updated_at", "title_words", "body_words"])
        rows, proposers = [], []
        proposer_table = Table(Proposer, ["id", "proposal_id", "member_id", "position"])
        for p in planned:
            created = self.at(p.submitted_on)
            body = (f"{p.title.removeprefix('关于').removesuffix('的建议').removesuffix('的提案')}是群众普遍关心的问题。"
                    f"{rng.choice(FILLERS)}为此建议：一是加强统筹协调；二是加大资金投入；三是完善考核机制。")
            rows.append((p.id, p.session.pk, p.number, p.title, p.category, p.submitted_on, p.made_at, body, p.is_key,
                         p.status, p.reason, p.merged_into, created, created, indexed_words(p.title),
                         indexed_words(body)))
            for position, member in enumerate(p.members, start=1):
                proposers.append((self.next_id(Proposer), p.id, member.pk, position))
        # merged proposals after the ones they point at, for databases that check each INSERT
        rows.sort(key=lambda row: row[11] is not None)
        self.writer.write(proposals, rows)
        self.writer.write(proposer_table, proposers)
        self.writer.write(Table(Assignment, ["id", "proposal_id", "department_id", "role", "status", "assigned_on",
                                             "due_on", "hard_due_on", "signed_on", "returned_on", "return_reason",
                                             "reopened_on", "created_at", "first_replied_on"]), assignments)
        self.writer.write(Table(AssignmentEvent, ["id", "assignment_id", "kind", "note", "at"]), events)

    # -- replies, with their text, indicators and commitments --------------------------------------------------------

    def value(self, spec) -> tuple[str, Decimal, Decimal]:
        metric, unit, base_unit, factor, low, high, decimals = spec
        number = self.rng.uniform(low, high)
        text = f"{number:.{decimals}f}"
        return text, Decimal(text), Decimal(text) * factor

    def reply_text(self, r: PlannedReply, n_indicators: int, n_commitments: int, pages: int | None):
        """The text of a reply in the layout of a real one, and its indicator and commitment rows with spans."""
        rng, p, d = self.rng, r.proposal, r.department
        session = p.session
        committee_short = COMMITTEES[p.committee][1]
        npc = self.committees[p.committee].is_npc
        doc = f"{d.doc_prefixes[0]}〔{r.reply_date.year}〕{rng.randint(1, 300)}号"
        lead = p.members[0]
        role = ("代表" if npc else "委员") if lead.kind == Member.Kind.PERSON else ""
        org = "厅" if d.name.endswith("厅") else "局" if d.name.endswith("局") else "委" if d.name.endswith("会") \
            else "单位"
        subject = "全省" if self.place_of[p.committee] == 0 else "全市"
        metrics = METRICS[p.category] + GENERIC_METRICS
        year = r.reply_date.year
        header = {"title": f"对{committee_short}{session.name}第{p.number}号{role}{'建议' if npc else '提案'}的答复", "doc_number": doc,
                  "committee": committee_short, "session": session.name, "proposal_number": str(p.number),
                  "addressee": lead.name, "addressee_role": role or None, "proposal_title": p.title,
                  "department": d.name, "reply_date": r.reply_date.isoformat(), "category": None, "contact": None,
                  "phone": None, "copies": None}
        parts = [f"{header['title']}\n{doc}\n{lead.name}{role}：\n",
                 f"您在{committee_short}{session.name}上提出的《{p.title}》收悉。经认真研究办理，现答复如下：\n"]
        size = sum(map(len, parts))
        indicators, commitments = [], []

        def put(sentence_parts, section, marks):
            nonlocal size
            sentence = "".join(text for text, _ in sentence_parts)
            offset = size
            for text, meta in sentence_parts:
                if meta is not None:
                    marks.append((offset, offset + len(text), sentence, section, meta))
                offset += len(text)
            parts.append(sentence)
            size += len(sentence)

        sentences = []
        left = n_indicators
        targets = min(left, sum(rng.random() < 0.5 for _ in range(n_commitments)))
        left -= targets
        while left > 0:
            spec = rng.choice(metrics)
            text, value, base = self.value(spec)
            measure = (text + spec[1], (spec, value, base, year - 1 - (rng.random() < 0.3), None, False))
            if left >= 2 and rng.random() < 0.5:
                growth = self.value(GROWTH)
                second = (growth[0] + "%", ((spec[0],) + GROWTH[1:], growth[1], growth[2],
                                            measure[1][3], "同比增长", False))
                sentences.append([(f"{measure[1][3]}年，{subject}{spec[0]}达到", None), measure,
                                  ("，同比增长", None), second, ("。", None)])
                left -= 2
            else:
                form = rng.randrange(3)
                if form == 0:
                    sentences.append([(f"截至{measure[1][3]}年底，{subject}累计{spec[0]}", None),
                                      (measure[0], measure[1][:4] + ("累计", False)), ("。", None)])
                elif form == 1:
                    sentences.append([(f"{measure[1][3]}年共安排{spec[0]}", None), measure,
                                      ("，有力推动了相关工作。", None)])
                else:
                    sentences.append([(f"目前，{subject}{spec[0]}已达", None), measure, ("。", None)])
                left -= 1
        sentences += [[(rng.choice(FILLERS), None)] for _ in range(rng.randint(3, 6))]
        rng.shuffle(sentences)
        half = len(sentences) // 2
        sections = (("一", "基本情况", sentences[:half]), ("二", "主要工作及成效", sentences[half:]))
        # a long reply is padded to its pages, leaving room for the commitments and the closing
        goal = pages * PAGE_CHARS - 60 - 45 * n_commitments if pages else 0
        for number, heading, body in sections:
            parts.append(f"{number}、{heading}\n")
            size += len(parts[-1])
            for sentence in body:
                put(sentence, number, indicators)
            while size < goal * (0.5 if number == "一" else 1):
                put([(rng.choice(FILLERS), None)], number, indicators)
            parts.append("\n")
            size += 1
        parts.append("三、下一步工作打算\n")
        size += len(parts[-1])
        for index in range(n_commitments):
            action = rng.choice(ACTIONS)
            start = size
            if index < targets:
                spec = rng.choice(metrics)
                text, value, base = self.value(spec)
                goal_year = year + rng.randint(1, 3)
                sentence = [(f"下一步，我{org}将{action}，力争到{goal_year}年{spec[0]}达到", None),
                            (text + spec[1], (spec, value, base, goal_year, "力争", True)), ("。", None)]
                target = [{"value": text, "unit": spec[1], "qualifier": "达到"}]
                markers, deadline = ["下一步", "将", "力争"], date(goal_year, 12, 31)
            else:
                sentence = [(f"下一步，我{org}将{action}。", None)]
                target, markers, deadline = [], ["下一步", "将"], None
            put(sentence, "下一步", indicators)
            text = "".join(t for t, _ in sentence)
            commitments.append((start, start + len(text), text, markers, target, deadline))
            parts.append("\n")
            size += 1
        parts.append(f"感谢您对我们工作的关心和支持。\n{d.name}\n{cn_date(r.reply_date)}")
        full = "".join(parts)
        return full, header, indicators, commitments, pages or max(1, -(-len(full) // PAGE_CHARS))

    def write_replies(self, replies: list[PlannedReply]):
        rng, s, yesterday = self.rng, self.scale, self.today - timedelta(days=1)
        n = len(replies)
        longs = set(rng.sample(range(n), min(n, max(1, n // 2000)))) if n else set()
        long_indicators, long_commitments = 300, 40
        budget_i = max(0, s.indicators - len(longs) * long_indicators)
        budget_c = max(0, s.commitments - len(longs) * long_commitments)
        rest = n - len(longs)
        counts_i = self.allocate(budget_i, rest)
        counts_c = self.allocate(budget_c, rest)
        # submitted_at (会签) is newer than this command: written when the model has it
        submitted = any(f.attname == "submitted_at" for f in Reply._meta.concrete_fields)
        reply_table = Table(Reply, ["id", "assignment_id", "version", "file", "original_name", "sha256", "doc_number",
                                    "reply_date", "category", "is_public", "uploaded_by_id", "uploaded_at",
                                    "parse_status", "parse_status_at", "pages_done", "pages", "ocr", "text",
                                    "parsed_header", "mismatches", "parsed_at", "released_at", "released_by_id",
                                    "text_words"]
                            + (["submitted_at"] if submitted else []))
        indicator_table = Table(Indicator, ["id", "reply_id", "section", "sentence", "start", "end", "review_status",
                                            "reviewed_by_id", "reviewed_at", "metric", "value", "unit", "base_value",
                                            "base_unit", "year", "qualifier", "is_target"])
        commitment_table = Table(Commitment, ["id", "reply_id", "section", "sentence", "start", "end",
                                              "review_status", "reviewed_by_id", "reviewed_at", "text", "markers",
                                              "targets", "deadline", "follow_up_status", "follow_up_on", "evidence"])
        feedback_table = Table(Feedback, ["id", "reply_id", "member_id", "rating", "handling_rating", "outcome_rating",
                                          "comment", "recorded_by_id", "recorded_at"])
        event_table = Table(AssignmentEvent, ["id", "assignment_id", "kind", "note", "at"])
        staff = self.staff.pk
        rest_index = 0
        for start in range(0, n, CHUNK):
            reply_rows, indicator_rows, commitment_rows, feedback_rows, event_rows = [], [], [], [], []
            for i in range(start, min(n, start + CHUNK)):
                r = replies[i]
                if i in longs:
                    n_i, n_c, pages = long_indicators, long_commitments, LONG_REPLY_PAGES
                else:
                    n_i, n_c, pages = counts_i[rest_index], counts_c[rest_index], None
                    rest_index += 1
                text, header, indicators, commitments, page_count = self.reply_text(r, n_i, n_c, pages)
                category = rng.choices("ABC", (40, 50, 10))[0]
                header["category"] = category
                reply_id = self.next_id(Reply)
                uploaded = self.at(r.reply_date)
                parsed = uploaded + timedelta(seconds=rng.randint(20, 300))
                released = self.at(r.released_on) if r.released_on else None
                if released and released < parsed:
                    released = parsed + timedelta(hours=2)
                mismatches = [] if rng.random() > 0.01 else [{
                    "field": "proposal_number", "parsed": str(r.proposal.number + 1),
                    "expected": str(r.proposal.number), "message": "答复中的提案号与交办的提案不一致"}]
                # 公开 is a decision staff take after reviewing redactions: none is taken here (the draw stays so that
                # the same seed still gives the same rows)
                row = (reply_id, r.assignment_id, r.version, "", f"{header['doc_number']}.pdf",
                       hashlib.sha256(f"{reply_id}-{rng.random()}".encode()).hexdigest(), header["doc_number"],
                       r.reply_date, category, rng.random() < 0, self.uploader.get(r.department.pk), uploaded,
                       Reply.ParseStatus.PARSED, parsed, page_count, page_count, rng.random() < 0.05, text, header,
                       mismatches, parsed, released, staff if released else None, indexed_words(text))
                reply_rows.append(row + ((uploaded,) if submitted else ()))
                event_rows.append((self.next_id(AssignmentEvent), r.assignment_id, AssignmentEvent.Kind.REPLIED,
                                   f"第{r.version}版", uploaded))
                reviewed = released - timedelta(hours=1) if released else None
                for start_at, end_at, sentence, section, (spec, value, base, year, qualifier, target) in indicators:
                    status = self.review_status(released)
                    indicator_rows.append((self.next_id(Indicator), reply_id, section, sentence, start_at, end_at,
                                           status, staff if status != "pending" else None,
                                           reviewed if status != "pending" else None, spec[0], value, spec[1], base,
                                           spec[2], year, qualifier or "", target))
                for start_at, end_at, text_, markers, targets, deadline in commitments:
                    status = self.review_status(released)
                    follow, follow_on, evidence = Commitment.FollowUp.PENDING, None, ""
                    if status in ("accepted", "edited") and deadline and deadline < self.today:
                        follow = rng.choices(("kept", "partly_kept", "lapsed", "in_progress"), (60, 20, 10, 10))[0]
                        follow_on = deadline
                        evidence = "已按期完成。" if follow == "kept" else "部分完成，正在推进。" if follow != "lapsed" \
                            else "受资金等因素影响未能完成。"
                    elif status in ("accepted", "edited"):
                        follow = rng.choices(("pending", "in_progress", "kept"), (50, 35, 15))[0]
                        follow_on = yesterday if follow != "pending" else None
                    commitment_rows.append((self.next_id(Commitment), reply_id, "下一步", text_, start_at, end_at,
                                            status, staff if status != "pending" else None,
                                            reviewed if status != "pending" else None, text_, markers, targets,
                                            deadline, follow, follow_on, evidence))
                if r.feedback:
                    rating, rated = r.feedback
                    at = max(self.at(rated), (released or parsed) + timedelta(hours=1))
                    feedback_rows.append((self.next_id(Feedback), reply_id, r.proposal.members[0].pk, rating, rating,
                                          rating, "保护性措施落实不到位。" if rating == "unsatisfied" else "", staff, at))
            self.writer.write(reply_table, reply_rows)
            self.writer.write(indicator_table, indicator_rows)
            self.writer.write(commitment_table, commitment_rows)
            self.writer.write(feedback_table, feedback_rows)
            self.writer.write(event_table, event_rows)
            if start and start % (CHUNK * 10) == 0:
                self.log(f"  {start} / {n} replies")

    def review_status(self, released) -> str:
        """A released reply's rows were all reviewed first, as the release requires; the rest wait for review."""
        if not released:
            return "pending"
        return self.rng.choices(("accepted", "edited", "rejected"), (83, 11, 6))[0]

    def allocate(self, total: int, n: int) -> list[int]:
        """n counts that sum to total, each around the mean."""
        if n == 0:
            return []
        weights = [self.rng.uniform(0.4, 1.6) for _ in range(n)]
        scale = total / sum(weights)
        counts = [int(w * scale) for w in weights]
        for index in self.rng.sample(range(n), total - sum(counts)):  # each int() lost less than one
            counts[index] += 1
        return counts

    def run(self) -> None:
        started = time.monotonic()
        self.make_committees()
        self.make_departments()
        self.make_users()
        self.make_members()
        planned = self.plan_proposals()
        assignments, events, replies = self.plan_assignments(planned)
        replies = self.balance_replies(replies)
        self.log(f"planned in {time.monotonic() - started:.1f} s; writing")
        self.write_plan(planned, assignments, events, replies)
        self.log(f"proposals and assignments written at {time.monotonic() - started:.1f} s")
        self.write_replies(replies)
        self.log(f"replies written at {time.monotonic() - started:.1f} s")
        from proposals.selectors import dashboard_invalidate

        dashboard_invalidate()  # COPY sends no signals


DOMAIN_APPS = ("proposals", "replies", "indicators")


class Command(BaseCommand):
    help = __doc__.strip().splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=100_000, help="proposals; the other tables scale with it")
        parser.add_argument("--sessions", type=int, default=40,
                            help=f"over the first {len(COMMITTEES)} committees in turn, a year each round")
        parser.add_argument("--departments", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1, help="the same seed and --today give the same rows")
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="YYYY-MM-DD the due dates are relative to (default: today)")
        parser.add_argument("--flush", action="store_true",
                            help="first empty every table of the proposals, replies and indicators apps (users too)")
        parser.add_argument("--no-input", action="store_false", dest="interactive")
        parser.add_argument("--no-copy", action="store_false", dest="copy",
                            help="plain INSERTs even on PostgreSQL (slow; for comparing)")
        parser.add_argument("--force", action="store_true", help=f"allow more than {SQLITE_LIMIT} proposals on SQLite")

    def handle(self, *args, proposals, sessions, departments, seed, today, flush, interactive, copy, force,
               **options):
        postgres = connection.vendor == "postgresql"
        if proposals < 1 or sessions < 1 or departments < 1:
            raise CommandError("--proposals, --sessions and --departments must be positive")
        if not postgres and proposals > SQLITE_LIMIT and not force:
            raise CommandError(f"{proposals} proposals on {connection.vendor} would take very long; use PostgreSQL "
                               f"(DATABASE_URL=postgres://...) or --force")
        if not postgres:
            self.stderr.write(self.style.WARNING(f"{connection.vendor}: no COPY, writing with INSERTs (slow)."))
        database = connection.settings_dict["NAME"]
        if flush:
            if interactive and input(f"Empty every proposals/replies/indicators table of {database!r}? [y/N] ") \
                    .strip().lower() not in ("y", "yes"):
                raise CommandError("cancelled")
            self.flush()
        elif Proposal.objects.exists() or Committee.objects.exists() or Department.objects.exists() \
                or Member.objects.exists():
            raise CommandError(f"{database!r} already holds committees, departments, members or proposals; "
                               "generate_demo fills an empty database (migrate a new one, or pass --flush)")
        scale = Scale.for_proposals(proposals, sessions=sessions, departments=departments)
        started = time.monotonic()
        writer = Writer(use_copy=postgres and copy)
        generator = DemoGenerator(scale=scale, seed=seed, today=today or timezone.localdate(), writer=writer,
                                  log=self.stdout.write)
        with transaction.atomic():
            if postgres:
                with connection.cursor() as cursor:
                    # check foreign keys at each COPY, not millions of them queued up to the commit
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            generator.run()
            self.reset_sequences()
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.analyze(postgres)
        elapsed = time.monotonic() - started
        counts = {model.__name__: model.objects.count() for model in (
            Committee, Region, Session, Department, Member, User, Proposal, Assignment, Reply, Indicator, Commitment,
            Feedback, AssignmentEvent)}
        self.stdout.write(", ".join(f"{name} {count}" for name, count in counts.items()))
        self.stdout.write(self.style.SUCCESS(
            f"generated in {elapsed:.1f} s (seed {seed}); every account's password is {PASSWORD!r}: "
            f"staff (省政协) and one office per committee ({', '.join(login for *_, login, _, _ in COMMITTEES[1:])}), "
            f"supervisor (all committees), dept001…dept{departments:03d}"))

    def models(self):
        return [model for label in DOMAIN_APPS for model in apps.get_app_config(label).get_models()]

    def flush(self) -> None:
        tables = [model._meta.db_table for model in self.models()]
        statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
        connection.ops.execute_sql_flush(statements)

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.models())
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def analyze(self, postgres: bool) -> None:
        """Fresh statistics, and on PostgreSQL outside a transaction a vacuum, so index-only scans work at once."""
        with connection.cursor() as cursor:
            if postgres and not connection.in_atomic_block:
                cursor.execute("VACUUM (ANALYZE)")
            elif postgres or connection.vendor == "sqlite":
                cursor.execute("ANALYZE")
