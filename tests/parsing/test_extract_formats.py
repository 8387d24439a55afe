""".docx (written with python-docx) and .ofd parse like a PDF; .doc/.wps and other files are refused with advice."""

import zipfile

import docx
import pytest

from replies.parsing import parse_file
from replies.parsing.errors import ParseError
from replies.parsing.extract import Limits, extract_file, inspect_reply
from tests.corpus import CORPUS
from tests.ofd_files import ofd, text_object

REPLY_LINES = (CORPUS / "reply.txt").read_text(encoding="utf-8").splitlines()


def reply_docx(dest, lines):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(dest)
    return dest


def reply_ofd(dest, lines, per_page=30):
    """The lines set 8 mm apart, written in reverse order within each page as some producers do."""
    pages = []
    for start in range(0, len(lines), per_page):
        chunk = lines[start : start + per_page]
        objects = [text_object(25, 30 + 8 * n, line, object_id=n + 1) for n, line in enumerate(chunk) if line]
        pages.append(objects[::-1])
    return ofd(dest, pages)


def test_docx_written_by_word_parses_like_the_text_reply(tmp_path):
    path = reply_docx(tmp_path / "reply.docx", REPLY_LINES)

    from_docx = parse_file(path).to_dict()
    from_text = parse_file(CORPUS / "reply.txt").to_dict()

    assert from_docx["header"] == from_text["header"]
    assert [i["value"] for i in from_docx["indicators"]] == [i["value"] for i in from_text["indicators"]]
    assert len(from_docx["commitments"]) == len(from_text["commitments"])


def test_ofd_text_comes_in_reading_order_with_pages_split_by_form_feeds(tmp_path):
    path = ofd(tmp_path / "reply.ofd", [
        [text_object(25, 60, "现答复如下："), text_object(25, 40, "吉科发办〔2022〕108号"),
         text_object(120, 40.3, "签发人：张三")],
        [text_object(25, 40, "吉林省科学技术厅")],
    ])

    result = extract_file(path)

    assert result.text == "吉科发办〔2022〕108号 签发人：张三\n现答复如下：\f吉林省科学技术厅"
    assert result.pages == 2 and not result.ocr


def test_ofd_reply_parses_like_the_text_reply(tmp_path):
    path = reply_ofd(tmp_path / "reply.ofd", REPLY_LINES)

    from_ofd = parse_file(path).to_dict()
    from_text = parse_file(CORPUS / "reply.txt").to_dict()

    assert from_ofd["header"] == from_text["header"]
    assert [i["value"] for i in from_ofd["indicators"]] == [i["value"] for i in from_text["indicators"]]


def test_ofd_page_locations_may_be_absolute(tmp_path):
    path = ofd(tmp_path / "reply.ofd", [[text_object(25, 40, "第一页")], [text_object(25, 40, "第二页")]],
               absolute=True)

    assert extract_file(path).text == "第一页\f第二页"


def replace_member(path, name, data=None):
    """Rewrite the zip at path with member name replaced by data, or dropped when data is None."""
    with zipfile.ZipFile(path) as archive:
        kept = {member: archive.read(member) for member in archive.namelist() if member != name}
    if data is not None:
        kept[name] = data
    with zipfile.ZipFile(path, "w") as archive:
        for member, content in kept.items():
            archive.writestr(member, content)


def test_ofd_missing_its_page_is_reported_corrupt(tmp_path):
    path = ofd(tmp_path / "reply.ofd", [[text_object(25, 40, "第一页")]])
    replace_member(path, "Doc_0/Pages/Page_0/Content.xml")

    with pytest.raises(ParseError, match="OFD 文件缺少"):
        extract_file(path)


def test_ofd_with_an_entity_bomb_is_refused(tmp_path):
    path = ofd(tmp_path / "reply.ofd", [[text_object(25, 40, "第一页")]])
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>&b;</ofd:DocRoot>'
            "</ofd:DocBody></ofd:OFD>")
    replace_member(path, "OFD.xml", bomb)

    with pytest.raises(ParseError, match="OFD"):
        extract_file(path)


@pytest.mark.parametrize("name", ["reply.wps", "reply.doc", "reply.bin"])
def test_wps_and_legacy_word_files_are_refused_with_advice_to_save_as_pdf_docx_or_ofd(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))

    with pytest.raises(ParseError) as error:
        extract_file(path)

    assert "请另存为 PDF、DOCX 或 OFD" in str(error.value)


def test_wps_named_file_of_unknown_content_gets_the_same_advice(tmp_path):
    path = tmp_path / "答复.wps"
    path.write_bytes(b"\x00\x01binary wps body" * 20)

    with pytest.raises(ParseError, match="PDF、DOCX 或 OFD"):
        extract_file(path)


def test_zip_that_is_neither_docx_nor_ofd_is_refused_with_advice(tmp_path):
    path = tmp_path / "reply.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "x")

    with pytest.raises(ParseError, match="PDF、DOCX 或 OFD"):
        extract_file(path)


# -------------------------------------------------------------------------------------------- inspect_reply


def test_inspect_reply_counts_the_pages_of_pdf_docx_and_ofd(tmp_path):
    assert inspect_reply(CORPUS / "reply.pdf") == 8
    assert inspect_reply(reply_docx(tmp_path / "reply.docx", ["吉科发办〔2022〕108号", "现答复如下："])) == 1
    assert inspect_reply(reply_ofd(tmp_path / "reply.ofd", REPLY_LINES, per_page=25)) == -(-len(REPLY_LINES) // 25)


def test_inspect_reply_takes_bytes_and_judges_by_content_not_name(tmp_path):
    data = reply_docx(tmp_path / "reply.docx", ["现答复如下："]).read_bytes()

    assert inspect_reply(data, name="reply.pdf") == 1


def test_inspect_reply_refuses_plain_text_and_an_ofd_without_text(tmp_path):
    with pytest.raises(ParseError, match="不支持的文件类型"):
        inspect_reply("现答复如下：".encode())
    with pytest.raises(ParseError, match="没有可读取的文字"):
        inspect_reply(ofd(tmp_path / "scan.ofd", [[]]))


def test_inspect_reply_applies_the_page_limit_to_ofd(tmp_path):
    path = ofd(tmp_path / "reply.ofd", [[text_object(25, 40, f"第{n}页")] for n in range(3)])

    with pytest.raises(ParseError, match="页数过多"):
        inspect_reply(path, Limits(max_pages=2))


def test_ofd_pages_together_may_not_inflate_past_the_budget(tmp_path, monkeypatch):
    from replies.parsing import extract

    monkeypatch.setattr(extract, "MAX_XML_BYTES", 4000)
    path = ofd(tmp_path / "reply.ofd", [[text_object(25, 40, "答复" * 100)] for _ in range(6)])

    with pytest.raises(ParseError, match="过大"):
        extract_file(path)
