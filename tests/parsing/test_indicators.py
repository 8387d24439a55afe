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


def by_value(body, **kw):
    return {i.value: i for i in indicators(body, **kw)}


def test_present_stock_and_running_totals_carry_no_year_but_the_reply_date():
    got = by_value("2021年新建养老机构3家。目前全县已有养老机构11家，累计投入资金800万元。")
    assert (got["3"].year, got["3"].as_of) == (2021, None)
    assert (got["11"].year, got["11"].as_of) == (None, "2022-07-06")
    assert (got["800"].year, got["800"].as_of) == (None, "2022-07-06")


def test_a_running_total_with_a_stated_year_keeps_it():
    got = by_value("2021年度，两家银行累计支持科技企业160户。")
    assert got["160"].year == 2021


def test_figures_after_a_range_or_since_a_year_carry_no_single_year():
    got = by_value("2019-2021年，全市新建公厕120座。2018年以来，共改造老旧小区35个。")
    assert got["120"].year is None and got["35"].year is None


def test_this_year_to_date_is_the_reply_year():
    (i,) = indicators("今年以来，公路养护累计清扫路面23784km。")
    assert (i.year, i.unit) == (2022, "km")


def test_a_year_is_not_carried_from_a_sentence_comparing_two_years():
    body = "全县2013年划定基本农田28.56万亩，2020年划定26.74万亩。两者重叠面积23.49万亩，套合率87.84%。"
    got = by_value(body)
    assert (got["28.56"].year, got["26.74"].year) == (2013, 2020)
    assert got["23.49"].year is None and got["87.84"].year is None


def test_a_year_later_in_another_clause_does_not_date_a_figure():
    (i, *_) = indicators("我县共建设养老机构3家，2021年积极申报了日间照料中心项目。")
    assert (i.value, i.year) == ("3", None)


def test_the_starting_year_of_a_change_dates_only_the_starting_figure():
    got = by_value("2021年，公办园覆盖面从2020年的27%提升至55%。")
    assert (got["27"].year, got["55"].year) == (2020, 2021)


def test_a_year_glued_to_its_month_still_dates_the_figure():
    (i,) = indicators("截至20223月，全市共有1496个行政村建有污水处理设施。")
    assert i.year == 2022


def test_a_plan_later_in_the_sentence_does_not_make_a_reported_figure_a_target():
    got = by_value("我县共建设养老机构3家，日间照料中心9所，市局已审批通过，下一步实施动工。")
    assert not got["3"].is_target and not got["9"].is_target


def test_a_rule_quoted_from_a_document_is_not_a_target():
    (i, _) = indicators("该文规定：“小学、初中规模不超过2000人，九年一贯制学校不超过2500人”。")
    assert (i.value, i.is_target, i.source) == ("2000", False, "quote")


def test_what_a_project_under_way_will_give_is_a_target():
    got = by_value("正在进行停车场建设，建成后可新增133个停车位。停车场计划可同时容纳130辆大型车辆停放。")
    assert got["133"].is_target and got["130"].is_target


def test_a_promise_over_already_built_facilities_is_a_target():
    (i,) = indicators("同时，确保已建设施正常运行率稳定在80%以上。")
    assert i.is_target


def test_a_figure_before_a_plan_word_that_starts_a_new_line_is_not_a_target():
    got = by_value("2021年完成农村黑臭水体治理94处，治理率72.87%\n下一步，我市将新增完成390个行政村污水治理。")
    assert not got["72.87"].is_target and got["390"].is_target


def test_units_of_area_length_volume_and_rates_are_read():
    assert quantities("改造面积13万平米，铺设管道28km，年减少开采210万m³，处理规模达15万吨/日，安装路灯120盏。") == [
        ("13", "万平米"),
        ("28", "km"),
        ("210", "万m³"),
        ("15", "万吨/日"),
        ("120", "盏"),
    ]


def test_secondary_and_references_back_are_not_counts():
    assert quantities("结合下线车二次调配工作，这两批项目的实施改善了通行条件。") == []


def labels(body):
    return {i.value: i.metric for i in indicators(body)}


def test_a_count_is_labelled_by_what_it_counts():
    got = labels(
        "新获批1家高等学校学科创新引智基地，在相关专业共建50个“吉林工匠学徒班”，129个村委会已有103个通了农村客运。"
    )
    assert got == {"1": "高等学校学科创新引智基地", "50": "吉林工匠学徒班", "129": "村委会", "103": "通农村客运"}


def test_a_count_followed_by_a_modifier_is_labelled_by_its_head_noun():
    assert labels("逐步配备1名心理学专业的专职心理健康教育教师。") == {"1": "专职心理健康教育教师"}


def test_a_count_whose_noun_is_generic_takes_the_predicate_or_the_phrase_before():
    got = labels("共有1706家企业提交了申请材料，18人次获得国家各类人才称号。由各乡镇建设了道路硬化工程62个项目。")
    assert got == {"1706": "提交申请材料企业", "18": "获得国家各类人才称号", "62": "道路硬化工程项目"}


def test_a_value_is_labelled_by_the_noun_phrase_before_it_without_verbs_of_reporting():
    got = labels("2021年，全省知识产权质押融资额达到22.95亿元。截至目前，全省技术经纪人达到1198名，通过率为56.27%。")
    assert got == {"22.95": "知识产权质押融资额", "1198": "技术经纪人", "56.27": "通过率"}


def test_a_share_is_labelled_by_what_it_is_a_share_of():
    got = labels("研发费用合计369.78亿元，占当年销售收入8600.62亿元的4.30%。")
    assert got["4.30"] == "占销售收入比重"


def test_money_spent_on_something_is_labelled_by_what_it_supports():
    assert (
        labels("投入1980万元支持75项中青年科技创新创业卓越人才（团队）。")["1980"] == "中青年科技创新创业卓越人才投入"
    )


def test_the_figure_after_a_change_shares_the_subject_of_the_change():
    assert labels("2022年，公办园覆盖面从2021年的27%提升至55%。") == {"27": "公办园覆盖面", "55": "公办园覆盖面"}


def test_a_total_after_a_list_is_labelled_by_the_topic_of_the_list():
    got = labels("目前已建成并投入使用的公共停车场有鹿塬街、咸宁东路等，共计15处，1365个停车位。")
    assert got == {"15": "公共停车场", "1365": "停车位"}


def test_a_size_is_labelled_by_what_it_measures():
    assert labels("只修建了4.5米宽的柏油路面。")["4.5"] == "柏油路面宽度"


def test_a_label_holds_no_other_figure_and_no_item_number():
    got = labels("1.全年投入资金650万元。2018年末，我县农村公路共390条2576.548公里。")
    assert got["650"] == "投入资金"
    assert got["2576.548"] == "农村公路"
    assert not any(ch.isdigit() for label in got.values() for ch in label)


def test_a_running_total_under_a_goal_year_is_a_target_and_one_obtained_is_not():
    got = by_value("到2025年，全市累计建成5G基站1万个。推荐企业享受补贴，累计争取稳岗补贴资金近8亿元。")
    assert (got["1"].is_target, got["1"].year, got["1"].metric) == (True, 2025, "建成5G基站")
    assert not got["8"].is_target


def test_a_share_or_change_right_after_a_figure_is_labelled_by_that_figure():
    got = labels("截至2021年底，市区老年人口24.24万人，占15.93%。全市老龄人口达12万人，比2020年增加5000人。")
    assert (got["15.93"], got["5000"]) == ("市区老年人口占比", "老龄人口增加")


def test_digits_that_name_rather_than_measure_stay_in_the_label():
    got = labels("全市60岁以上老年人口84.77万人。下一步，将新建4A级旅游景区2个、5G基站300个。")
    assert got == {"84.77": "60岁以上老年人口", "2": "新建4A级旅游景区", "300": "5G基站"}


# http://fgw.gxzf.gov.cn/zfxxgkzl/fdzdgknr/jytajggk/zxwy/t11051427.shtml (a 2021 reply)
GUANGXI = (
    "“十三五”期间，推进实施健康扶贫工程，争取中央资金43亿元，支持我区99个县级综合医院(含中医院)建设；"
    "推进实施妇幼健康保障工程，争取4.2亿元支持我区33个(区市县三级)妇幼保健院建设。"
    "下一步，我委将积极对接国家有关部委，争取更多资金支持我区公共卫生基础设施建设。"
)


def test_money_obtained_in_a_past_plan_period_is_no_target_and_has_no_single_year():
    got = by_value(GUANGXI)
    assert not any(i.is_target for i in got.values())
    assert {i.year for i in got.values()} == {None}
    assert (got["33"].metric, got["4.2"].metric) == ("妇幼保健院", "妇幼保健院投入")


# https://cqrd.gov.cn/site/article/1217487711340351488/web/content_1217487711340351488.html
def test_since_an_event_of_a_year_dates_no_figure_and_a_plan_after_the_counted_subject_is_a_target():
    got = by_value(
        "2020年新冠肺炎疫情发生以来，全市建设4所公共卫生应急医院，共设固定床位1250张。"
        "渝西片区建设的2家公共卫生应急医院拟于今年上半年投用。2020年安排专项经费约4775万元，占安排区县经费的比例达到7.83%。"
    )
    assert (got["4"].year, got["1250"].year, got["4"].metric) == (None, None, "公共卫生应急医院")
    assert (got["2"].is_target, got["2"].metric) == (True, "公共卫生应急医院")
    assert (got["7.83"].year, got["7.83"].metric) == (2020, "占安排区县经费比例")


# https://fswh.gov.cn/zfxxgk/ins.asp?i=17939&s=20514
def test_an_area_followed_by_what_it_measures_is_labelled_by_it():
    got = labels("在2023年对塔峪镇9个行政村的1.4万亩集中连片农田提前实施高标准农田建设。全国要建成10亿亩高标准农田。")
    assert (got["1.4"], got["10"]) == ("集中连片农田面积", "高标准农田面积")


# http://cnzheou.com/37586/38025/38495/content_2212823.html (岳阳县教育体育局, 2024)
def test_a_figure_dated_after_the_reply_is_a_target():
    got = by_value("2022年将新长征小学改扩建成42个班。2023年在新长征新建1所公办幼儿园。")
    assert (got["1"].year, got["1"].is_target, got["1"].metric) == (2023, True, "公办幼儿园")


# http://www.huanqiuguoji.net/bmxxgk/zfgzjg/qjyj/fdzdgknr/qtzdgknr/jytabl/202310/t20231008_2275802.shtml
def test_a_place_named_with_a_numeral_is_not_a_count_and_a_measure_phrase_starts_a_label():
    got = by_value("关于加快推进四台地区小学建设的建议。在三村片区布局一所占地约30亩，办学规模为18个班的四台小学。")
    assert set(got) == {"30", "18"}
    assert got["30"].metric == "占地面积"


# https://www.xifeng.gov.cn/zwgk/zdlygk/jytabl_5741631/dbjydf_5741632/201810/t20181028_62998410.html
def test_a_total_after_a_list_of_built_things_is_labelled_by_the_last_of_them():
    got = labels("先后修建了青山苗族乡教师周转房、鹿窝乡教师公租房、温泉镇教师周转房,总共220套,解决了老师留宿问题。")
    assert got == {"220": "温泉镇教师周转房"}


def test_a_threshold_that_picks_out_a_noun_is_not_a_target():
    got = by_value("为各中小学至少配备1名兼职教师，对超过1000人规模的学校逐步配备1名专职心理健康教育教师。")
    assert not got["1000"].is_target
