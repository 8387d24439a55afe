import reply_samples as S

from replies.parsing import parse_text

HEAD = "对省政协十二届五次会议第135号委员提案的答复\n吉科发办〔2022〕108号\n张三委员：\n您在省政协十二届五次会议上提出的《关于加快发展的建议》收悉。现答复如下：\n"
FOOT = "\n吉林省科学技术厅\n2022年7月6日\n联系电话：0431-88886666\n"


def indicators(body, **kw):
    return parse_text(HEAD + body + FOOT, **kw).indicators


def quantities(body, **kw):
    return [(i.value, i.unit) for i in indicators(body, **kw)]


def test_arabic_quantity_with_scaled_unit_has_base_value():
    (i,) = indicators("2021年度对324家企业补助2978.4万元。".replace("324家企业", "企业"))
    assert (i.value, i.unit, i.base_value, i.base_unit) == ("2978.4", "万元", "29784000", "元")
    assert i.year == 2021


def test_chinese_numeral_quantities_are_read():
    assert quantities("新建实训基地两个，投入一千二百万元，覆盖3.5万人。") == [
        ("2", "个"),
        ("1200", "万元"),
        ("3.5", "万人"),
    ]


def test_dates_document_proposal_and_phone_numbers_are_not_indicators():
    assert quantities("2021年7月6日，根据吉政发〔2021〕5号文件，第3批企业获得支持。") == []


def test_numeral_names_are_not_indicators():
    body = "实行“四免三贴”政策，建立“两纵三横”机制，落实“十四五”规划，研发国家一类新药，引进一批人才，一汽集团受益。"
    assert quantities(body) == []


def test_session_numbers_in_the_opening_are_not_indicators():
    assert quantities("我厅高度重视。") == []


def test_qualifiers_before_and_after_are_read():
    got = {
        (i.value, i.qualifier)
        for i in indicators(
            "累计争取资金近8亿元，将200多户企业纳入了后备库，节约成本970余万元，同比增长58.9%，认定企业1000户以上。"
        )
    }
    assert got == {("8", "近"), ("200", "多"), ("970", "余"), ("58.9", "同比增长"), ("1000", "以上")}


def test_year_comes_from_the_sentence_or_earlier_in_the_item():
    body = (
        "一、工作情况\n1.截至2022年1月末，全省企业2542户。其中，1月份获贷企业982户。\n"
        "2.推荐36名人才入选2021年度人才工程。18人次获得称号。"
    )
    got = {i.value: i.year for i in indicators(body)}
    assert got == {"2542": 2022, "982": 2022, "36": 2021, "18": 2021}


def test_comparison_base_year_is_not_the_year():
    (i,) = indicators("今年1至5月，全省企业达到500家，比2020年增长一倍。".replace("一倍", "较多"))
    assert i.year == 2022


def test_quantities_in_a_promise_are_targets():
    got = {i.value: i.is_target for i in indicators("2021年认定企业960家。下一步，将争取认定企业1000户以上。")}
    assert got == {"960": False, "1000": True}


def test_past_result_with_a_forward_word_is_not_a_target():
    (i,) = indicators("推荐企业享受补贴，累计争取稳岗补贴资金近8亿元。")
    assert not i.is_target


def test_quantities_in_a_plan_item_are_targets():
    body = (
        "一、加快构建职业教育体系\n1.认定177个研究生工作站，深入推进科教融合。\n"
        "2.打造技能品牌。实施好“双特色”项目，建设53所特色高水平职业学校、10所示范性县级职教中心。"
    )
    got = {i.value: i.is_target for i in indicators(body)}
    assert got == {"177": False, "53": True, "10": True}


def test_indicator_carries_sentence_section_and_span():
    r = parse_text(HEAD + "一、投入\n1.全年投入资金650万元。" + FOOT)
    (i,) = r.indicators
    assert r.text[i.start : i.end] == "650万元"
    assert i.sentence == "1.全年投入资金650万元。"
    assert i.section == "一.1"
    assert i.metric == "投入资金"


def test_table_like_block_yields_its_quantities():
    got = [(i.value, i.unit) for i in parse_text(S.NODATE).indicators]
    assert got[:4] == [("12", "家"), ("1500", "张"), ("8", "家"), ("960", "张")]


def test_ocr_slips_inside_numbers_do_not_hide_quantities():
    got = [(i.value, i.unit) for i in parse_text(S.OCR_LIKE, ocr=True).indicators]
    assert got == [("150", "所"), ("1200", "人次")]


def test_percent_and_points_units():
    assert quantities("通过率为56.27%，提高3个百分点。") == [("56.27", "%"), ("3", "个百分点")]


def test_no_indicators_outside_the_body():
    r = parse_text(HEAD + "正文没有数字。" + FOOT)
    assert r.indicators == ()


def test_counts_that_shape_the_text_are_not_indicators():
    assert quantities("我们从三个方面开展工作，落实两项措施，坚持“四个全面”。") == []


def test_figures_cited_from_the_proposal_are_marked():
    got = {i.value: i.source for i in indicators("您在提案中提到全省养老机构仅有300家。目前全省已建成养老机构420家。")}
    assert got == {"300": "proposal", "420": "reply"}


def test_figures_inside_a_quoted_policy_are_marked():
    (i,) = indicators("落实“高新技术企业减按15%征收企业所得税”政策。")
    assert (i.value, i.unit, i.source) == ("15", "%", "quote")


def test_mixed_big_units_in_chinese_numerals_are_read():
    got = [(i.value, i.unit, i.base_value) for i in indicators("共投入资金一亿二千万元，新建供水工程四十五处。")]
    assert got == [("12000", "万元", "120000000"), ("45", "处", "45")]


def test_percent_written_in_words_is_read():
    (i,) = indicators("水质达标率提高到百分之九十五。")
    assert (i.value, i.unit) == ("95", "%")


def test_target_year_is_the_year_it_is_due():
    (i,) = [
        i
        for i in indicators("力争到2025年底，基本完成2000年底前建成小区的改造，加装电梯3000台以上。")
        if i.value == "3000"
    ]
    assert i.is_target and i.year == 2025
