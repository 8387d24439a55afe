"""Stage 2: the header and footer fields of a reply (title, numbers, addressee, signature, date, category)."""

from __future__ import annotations

import re

from .normalise import parse_date
from .structure import DATE_LINE, ORG_SUFFIX, Layout, is_org_line
from .types import Header

_BRACKETS = "〔\\[【(（［"
_CLOSERS = "〕\\]】)）］"
DOC_NUMBER = re.compile(rf"[{_BRACKETS}]\s*((?:19|20)\d{{2}})\s*[{_CLOSERS}]\s*(第?\s*\d{{1,6}})\s*号")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SESSION = re.compile(
    r"(?P<jie>第?[一二三四五六七八九十\d]{1,3}届)(?P<mid>[\u4e00-\u9fff]{0,12}?)"
    r"(?P<ci>第?[一二三四五六七八九十\d]{1,3}次(?:全体)?(?:会议)?)"
)
_COMMITTEE_TAIL = re.compile(
    r"(?:全国|[\u4e00-\u9fff]{2,8}?(?:省|市|区|县|州|盟|旗)|自治区|省|市|区|县|州)?(?:政协|人大)$"
)
_COMMITTEE_IN = re.compile(r"(?:全国|[\u4e00-\u9fff]{0,8}?(?:省|市|区|县|州))?(?:政协|人大)")
# everything up to the last lead word (greedy): 马关县交通运输局关于马关县 -> 马关县, a 关 in a place name kept
_LEAD_WORDS = re.compile(r"^.*(?:关于|对于|对|您们?|你们?|贵[委会党部社]?|在|向|就)")
# words that end a title and cannot be part of the place before a session: 建议的答复淄川区 -> 淄川区
_NOT_PLACE = re.compile(r"^.*(?:答复|复函|建议|提案|议案|意见|[的”“\"》《，,。：:\s])")
_PLACE_TAIL = re.compile(r"(?:[\u4e00-\u9fff]{2,8}?)?(?:省|自治区|市|区|县|州|盟|旗)$")
# a proposal number as written, letters and prefixes kept: 135, 0271, DH0271, 2025D048, 闭08
_NO = r"([A-Za-z]{0,4}\d{1,10}(?:[A-Za-z]{1,3}\d{1,6})?|[闭平]\d{1,6})"
_PROPOSAL_NO = [
    re.compile(rf"(?<![〕\]】)）］\d])第\s*((?:{_NO[1:-1]})(?:[、，,和及](?:{_NO[1:-1]}))*)\s*号"),
    re.compile(rf"(?<![〕\]】)）］\dA-Za-z]){_NO}\s*号(?:委员|代表|集体|党派)?(?:提案|建议|议案)"),
    re.compile(rf"(?:提案|建议|议案)(?:编号|号)\s*[：:]?\s*第?\s*{_NO}"),
    re.compile(rf"[》”][（(]\s*第?\s*{_NO}\s*号\s*[）)]"),
]
_NUMBER_LINE = re.compile(rf"^第?{_NO}号?$")
_SALUTATION = re.compile(r"^(?:尊敬的)?(?P<who>[^：:。，,；;《》]{2,40}?)[：:](?P<rest>.*)$")
_NOT_SALUTATION = re.compile(r"答复|如下|类别|类型|签发|联系|电话|抄送|文号|编号|号$|主题|密级|紧急|时间|日期|公开")
_ROLE = re.compile(r"(委员|代表)$")
# 王亚春区人大代表 -> 王亚春; 张三同志 -> 张三: a role, body or courtesy after a name is not part of it
_NAME_SUFFIX = re.compile(
    r"(?:(?:[省市区县州旗乡镇]|自治[区州县])?(?:人大|政协)|(?:人大|政协)[\u4e00-\u9fff]{1,8}?[省市区县州旗])?"
    r"(?:委员|代表|同志|先生|女士)(?=[、，,和及]|$)"
)
_ET_AL = re.compile(r"[（(]?等\s*[\d一二三四五六七八九十两]*\s*[名位个人]?[）)]?$")
_ET_AL_INSIDE = re.compile(r"[（(](?:等\s*[\d一二三四五六七八九十两]+\s*[名位个人]|们)[）)]")
# a salutation line without its colon: 王立超委员
_SALUTATION_BARE = re.compile(r"^(?:尊敬的)?(?P<who>[^：:。，,；;《》]{2,30}?(?:委员|代表))$")
_BODY_WORDS = re.compile(
    r"民革|民盟|民建|民进|农工|致公|九三|台盟|工商联|委员会|党派|界别|学社|协会|联合会|总工会|妇联|团委|共青团|科协|"
    r"侨联|台联|小组|党组|委$|会$|厅$|局$|办$|院$|部$"
)
_QUOTE_PAIRS = {"《": "》", "“": "”", "「": "」", "〈": "〉", '"': '"'}
_HEAD_SPAN = 1000  # the proposal title is quoted near the start of its line
_LONGEST_QUOTE = 300  # a proposal title is far shorter; bounds the scan of unbalanced quotation marks
_PROPOSAL_WORD = re.compile(r"^(?:的|之)?(?:建议|提案|议案|一案|意见)")
_ALIAS = re.compile(r"(?:简称|下称|以下称)\s*$")
_TITLE_BARE = re.compile(
    r"(?:提出的|所提的?|提交的)(关于[^。，,；;\n]{2,80}?(?:提案|建议|议案))(?=已?收悉|悉|已|[，,。；;（(]|经|现|办理|答复|$)"
)
_MASTHEAD = re.compile(r"文件$|^[（(]?[ABC]\s*类?[）)]?$")
_CAT_LABEL = re.compile(
    r"(?:(?:答复|办理|提案|办复)?(?:类别|类型)|(?:办理|答复|办复)结果|答复分类|分类标识)\s*[：:为是]?\s*[“\"「]?\s*([ABC])(?![A-Za-z])"
)
_CAT_BRACKET = re.compile(r"[（(【\[〔［]\s*([ABC])\s*(?:类(?:答复|提案|件)?)?\s*[）)】\]〕］]")
_CAT_ALONE = re.compile(
    r"^([ABC])\s*(?:类(?:答复|提案|件)?)?$|^([ABC])\s*类?\s*[：:]\s*[\u4e00-\u9fff]{0,8}(?:解决|参考|采纳|落实)$"
)
_CAT_AFTER_NO = re.compile(
    r"号\s*[（(]?\s*([ABC])\s*类?\s*[）)]?$|[〕\]】)）］]\s*第?\d{1,6}号\s*[（(]?\s*([ABC])\s*类"
)
_CAT_BEFORE_NO = re.compile(r"(?<![A-Za-z])([ABC])\s*[〔\[【(（［]\s*(?:19|20)\d{2}\s*[〕\]】)）］]\s*第?\d{1,6}\s*号")
_CAT_LISTED = re.compile(
    r"(?:列为|列入|确定为|定为|属于|属|为)\s*[“\"「]?\s*([ABC])\s*类(?:答复|提案|建议|件)?[”\"」]?(?![\u4e00-\u9fffA-Za-z])"
)
_CATEGORY_HINT = re.compile(r"答复类|类别|办理类型|(?:办理|答复|办复)结果|分类|列为\s*[“\"「]?\s*[ABC]\s*类")
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
_BULLET = re.compile(r"^[•·●▪◆■□◇○\-—*]+")
_SEAL = re.compile(r"^[（(](?:盖章|印章|签章)[）)]$")
_SEAL_TAIL = re.compile(r"[（(](?:盖章|印章|签章)[）)]$")
_NOT_SIGNATURE = re.compile(r"^[（(]?(?:联系|抄送|抄报|电话|主送)")
_MASTHEAD_ORG = re.compile(r"^(.{2,30}?)文件$")
# labelled fields, also in a site's listing table (发布机构: | 沂水县交通运输局 |)
_DEPT_LABEL = re.compile(
    r"(?:联系单位|答复单位|办理单位|承办单位|主办单位|办复单位|发布机构)\s*[：:]\s*\|?\s*([^|：:\s]+)"
)
_DEPT_LABEL_COOP = re.compile(r"(?:联系单位|答复单位|会办单位|协办单位|发布机构)\s*[：:]\s*\|?\s*([^|：:\s]+)")
_DATE_LABEL = re.compile(r"(?:答复|办复|回复|办理|签发|成文)(?:时间|日期)\s*[：:]\s*\|?\s*([^|]+)")
_SITE_META = re.compile(r"^(?:发布时间|发布日期|来源|作者|浏览|索引号|发布机构|文号|主题词|信息来源)\s*[：:]|\|")
_COPIES = re.compile(r"^抄\s*[送报]\s*[：:]\s*(.+?)[。.]?$")


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
            or _SITE_META.search(t)
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
        if not session.endswith("会议"):
            session += "会议"
        committee = None
        mid = m.group("mid")
        pre = _NOT_PLACE.sub("", _LEAD_WORDS.sub("", t[max(0, m.start() - 20) : m.start()]))
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


def _number_after_session(head: list[str]) -> str | None:
    """A number alone on the line after the session, as listings of suggestions print it."""
    for i, t in enumerate(head[:-1]):
        if _SESSION.search(t) and (m := _NUMBER_LINE.match(head[i + 1])):
            return m.group(1)
    return None


def _quoted(t: str) -> list[tuple[str, int, int]]:
    """Top-level quotations of t as (inner text, start, end), nested quotation marks kept inside."""
    out = []
    i = 0
    while i < len(t):
        opener = t[i]
        closer = _QUOTE_PAIRS.get(opener)
        if closer is None:
            i += 1
            continue
        depth, j = 1, i + 1
        stop = min(len(t), i + _LONGEST_QUOTE)
        while j < stop:
            if t[j] == closer:
                depth -= 1
                if depth == 0:
                    break
            elif t[j] == opener:
                depth += 1
            j += 1
        if depth:
            i += 1
            continue
        out.append((t[i + 1 : j], i, j + 1))
        i = j + 1
    return out


def _proposal_title_in(t: str, *, strict: bool) -> str | None:
    """The proposal's quoted title in t: 《…》, or “关于…” / “…”的建议; aliases (以下简称《建议》) skipped."""
    t = t[:_HEAD_SPAN]
    for inner, s, e in _quoted(t):
        inner = inner.strip()
        if len(inner) < 6 or _ALIAS.search(t[max(0, s - 6) : s]) or "\n" in inner:
            continue
        if t[s] == "《" and not strict:
            return inner
        if inner.startswith("关于") or _PROPOSAL_WORD.match(t[e:]) or re.search(r"(?:建议|提案|议案)$", inner):
            return inner
    return None


def _addressee(lines: list[str], is_cooperation: bool) -> tuple[str | None, str | None, int | None]:
    for i in range(len(lines) - 1, -1, -1):
        t = lines[i]
        m = _SALUTATION.match(t) or _SALUTATION_BARE.match(t)
        if not m or _NOT_SALUTATION.search(m.group("who")):
            continue
        rest = m.groupdict().get("rest")
        if rest and not re.match(r"您|你|贵|关于|现|经|收悉", rest):
            continue
        who = _ET_AL_INSIDE.sub("", re.sub(r"^尊敬", "", m.group("who").strip()))
        role = None
        if _ROLE.search(who):
            role = _ROLE.search(who).group(1)
            who = _ET_AL.sub("", _NAME_SUFFIX.sub("", who))
        elif is_cooperation:
            role = "主办单位"
        elif _BODY_WORDS.search(who):
            role = "集体"
        else:
            who = _ET_AL.sub("", _NAME_SUFFIX.sub("", who))
        return (who or None), role, i
    return None, None, None


def _category(texts: list[str]) -> str | None:
    for t in texts:
        for pat in (_CAT_LABEL, _CAT_ALONE, _CAT_AFTER_NO, _CAT_BEFORE_NO, _CAT_BRACKET, _CAT_LISTED):
            m = pat.search(t)
            if m:
                return next(g for g in m.groups() if g)
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
    if not opening and sal_line is not None and layout.header_end < len(lines):
        opening = lines[layout.header_end]  # an acknowledgement in words the layout does not know
    if addressee is None and layout.opening_line and _is_department(lines[layout.opening_line - 1]):
        addressee = lines[layout.opening_line - 1]  # a co-handling opinion addressed to the lead department
        role = "主办单位"
    skip = {i for i in (doc_line, sal_line) if i is not None}
    if sal_line is not None:
        skip.update(range(sal_line, len(head)))
    title = _title(head, skip)
    front = [t for t in (title, opening) if t] + [t for i, t in enumerate(head) if i not in skip and t != title]
    committee, session = _session(front)
    proposal_number = _proposal_number(front) or _number_after_session(head)

    # a quotation that reads as a proposal title first; else the opening's first 《…》 (《大龙口村…工程》)
    proposal_title = next(
        (pt for t in [opening, title or ""] + head if (pt := _proposal_title_in(t, strict=True))), None
    ) or _proposal_title_in(opening, strict=False)
    if proposal_title is None and opening:
        m = _TITLE_BARE.search(opening)
        if m:
            proposal_title = m.group(1)

    tail = lines[max(layout.header_end, min(layout.footer_start, len(lines) - 12)) :]
    signed, reply_date = _signature(tail)
    department = _department(signed, head, lines[:8] + tail, is_cooperation)
    if reply_date is None:
        reply_date = _labelled_date(head)
    cat_lines = head + footer + [t for t in lines if _CATEGORY_HINT.search(t)]
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


def _digits_date(t: str) -> str | None:
    """2017821 -> 2017-08-21: a web copy that lost 年月日, read only when one split is a valid date."""
    m = re.fullmatch(r"((?:19|20)\d{2})(\d{2,4})日?", t)
    if not m:
        return None
    rest = m.group(2)
    found = set()
    for k in (1, 2):
        if k < len(rest) <= k + 2:
            found.add(parse_date(f"{m.group(1)}年{int(rest[:k])}月{int(rest[k:])}日"))
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def _is_department(t: str) -> bool:
    """An organisation's name alone: 淄川区自然资源局, 安康市住房和城乡建设局(市人民防空办公室)."""
    if is_org_line(t):
        return True
    m = re.fullmatch(r"(.{2,30}?)[（(](.{2,20})[）)]", t)
    return bool(m and is_org_line(m.group(1)) and ORG_SUFFIX.search(m.group(2)))


def _signature(lines: list[str]) -> tuple[str | None, str | None]:
    """Signing department and date: the first date line of the closing lines and the organisation lines above it."""
    for i, t in enumerate(lines):
        m = DATE_LINE.match(t) if len(t) <= 60 else None
        if m and re.search(r"印发|印$|发布$", m.group("post")):
            continue
        date = parse_date(m.group("date")) if m else _digits_date(t)
        if date is None:
            continue
        pre = m.group("pre").strip() if m else ""
        if pre:
            return (pre if is_org_line(pre) else None), date
        orgs = []
        j = i - 1
        while j >= 0 and (_is_department(lines[j]) or _SEAL.match(lines[j])):
            if _is_department(lines[j]):
                orgs.append(_SEAL_TAIL.sub("", lines[j]))
            j -= 1
        return ("、".join(reversed(orgs)) or None), date
    for t in reversed(lines):  # undated: the last organisation line signs
        if _is_department(t) and not _NOT_SIGNATURE.match(t):
            return _SEAL_TAIL.sub("", t), None
    return None, None


def _head_departments(head: list[str], is_cooperation: bool) -> list[str]:
    """The replying department as the head names it: 潼关县民政局 over the title, X关于…的答复, X文件, 联系单位：X."""
    found = []
    for t in head:
        t = _BULLET.sub("", t)
        if m := _MASTHEAD_ORG.match(t):
            found.append(m.group(1))
        elif _is_department(t) and not _NOT_SIGNATURE.match(t) and not re.search(r"政协|人大|会议", t):
            found.append(t)
        else:
            for m in re.finditer(r"关于|对", t[:40]):
                if m.start() >= 2 and is_org_line(t[: m.start()]):
                    found.append(t[: m.start()])
                    break
    return [d for d in found if not re.search(r"政协|人大", d)]


def _labelled_department(lines: list[str], is_cooperation: bool) -> str | None:
    label = _DEPT_LABEL_COOP if is_cooperation else _DEPT_LABEL
    for t in lines:
        if (m := label.search(t)) and _is_department(m.group(1)):
            return m.group(1)
    return None


def _is_abbreviation(short: str, full: str) -> bool:
    """省科技厅 of 吉林省科学技术厅: the same suffix and every character of short in order in full."""
    if short == full or short[-1] != full[-1]:
        return False
    it = iter(full)
    return all(c in it for c in short)


def _department(signed: str | None, head: list[str], lines: list[str], is_cooperation: bool) -> str | None:
    """The signature's department in the fullest form the document writes it."""
    named = _head_departments(head, is_cooperation)
    labelled = _labelled_department(lines, is_cooperation)
    if labelled:
        named.append(labelled)
    if signed is None:
        return named[0] if named else None
    for full in named:
        if _is_abbreviation(signed, full):
            return full
    return signed


def _labelled_date(lines: list[str]) -> str | None:
    for t in lines:
        if m := _DATE_LABEL.search(t):
            return parse_date(m.group(1))
    return None
