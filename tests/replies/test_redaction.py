"""Personal data found in a reply's text before publication: plain functions on strings, no database."""

from replies.redaction import MASK, find_personal_data, occurrences, redact

REPLY = """关于省政协十二届五次会议第135号提案的答复
李秀玉委员：
2022年投入资金12345678元，建成10幢标准厂房，见吉科发〔2022〕108号，电话会议于7月6日召开。
来信人家住长春市朝阳区红旗街万达小区3栋2单元501室，身份证号220102198507061234，手机138 1234 5678。
咨询电话0431-88889999转12，或（0431）85556666，邮箱zhang.san@jl.gov.cn。
联系人：张三
联 系 电 话：0431-88776655
经办人：李四
"""


def found(text):
    return {(span.kind, span.text_in(text)) for span in find_personal_data(text)}


def test_phone_numbers_id_cards_and_e_mail_addresses_are_found():
    assert {("mobile", "138 1234 5678"), ("landline", "0431-88889999转12"), ("landline", "（0431）85556666"),
            ("id_card", "220102198507061234"), ("email", "zhang.san@jl.gov.cn")} <= found(REPLY)


def test_the_contact_footer_values_are_found_but_not_their_labels():
    spans = found(REPLY)
    assert ("footer", "张三") in spans and ("footer", "李四") in spans
    assert any(text == "0431-88776655" for _kind, text in spans)
    assert not any("联系人" in text or "经办人" in text for _kind, text in spans)


def test_a_private_persons_flat_is_found_from_the_street_on():
    assert ("address", "长春市朝阳区红旗街万达小区3栋2单元501室") in found(REPLY)
    assert ("address", "南关区幸福路12号3号楼2单元301室") in found("在南关区幸福路12号3号楼2单元301室居住的群众")


def test_amounts_dates_buildings_and_document_numbers_are_not_personal_data():
    text = "投入资金12345678元，2022年7月6日建成10幢厂房，吉科发〔2022〕108号，编号20220706。电话会议已召开。"
    assert find_personal_data(text) == []


def test_an_id_card_number_is_not_also_read_as_a_phone_number():
    assert found("身份证22010219850706123X") == {("id_card", "22010219850706123X")}


def test_redacting_hides_each_span_and_its_length():
    text = "请与张三联系，手机13812345678，邮箱a@b.cn。"
    spans = [(span.start, span.end) for span in find_personal_data(text)]
    redacted = redact(text, spans)
    assert "13812345678" not in redacted and "a@b.cn" not in redacted
    assert redacted.count(MASK) == 2
    assert redact("甲乙丙丁", [(0, 2), (1, 3)]) == MASK + "丁"


def test_a_typed_string_is_found_at_every_occurrence():
    assert occurrences("王五来信，王五再次来信", " 王五 ") == [(0, 2), (5, 7)]
    assert occurrences("王五来信", "   ") == []


def test_the_redaction_modules_import_no_django():
    import subprocess
    import sys

    code = "import sys, replies.redaction, replies.redacted_pdf; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
