"""The office's proposal catalogue in Excel: read and check every row before anything is saved."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Department, Proposal, Session
from .vocabulary import CPPCC, NPC, terms_for

COLUMNS = ["届次会议", "提案号", "案由", "类别", "提交日期", "提出时间", "提案人", "主办单位", "会办单位", "交办日期",
           "重点提案", "提案内容"]
REQUIRED = ["届次会议", "提案号", "案由", "提案人"]
# a 人大's catalogue names its columns in its own words; read as the 政协's
NPC_COLUMNS = {"提案号": "建议号", "提案人": "提出代表", "重点提案": "重点建议", "提案内容": "建议内容"}
SEPARATORS = str.maketrans({"，": "、", ",": "、", ";": "、", "；": "、", " ": "、"})
MAX_ROWS = 20000
# A catalogue of MAX_ROWS rows is a few MB of XML; a part that inflates past this is a decompression bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# An .xlsx written by Excel, WPS or LibreOffice never declares a DTD or an entity; a hostile one does, to expand
# entities a billion times or read files of the server (XXE).
_XML_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")


@dataclass
class CatalogueRow:
    line: int
    session: Session | None = None
    number: int | None = None
    title: str = ""
    category: str = Proposal.Category.OTHER
    submitted_on: date | None = None
    made_at: str = Proposal.MadeAt.PLENARY
    proposers: list[str] = field(default_factory=list)
    lead: Department | None = None
    co: list[Department] = field(default_factory=list)
    assigned_on: date | None = None
    is_key: bool = False
    body: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class CatalogueError(Exception):
    """The file as a whole cannot be read (not an .xlsx, no header row)."""


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value, what: str, errors: list[str]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        errors.append(_("%(what)s不是日期：%(value)s") % {"what": what, "value": value})
        return None


def _check_archive(data: bytes) -> None:
    """Refuse what is not an .xlsx, an archive that unpacks to too much, and XML parts with a DTD or entity,
    before openpyxl parses anything (it also parses through defusedxml, which refuses them too)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise CatalogueError(_("无法读取 Excel 文件：它不是有效的 .xlsx 工作簿，请在 Excel 中另存为 .xlsx 格式后重新上传。")) from error
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise CatalogueError(_("文件解压后过大，无法导入。"))
    with archive:
        for member in members:
            if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(member) as part:
                    tail = b""
                    while chunk := part.read(1024 * 1024):
                        window = tail + chunk
                        if any(marker in window for marker in _XML_DECLARATIONS) or window.startswith(
                                (b"\xff\xfe", b"\xfe\xff")):  # UTF-16 would hide a declaration from this scan
                            raise CatalogueError(_("文件含有 XML 文档类型声明（DTD）或实体定义，出于安全原因拒绝导入。"
                                                   "请在 Excel 中另存为 .xlsx 后重新上传。"))
                        tail = window[-16:]
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
                raise CatalogueError(_("无法读取 Excel 文件：文件已损坏。请在 Excel 中另存为 .xlsx 后重新上传。")) \
                    from error


def _guarded(rows: Iterator) -> Iterator:
    """openpyxl reads a read-only sheet as it is iterated: a broken or hostile part fails here, not at load."""
    try:
        yield from rows
    except CatalogueError:
        raise
    except Exception as error:  # defusedxml, zipfile and openpyxl raise many types for a bad part
        raise CatalogueError(_("无法读取 Excel 文件的内容（%(error)s），请在 Excel 中另存为 .xlsx 后重新上传。")
                             % {"error": type(error).__name__}) from error


def read_catalogue(data: bytes, *, session_choices=None) -> list[CatalogueRow]:
    """Every row of the first sheet, checked against the database and against the rows above it; its sessions
    must be among `session_choices` (a Session queryset: the ones the importer works for), every session if None."""
    from openpyxl import load_workbook

    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not an .xlsx
        raise CatalogueError(_("无法读取 Excel 文件，请使用 .xlsx 格式（%(error)s）") % {"error": type(error).__name__}) \
            from error
    if not workbook.worksheets:
        raise CatalogueError(_("工作簿中没有工作表。"))
    rows = _guarded(workbook.worksheets[0].iter_rows(values_only=True))
    canonical = {npc: name for name, npc in NPC_COLUMNS.items()}
    named = [_text(cell) for cell in next(rows, ())]
    header = [canonical.get(name, name) for name in named]
    # a row's errors in its session's words; a row without a session in the words of the file's columns
    file_terms = terms_for(NPC if any(name in canonical for name in named) else CPPCC)
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise CatalogueError(_("缺少列：%(columns)s。请使用导入模板。") % {"columns": "、".join(missing)})
    index = {name: header.index(name) for name in COLUMNS if name in header}

    sessions: dict[str, list[Session]] = {}
    for session in (Session.objects.all() if session_choices is None else session_choices).select_related("committee"):
        for key in (session.name, str(session)):
            sessions.setdefault(key, []).append(session)
    departments = {}
    for department in Department.objects.all():
        departments.setdefault(department.name, department)
        if department.short_name:
            departments.setdefault(department.short_name, department)
    categories = {label: value for value, label in Proposal.Category.choices}
    taken = set(Proposal.objects.values_list("session_id", "number"))

    result = []
    for line, values in enumerate(rows, start=2):
        if line > MAX_ROWS + 1:
            raise CatalogueError(_("行数超过上限 %(n)d。") % {"n": MAX_ROWS})
        cell = {name: values[i] if i < len(values) else None for name, i in index.items()}
        if not any(_text(v) for v in cell.values()):
            continue
        row = CatalogueRow(line=line)
        errors = row.errors
        terms = file_terms
        session_name = _text(cell.get("届次会议"))
        matches = sessions.get(session_name, [])
        if not session_name:
            errors.append(_("缺少届次会议"))
        elif not matches:
            errors.append(_("未知届次会议：%(name)s") % {"name": session_name})
        elif len(matches) > 1:
            errors.append(_("届次会议不唯一，请写明委员会：%(name)s") % {"name": session_name})
        else:
            row.session = matches[0]
            terms = row.session.terms
        number = _text(cell.get("提案号")).removeprefix("第").removesuffix("号")
        if number.endswith(".0"):
            number = number[:-2]
        if not number.isdigit() or not 0 < int(number) < 10**9:
            errors.append(_("%(number_label)s无效：%(value)s") % {"value": cell.get("提案号") or "",
                                                                   "number_label": terms.number})
        else:
            row.number = int(number)
        row.title = _text(cell.get("案由"))[:300]
        if not row.title:
            errors.append(_("缺少案由"))
        category = _text(cell.get("类别"))
        if category:
            if category not in categories:
                errors.append(_("未知类别：%(value)s") % {"value": category})
            else:
                row.category = categories[category]
        row.submitted_on = _date(cell.get("提交日期"), _("提交日期"), errors)
        if _text(cell.get("提出时间")) == Proposal.MadeAt.INTERIM.label:
            row.made_at = Proposal.MadeAt.INTERIM
        row.proposers = list(dict.fromkeys(n for n in _text(cell.get("提案人")).translate(SEPARATORS).split("、") if n))
        if not row.proposers:
            errors.append(_("缺少%(proposers)s") % {"proposers": terms.proposers})
        for column, many in (("主办单位", False), ("会办单位", True)):
            for name in (n for n in _text(cell.get(column)).translate(SEPARATORS).split("、") if n):
                department = departments.get(name)
                if department is None:
                    errors.append(_("未知承办单位：%(name)s") % {"name": name})
                elif row.session and department.region_id not in (None, row.session.committee.region_id):
                    errors.append(_("%(name)s不是该委员会所在行政区的承办单位") % {"name": name})
                elif many:
                    row.co.append(department)
                elif row.lead is None:
                    row.lead = department
                else:
                    errors.append(_("主办单位只能有一个"))
        row.assigned_on = _date(cell.get("交办日期"), _("交办日期"), errors)
        if row.session and row.assigned_on:
            try:  # the rule assignment_create applies when the row is saved, checked in the preview
                Proposal(session=row.session, submitted_on=row.submitted_on or row.session.opened_on) \
                    .validate_not_before_start(row.assigned_on, label=_("交办日期"))
            except ValidationError as error:
                errors.extend(error.messages)
        row.is_key = _text(cell.get("重点提案")) in ("是", "Y", "y", "1", "重点")
        row.body = _text(cell.get("提案内容"))
        if row.session and row.number:
            key = (row.session.pk, row.number)
            if key in taken:
                errors.append(_("%(number_label)s重复：%(session)s 第%(number)d号")
                              % {"session": row.session.name, "number": row.number, "number_label": terms.number})
            taken.add(key)
        result.append(row)
    return result


def catalogue_template(*, terms) -> bytes:
    """An empty catalogue with its columns, named in the body's words (a 人大's: 建议号, 提出代表…), and one example
    row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    npc = terms.body == NPC
    sheet.title = "建议目录" if npc else "提案目录"
    sheet.append([NPC_COLUMNS.get(name, name) for name in COLUMNS] if npc else COLUMNS)
    sheet.append(["十二届五次会议", 135, "关于加快高新技术产业的建议", "经济建设", "2022-01-16", "大会期间", "李秀玉",
                  "吉林省科学技术厅", "吉林省财政厅", "2022-04-01", "是", ""])
    for column, width in zip("ABCDEFGHIJKL", [16, 8, 40, 10, 12, 10, 16, 20, 20, 12, 8, 40], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
