"""Stage 2: the header and footer fields of a reply (title, numbers, addressee, signature, date, category)."""

from __future__ import annotations

import datetime
import re

from .numbers import parse_cn_year, parse_small
from .structure import DATE_LINE, Layout, is_org_line
from .types import Header

_BRACKETS = "〔\\[【(（［"
_CLOSERS = "〕\\]】)）］"
DOC_NUMBER = re.compile(rf"[{_BRACKETS}]\s*((?:19|20)\d{{2}})\s*[{_CLOSERS}]\s*(第?\s*\d{{1,6}})\s*号")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SESSION = re.compile(
    r"(?P<jie>第?[一二三四五六七八九十\d]{1,3}届)(?P<mid>[\u4e00-\u9fff]{0,12}?)"
    r"(?P<ci>第?[一二三四五六七八九十\d]{1,3}次(?:全体)?会议)"
)
_COMMITTEE_TAIL = re.compile(
    r"(?:全国|[\u4e00-\u9fff]{2,8}?(?:省|市|区|县|州|盟|旗)|自治区|省|市|区|县|州)?(?:政协|人大)$"
)
_COMMITTEE_IN = re.compile(r"(?:全国|[\u4e00-\u9fff]{0,8}?(?:省|市|区|县|州))?(?:政协|人大)")
_LEAD_WORDS = re.compile(r"^.*?(?:关于|对于|对|您们?|你们?|贵[委会党部社]?|在|向|就)(?=[^关对您你贵在向就]*$)")
_PLACE_TAIL = re.compile(r"(?:[\u4e00-\u9fff]{2,8}?)?(?:省|自治区|市|区|县|州|盟|旗)$")
_PROPOSAL_NO = [
    re.compile(r"(?<![〕\]】)）］\d])第\s*(\d{1,10})\s*号"),
    re.compile(r"(?<![〕\]】)）］\d])(\d{1,10})\s*号(?:委员|代表|集体|党派)?(?:提案|建议|议案)"),
    re.compile(r"(?:提案|建议|议案)(?:编号|号)\s*[：:]?\s*第?\s*(\d{1,10})"),
]
_SALUTATION = re.compile(r"^(?:尊敬的)?(?P<who>[^：:。，,；;《》]{2,40}?)[：:](?P<rest>.*)$")
_NOT_SALUTATION = re.compile(r"答复|如下|类别|类型|签发|联系|电话|抄送|文号|编号|号$|主题|密级|紧急|时间|日期|公开")
_ROLE = re.compile(r"(委员|代表)$")
_BODY_WORDS = re.compile(
    r"民革|民盟|民建|民进|农工|致公|九三|台盟|工商联|委员会|党派|界别|学社|协会|联合会|总工会|妇联|团委|共青团|科协|"
    r"侨联|台联|小组|党组|委$|会$|厅$|局$|办$|院$|部$"
)
_TITLE_QUOTE = re.compile(r"《([^《》\n]{2,100})》")
_TITLE_BARE = re.compile(r"(?:提出的|所提|提交的)[“\"]?(关于[^。，”\"\n]{2,60}?(?:提案|建议|议案))")
_MASTHEAD = re.compile(r"文件$|^[（(]?[ABC]\s*类?[）)]?$")
_CAT_LABEL = re.compile(r"(?:答复|办理|提案|办复)?(?:类别|类型)\s*[：:为是]?\s*[“\"「]?\s*([ABC])(?![A-Za-z])")
_CAT_BRACKET = re.compile(r"[（(【\[]\s*([ABC])\s*类?\s*[）)】\]]")
_CAT_ALONE = re.compile(r"^([ABC])\s*(?:类(?:答复|提案|件)?)?$")
_CAT_AFTER_NO = re.compile(r"号\s*[（(]?\s*([ABC])\s*类?\s*[）)]?$")
_CAT_WORDING = [
    ("A", re.compile(r"(?:已经?|已)解决或基本解决|所提问题已经?解决")),
    ("B", re.compile(r"正在解决或列入计划解决|列入计划(?:逐步)?解决|正在解决")),
    ("C", re.compile(r"因条件限制[^。\n]{0,8}不能解决|留作参考|暂时?无法解决|暂不能解决")),
]
_CONTACT = re.compile(
    r"(?:联系人|经办人|承办人)(?:及电话|及联系电话|及联系方式)?\s*[：:]?\s*"
    r"([\u4e00-\u9fff]{2,4}?(?:、[\u4e00-\u9fff]{2,4}?)*)(?=联系|电话|手机|[^\u4e00-\u9fff]|$)"
)
_PHONE = re.compile(r"(?:电话|联系方式|手机)\s*[：:]?\s*([\d\-－—()（）]{7,24}\d)")
_PHONE_BARE = re.compile(r"(?<!\d)((?:0\d{2,3}[-－—]?)?\d{7,8}|1[3-9]\d{9})(?!\d)")
_COPIES = re.compile(r"^抄\s*[送报]\s*[：:]\s*(.+?)[。.]?$")
_DATE_PARTS = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2}).?年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
    r"|(?P<cy>[〇零一二三四五六七八九○]{4})年(?P<cm>[一二三四五六七八九十]{1,3})月(?P<cd>[一二三四五六七八九十]{1,3})日)"
)


def parse_date(s: str) -> str | None:
    """2022年7月6日 / 二〇二二年七月六日 -> '2022-07-06'; None if no valid date."""
    m = _DATE_PARTS.search(s)
    if not m:
        return None
    if m.group("y"):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    else:
        y = parse_cn_year(m.group("cy").replace("○", "〇"))
        mo, d = parse_small(m.group("cm")), parse_small(m.group("cd"))
        if y is None or mo is None or d is None:
            return None
    try:
        return datetime.date(y, mo, d).isoformat()
    except ValueError:
        return None


def _doc_number(lines: list[str]) -> tuple[str | None, int | None]:
    for i, t in enumerate(lines):
        m = DOC_NUMBER.search(t)
        if not m:
            continue
        k = m.start()
        while k > 0 and m.start() - k < 15 and _CJK.match(t[k - 1]):
            k -= 1
        prefix = t[k : m.start()]
        if k > 0 and t[k - 1] in "ABC":
            prefix = prefix.lstrip("类")
        prefix = re.sub(r"^(?:文号|编号|发文字号)", "", prefix)
        return prefix + t[m.start() : m.end()].replace(" ", ""), i
    return None, None


def _title(lines: list[str], skip: set[int]) -> str | None:
    groups: list[list[str]] = []
    current: list[str] = []
    for i, t in enumerate(lines):
        if (
            i in skip
            or not t
            or _MASTHEAD.search(t)
            or _CAT_LABEL.search(t)
            or (i <= 1 and is_org_line(t) and "答复" not in t)
        ):
            if current:
                groups.append(current)
                current = []
            continue
        current.append(t)
    if current:
        groups.append(current)
    for g in groups:
        joined = "".join(g)
        if re.search(r"答复|复函|意见|的函", joined) or re.match(r"关于|对", joined):
            return joined[:150]
    return None


def _session(texts: list[str]) -> tuple[str | None, str | None]:
    for t in texts:
        m = _SESSION.search(t)
        if not m:
            continue
        session = m.group("jie") + m.group("ci")
        committee = None
        mid = m.group("mid")
        pre = _LEAD_WORDS.sub("", t[max(0, m.start() - 20) : m.start()])
        c = _COMMITTEE_IN.search(mid)
        if c:
            committee = c.group(0)
            if not re.match(r"全国|[\u4e00-\u9fff]*[省市区县州]", committee):
                place = re.search(r"(?:全国|[\u4e00-\u9fff]{0,8}?(?:省|自治区|市|区|县|州))$", pre)
                committee = (place.group(0) if place else "") + committee
        else:
            c = _COMMITTEE_TAIL.search(pre)
            if c:
                committee = c.group(0)
            elif "政治协商会议" in pre or "人民代表大会" in pre or "政治协商会议" in mid or "人民代表大会" in mid:
                place = _PLACE_TAIL.search(re.split(r"会议|代表大会", pre)[-1])
                kind = "政协" if "政治协商会议" in pre + mid else "人大"
                committee = (place.group(0) if place else "") + kind
        return (_LEAD_WORDS.sub("", committee) if committee else None), session
    return None, None


def _proposal_number(texts: list[str]) -> str | None:
    for t in texts:
        for pat in _PROPOSAL_NO:
            m = pat.search(t)
            if m:
                return m.group(1)
    return None


def _addressee(lines: list[str], is_cooperation: bool) -> tuple[str | None, str | None, int | None]:
    for i in range(len(lines) - 1, -1, -1):
        t = lines[i]
        m = _SALUTATION.match(t)
        if not m or _NOT_SALUTATION.search(m.group("who")):
            continue
        rest = m.group("rest")
        if rest and not re.match(r"您|你|贵|关于|现|经|收悉", rest):
            continue
        who = m.group("who").strip()
        role = None
        if _ROLE.search(who):
            role = _ROLE.search(who).group(1)
            who = re.sub(r"(委员|代表)(?=[、，,和及]|$)", "", who)
        elif is_cooperation:
            role = "主办单位"
        elif _BODY_WORDS.search(who):
            role = "集体"
        who = re.sub(r"等\d*[名位]?$", "等", who)
        return (who or None), role, i
    return None, None, None


def _category(texts: list[str]) -> str | None:
    for t in texts:
        for pat in (_CAT_LABEL, _CAT_ALONE, _CAT_AFTER_NO, _CAT_BRACKET):
            m = pat.search(t)
            if m:
                return m.group(1)
        for cat, pat in _CAT_WORDING:
            if pat.search(t):
                return cat
    return None


def extract_header(text: str, layout: Layout) -> Header:
    lines = [ln.text for ln in layout.lines]
    head = lines[: layout.header_end]
    opening = lines[layout.opening_line] if layout.opening_line is not None else ""
    footer = lines[layout.footer_start :]

    doc_number, doc_line = _doc_number(head)
    is_cooperation = bool(re.search(r"会办|协办", "".join(head[:6]) + opening[:80]))
    addressee, role, sal_line = _addressee(head, is_cooperation)
    if addressee is None and opening:
        addressee, role, _ = _addressee([opening], is_cooperation)
    skip = {i for i in (doc_line, sal_line) if i is not None}
    if sal_line is not None:
        skip.update(range(sal_line, len(head)))
    title = _title(head, skip)
    front = [t for t in (title, opening) if t] + [t for i, t in enumerate(head) if i not in skip and t != title]
    committee, session = _session(front)
    proposal_number = _proposal_number(front)

    proposal_title = None
    for t in [opening] + ([title] if title else []) + head:
        m = _TITLE_QUOTE.search(t or "")
        if m:
            proposal_title = m.group(1)
            break
    if proposal_title is None and opening:
        m = _TITLE_BARE.search(opening)
        if m:
            proposal_title = m.group(1)

    department, reply_date = _signature(footer)
    cat_lines = head + footer + [t for t in lines if re.search(r"答复类|类别|办理类型", t)]
    category = _category(cat_lines)

    contact = phone = copies = None
    for t in footer + lines[-15:]:
        if contact is None and (m := _CONTACT.search(t)):
            contact = m.group(1)
        if phone is None and (m := _PHONE.search(t)):
            phone = m.group(1)
        if phone is None and re.search(r"联系|电话", t) and (m := _PHONE_BARE.search(t)):
            phone = m.group(1)
        if copies is None and (m := _COPIES.match(t)):
            copies = m.group(1)
    return Header(
        title=title,
        doc_number=doc_number,
        committee=committee,
        session=session,
        proposal_number=proposal_number,
        addressee=addressee,
        addressee_role=role,
        proposal_title=proposal_title,
        department=department,
        reply_date=reply_date,
        category=category,
        contact=contact,
        phone=phone,
        copies=copies,
    )


def _signature(footer: list[str]) -> tuple[str | None, str | None]:
    """Signing department and date: the date line at the end and the organisation line just above it."""
    for i, t in enumerate(footer):
        m = DATE_LINE.match(t)
        if not m or re.search(r"印发|印$|发布$", m.group("post")):
            continue
        date = parse_date(m.group("date"))
        if date is None:
            continue
        pre = m.group("pre").strip()
        if pre:
            return (pre if is_org_line(pre) else None), date
        orgs = []
        j = i - 1
        while j >= 0 and (is_org_line(footer[j]) or re.match(r"^[（(](?:盖章|印章|签章)[）)]$", footer[j])):
            if is_org_line(footer[j]):
                orgs.append(re.sub(r"[（(](?:盖章|印章|签章)[）)]$", "", footer[j]))
            j -= 1
        return ("、".join(reversed(orgs)) or None), date
    for t in footer:
        if is_org_line(t) and not re.match(r"^[（(]?(?:联系|抄送|电话)", t):
            return t, None
    return None, None
