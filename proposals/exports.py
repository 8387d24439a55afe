"""The proposals list as .xlsx or CSV: the same filtered queryset the page shows, streamed in chunks."""

import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import StreamingHttpResponse
from django.utils import timezone

from .files import content_disposition
from .formatting import plain_decimal
from .vocabulary import CPPCC_TERMS, Terms, terms_for, terms_for_bodies, terms_for_user


def export_headers(terms: Terms) -> list[str]:
    """The export's column names in the words of the rows' body; 类别 says 提案 or 建议, 分类 the topic."""
    return ["届次会议", str(terms.number), "案由", "类别", "分类", str(terms.key_proposal), str(terms.proposers),
            "主办单位", "会办单位（办理期限）", "分办单位（办理期限）", "交办日期", "主办单位办理期限", "状态", "答复文号",
            "答复类别", "满意度", "办理工作评价", "办理结果评价"]


HEADERS = export_headers(CPPCC_TERMS)


def export_terms(proposals, *, user) -> Terms:
    """The words of the exported proposals' bodies: a list of one body's rows is headed in its words; an empty one
    in the words of the account's committees."""
    bodies = list(proposals.order_by().values_list("session__committee__body", flat=True).distinct())
    return terms_for_bodies(bodies) if bodies else terms_for_user(user)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def proposal_rows(proposals, *, user, chunk_size: int = 2000) -> Iterator[list]:
    """One row per proposal of the queryset, read as plain values four queries per chunk: model instances
    and their prefetch caches cost about 1 ms a proposal, 10 s for a 10 000-row export."""
    from replies.models import Feedback

    from .models import Proposal, Session

    labels = {"category": dict(Proposal.Category.choices), "status": dict(Proposal.Status.choices),
              "rating": dict(Feedback.Rating.choices)}
    labels = {name: {value: str(label) for value, label in choices.items()} for name, choices in labels.items()}
    sessions = {session.pk: (str(session), str(terms_for(session.committee.body).proposal))
                for session in Session.objects.select_related("committee")}
    chunk = []
    for row in proposals.values_list("id", "session_id", "number", "title", "category", "is_key", "status",
                                     "lead_due_on").iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) == chunk_size:
            yield from _chunk_rows(chunk, user=user, sessions=sessions, labels=labels)
            chunk = []
    yield from _chunk_rows(chunk, user=user, sessions=sessions, labels=labels)


def _chunk_rows(chunk: list[tuple], *, user, sessions: dict, labels: dict) -> Iterator[list]:
    from replies.models import Feedback, Reply

    from .models import Assignment, Proposer

    if not chunk:
        return
    ids = [row[0] for row in chunk]
    names: dict[int, list[str]] = {}
    for proposal_id, name in Proposer.objects.filter(proposal_id__in=ids).order_by("proposal_id", "position") \
            .values_list("proposal_id", "member__name"):
        names.setdefault(proposal_id, []).append(name)
    by_role: dict[str, dict[int, list[tuple]]] = {role: {} for role in Assignment.Role.values}
    for assignment_id, proposal_id, role, department, assigned_on, due_on in Assignment.objects.visible_to(user) \
            .filter(proposal_id__in=ids).exclude(status=Assignment.Status.RETURNED).order_by("role", "id") \
            .values_list("id", "proposal_id", "role", "department__name", "assigned_on", "due_on"):
        by_role[role].setdefault(proposal_id, []).append((assignment_id, department, assigned_on, due_on))
    leads = by_role[Assignment.Role.LEAD]
    latest: dict[int, tuple] = {}  # a lead assignment's latest reply: (id, doc_number, category)
    for reply_id, assignment_id, doc_number, category in Reply.objects.filter(
            assignment_id__in=[a[0] for group in leads.values() for a in group]).order_by(
            "assignment_id", "-version").values_list("id", "assignment_id", "doc_number", "category"):
        latest.setdefault(assignment_id, (reply_id, doc_number, category))
    ratings: dict[int, list[list[str]]] = {}  # per reply: overall, 办理工作 and 办理结果 ratings, one per member
    for reply_id, *given in Feedback.objects.filter(reply_id__in=[r[0] for r in latest.values()]).order_by(
            "reply_id", "id").values_list("reply_id", "rating", "handling_rating", "outcome_rating"):
        columns = ratings.setdefault(reply_id, [[], [], []])
        for column, rating in zip(columns, given, strict=True):
            if rating:
                column.append(labels["rating"].get(rating, rating))

    def with_dates(assignments):
        return "、".join(f"{a[1]}（{a[3]:%Y-%m-%d}）" for a in assignments)

    for pk, session_id, number, title, category, is_key, status, lead_due_on in chunk:
        lead = leads.get(pk, [])
        reply = next((latest[a[0]] for a in lead if a[0] in latest), None)
        rated = ratings.get(reply[0], [[], [], []]) if reply else [[], [], []]
        session, kind = sessions.get(session_id, ("", ""))
        yield [
            session, number, title, kind, labels["category"].get(category, category),
            "是" if is_key else "", "、".join(names.get(pk, [])), "、".join(a[1] for a in lead),
            with_dates(by_role[Assignment.Role.CO].get(pk, [])),
            with_dates(by_role[Assignment.Role.SEPARATE].get(pk, [])), lead[0][2] if lead else None, lead_due_on,
            labels["status"].get(status, status), reply[1] if reply else "", reply[2] if reply else "",
            *("、".join(column) for column in rated),
        ]


def _filename(extension: str) -> str:
    return f"proposals-{timezone.localdate():%Y%m%d}.{extension}"


class _Echo:
    def write(self, value):
        return value


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...), @SUM(...), -2+cmd|...).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int | float:
    """One CSV cell, safe to open in a spreadsheet: numbers stay numbers (a negative Decimal is written as the
    number it is), None is empty, and text that starts like a formula is prefixed with ' so it stays text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return plain_decimal(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def streamed_csv(*, headers: list[str], rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """Rows streamed as UTF-8 CSV that Excel opens as Chinese; every CSV the app writes goes through here, and
    every cell through csv_cell."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel reads UTF-8 CSV as Chinese only with a BOM
        yield writer.writerow([csv_cell(value) for value in headers])
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    return attachment(StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8"), filename)


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XLSX_PARTS = {
    "[Content_Types].xml": (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/></Types>'),
    "_rels/.rels": (f'{_XML}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
                    f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML}<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/></Relationships>'),
    "xl/styles.xml": (  # style 1: dates as yyyy-mm-dd
        f'{_XML}<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
        '</numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2">'
        '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_EPOCH = date(1899, 12, 30)


def _cell(value) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, Decimal) and value.is_finite():
        return f"<c><v>{plain_decimal(value)}</v></c>"  # a number cell, written without an exponent
    if isinstance(value, date) and not isinstance(value, datetime):
        return f'<c s="1"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    return f'<c t="inlineStr"><is><t>{escape(_NOT_XML.sub("", str(value)))}</t></is></c>'


class _Sink(io.RawIOBase):
    """What the zip writer wrote since the last take(): it never seeks, so the zip streams."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def _display_width(value) -> int:
    """Characters a cell shows, a CJK (wide) character counting as two."""
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    text = plain_decimal(value) if isinstance(value, Decimal) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _columns(headers: list[str], sample: list[list]) -> str:
    """<cols> with each width fitted to the header and the first rows (the rest streams; a longer cell wraps)."""
    widths = [max(_display_width(row[i]) if i < len(row) else 0 for row in [headers, *sample])
              for i in range(len(headers))]
    return "<cols>" + "".join(f'<col min="{i + 1}" max="{i + 1}" width="{min(max(w, 4), 60) + 2}" customWidth="1"/>'
                              for i, w in enumerate(widths)) + "</cols>"


FIT_SAMPLE_ROWS = 500
_FROZEN_HEADER = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
                  ' state="frozen"/></sheetView></sheetViews>')


def xlsx_chunks(*, headers: list[str], rows: Iterable[list], sheet: str = "提案") -> Iterator[bytes]:
    """An .xlsx workbook of one sheet, written as its rows come (inline strings, numbers, dates), its header row
    frozen and filterable, its columns as wide as the header and the first 500 rows need: openpyxl spends ~25 µs a
    cell and holds the file until the end, 3.5 s before the first byte of 10 000 rows."""
    rows = iter(rows)
    sample = list(itertools.islice(rows, FIT_SAMPLE_ROWS))
    sink = _Sink()
    count = 0
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            batch = [f'{_XML}<worksheet xmlns="{_MAIN}">{_FROZEN_HEADER}{_columns(headers, sample)}<sheetData>'
                     f'<row>{"".join(map(_cell, headers))}</row>']
            for row in itertools.chain(sample, rows):
                count += 1
                batch.append(f'<row>{"".join(map(_cell, row))}</row>')
                if len(batch) >= 500:
                    part.write("".join(batch).encode())
                    batch.clear()
                    yield sink.take()
            last_column, last_row = _column_letter(len(headers) - 1), count + 1
            batch.append(f'</sheetData><autoFilter ref="A1:{last_column}{last_row}"/></worksheet>')
            part.write("".join(batch).encode())
        archive.writestr("xl/workbook.xml", f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
                                            f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets>'
                                            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0"'
                                            f' hidden="1">{escape(_quoted_sheet(sheet))}!$A$1:${last_column}${last_row}</definedName>'
                                            '</definedNames></workbook>')
    yield sink.take()


def _quoted_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def export_filename(*, stem: str, filters: dict, extension: str) -> str:
    """stem, the filter's chosen values and today's date: 提案-省科技厅-已超期-20261128.xlsx."""
    parts = [stem, *(re.sub(r'[\\/:*?"<>|\s]+', "_", str(value)).strip("_")[:30] for value in filters.values()
                     if value not in (None, "", False))]
    return "-".join([*filter(None, parts), f"{timezone.localdate():%Y%m%d}"]) + f".{extension}"


def attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition(filename, inline=False, default="export")
    return response


def csv_response(rows: Iterable[list], *, filename: str = "", terms: Terms = CPPCC_TERMS) -> StreamingHttpResponse:
    return streamed_csv(headers=export_headers(terms), rows=rows, filename=filename or _filename("csv"))


def xlsx_response(rows: Iterable[list], *, filename: str = "", terms: Terms = CPPCC_TERMS) -> StreamingHttpResponse:
    response = StreamingHttpResponse(xlsx_chunks(headers=export_headers(terms), rows=rows,
                                                 sheet=str(terms.proposal)), content_type=XLSX_TYPE)
    return attachment(response, filename or _filename("xlsx"))
