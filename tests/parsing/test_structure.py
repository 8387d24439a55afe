import reply_samples as S

from replies.parsing import parse_text

NESTED = """对省政协十二届五次会议第1号提案的答复
张三委员：
您提出的《关于XX的提案》收悉。现答复如下：
一、关于资金
（一）省级资金。2021年安排资金500万元。
（二）市级资金。2021年安排资金300万元。
二、关于人才
1.引进人才。引进博士20名。
2.培养人才。培养技术骨干150名。
(1)这是第三级，不是第二级。
下一步，我们将继续加大投入。
再次感谢您的关心和支持。
省科技厅
2022年7月1日
"""


def test_sections_and_items_are_found_with_paths():
    r = parse_text(NESTED)
    assert [(s.path, s.heading) for s in r.sections] == [("一", "关于资金"), ("二", "关于人才")]
    assert [i.path for i in r.sections[0].items] == ["一.一", "一.二"]
    assert [(i.path, i.heading) for i in r.sections[1].items] == [("二.1", "引进人才"), ("二.2", "培养人才")]


def test_section_spans_stop_before_the_closing():
    r = parse_text(NESTED)
    last = r.sections[-1]
    assert r.text[r.closing.start :].startswith("下一步")
    assert last.end <= r.closing.start
    assert "下一步" not in r.text[last.start : last.end]


def test_opening_span_covers_the_acknowledgement():
    r = parse_text(NESTED)
    assert r.text[r.opening.start : r.opening.end] == "您提出的《关于XX的提案》收悉。现答复如下："


def test_closing_ends_before_the_signature():
    r = parse_text(NESTED)
    closing = r.text[r.closing.start : r.closing.end]
    assert closing.endswith("再次感谢您的关心和支持。")
    assert "省科技厅" not in closing


def test_next_step_inside_an_early_section_is_not_the_closing():
    text = (
        "对省政协十二届五次会议第1号提案的答复\n张三委员：\n您提出的提案收悉。现答复如下：\n"
        "一、关于资金\n今年安排资金500万元。\n下一步，将继续安排。\n二、关于人才\n引进博士20名。\n省科技厅\n2022年7月1日\n"
    )
    r = parse_text(text)
    assert r.closing is None
    assert [s.path for s in r.sections] == ["一", "二"]


def test_reply_without_numbered_sections_has_none():
    r = parse_text(S.COOP)
    assert r.sections == ()
    assert r.opening is not None


def test_numbers_that_do_not_continue_a_sequence_are_not_items():
    text = (
        "对省政协十二届五次会议第1号提案的答复\n张三委员：\n您提出的提案收悉。现答复如下：\n"
        "一、关于资金\n1.安排资金。\n5.这一行只是以数字开头。\n2.下达资金。\n省科技厅\n2022年7月1日\n"
    )
    r = parse_text(text)
    assert [i.path for i in r.sections[0].items] == ["一.1", "一.2"]


def test_arabic_sections_with_bracketed_items():
    text = (
        "对省政协十二届五次会议第1号提案的答复\n张三委员：\n您提出的提案收悉。现答复如下：\n"
        "1.关于资金\n(1)安排资金500万元。\n(2)下达资金300万元。\n2.关于人才\n引进博士20名。\n省科技厅\n2022年7月1日\n"
    )
    r = parse_text(text)
    assert [s.path for s in r.sections] == ["1", "2"]
    assert [i.path for i in r.sections[0].items] == ["1.1", "1.2"]
    assert [i.section for i in r.indicators] == ["1.1", "1.2", "2"]
