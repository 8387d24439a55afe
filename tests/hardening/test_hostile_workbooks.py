"""A hostile or broken .xlsx catalogue is refused with a message, never a 500 and never parsed with entities."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from proposals.catalogue import COLUMNS, CatalogueError, read_catalogue
from proposals.models import Proposal
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                     for n in range(1, 10))
          + b"]>")
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _workbook() -> bytes:
    book = Workbook()
    book.active.append(COLUMNS)
    book.active.append(["十二届五次会议", 135, "关于加快高新技术产业的建议", "", "", "", "李秀玉", "", "", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_part(data: bytes, name: str, transform) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            target.writestr(member, transform(content) if member.filename == name else content)
    return out.getvalue()


def _body(content: bytes) -> bytes:
    return content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content


def _hostile_sheet(prolog: bytes, entity: bytes) -> bytes:
    def transform(content: bytes) -> bytes:
        body = _body(content)
        return prolog + body.replace(b"<sheetData>", b"<sheetData>" + entity, 1)
    return _with_part(_workbook(), "xl/worksheets/sheet1.xml", transform)


def _post(client, data: bytes, name="目录.xlsx"):
    return client.post(reverse("proposals:import"), {"file": SimpleUploadedFile(name, data)})


def test_a_valid_workbook_still_reads():
    SessionFactory(name="十二届五次会议")
    rows = read_catalogue(_workbook())
    assert [row.number for row in rows] == [135]


@pytest.mark.parametrize("prolog,entity", [(LAUGHS, b""), (LAUGHS, b"<!-- &lol9; -->"), (EXTERNAL, b"")],
                         ids=["billion-laughs", "billion-laughs-used", "external-entity"])
def test_a_workbook_with_a_dtd_or_entity_is_refused_with_a_message(client, staff_user, prolog, entity):
    client.force_login(staff_user)
    response = _post(client, _hostile_sheet(prolog, entity))
    assert response.status_code == 200
    assert "文档类型声明（DTD）或实体定义" in response.context["error"]
    assert not Proposal.objects.exists()


def test_an_entity_hidden_in_the_shared_strings_is_refused():
    data = _with_part(_workbook(), "[Content_Types].xml", lambda content: EXTERNAL + _body(content))
    with pytest.raises(CatalogueError, match="DTD"):
        read_catalogue(data)


def test_a_utf16_part_that_would_hide_a_declaration_is_refused():
    data = _with_part(_workbook(), "xl/workbook.xml",
                      lambda content: content.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
                      .encode("utf-16"))
    with pytest.raises(CatalogueError):
        read_catalogue(data)


@pytest.mark.parametrize("data,message", [
    (b"%PDF-1.7 not a workbook", "无法读取 Excel 文件"),
    (b"PK\x03\x04" + b"\x00" * 40, "无法读取 Excel 文件"),
    ("提案号,案由\n1,x\n".encode(), "无法读取 Excel 文件"),
], ids=["pdf", "broken-zip", "csv"])
def test_a_file_that_is_not_an_xlsx_gives_a_message(client, staff_user, data, message):
    client.force_login(staff_user)
    response = _post(client, data)
    assert response.status_code == 200 and message in response.context["error"]


def test_a_truncated_workbook_gives_a_message(client, staff_user):
    client.force_login(staff_user)
    data = _workbook()
    response = _post(client, data[: len(data) * 2 // 3])
    assert response.status_code == 200 and response.context["error"]


def test_a_zip_without_a_workbook_gives_a_message(client, staff_user):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    client.force_login(staff_user)
    response = _post(client, out.getvalue())
    assert response.status_code == 200 and "无法读取 Excel 文件" in response.context["error"]


def test_a_sheet_part_that_breaks_while_rows_are_read_gives_a_message():
    data = _with_part(_workbook(), "xl/worksheets/sheet1.xml", lambda content: content[: len(content) // 2])
    with pytest.raises(CatalogueError):
        read_catalogue(data)
