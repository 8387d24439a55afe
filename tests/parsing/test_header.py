import reply_samples as S

from replies.parsing import parse_text


def header(text, **kw):
    return parse_text(text, **kw).header


def test_npc_suggestion_reply_header_is_read():
    h = header(S.NPC)
    assert h.title == "关于市十六届人大三次会议第0123号建议的答复"
    assert h.doc_number == "京交函[2023]12号"
    assert (h.committee, h.session) == ("市人大", "十六届三次会议")
    assert h.proposal_number == "0123"
    assert (h.addressee, h.addressee_role) == ("张三", "代表")
    assert h.proposal_title == "关于优化公交线路的建议"


def test_category_letter_on_the_first_line_is_read():
    assert header(S.NPC).category == "B"


def test_chinese_numeral_date_is_read_as_iso():
    h = header(S.NPC)
    assert h.reply_date == "2023-05-10"
    assert h.department == "北京市交通委员会"


def test_contact_and_copies_after_the_date_are_read():
    h = header(S.NPC)
    assert (h.contact, h.phone) == ("李四", "010-12345678")
    assert h.copies == "市人大常委会代表工作委员会,市政府督查室"
    assert h.reply_date == "2023-05-10"


def test_collective_proposal_is_addressed_to_a_body():
    h = header(S.COLLECTIVE)
    assert (h.addressee, h.addressee_role) == ("民盟吉林省委", "集体")
    assert h.committee == "省政协"
    assert h.category == "A"
    assert h.title == "对省政协十二届五次会议第0088号提案的答复"


def test_cooperation_opinion_is_addressed_to_the_lead_department():
    h = header(S.COOP)
    assert (h.addressee, h.addressee_role) == ("省教育厅", "主办单位")
    assert h.proposal_number == "20230056"
    assert h.department == "吉林省财政厅"
    assert (h.contact, h.phone) == ("王五", "0431-88886666")
    assert h.doc_number is None


def test_reply_without_date_keeps_department_and_leaves_date_null():
    h = header(S.NODATE)
    assert h.reply_date is None
    assert h.department == "市民政局"
    assert h.proposal_title == "关于加快养老服务发展的提案"


def test_several_addressees_are_kept_together():
    h = header(S.PDF_LIKE)
    assert (h.addressee, h.addressee_role) == ("李明、王芳", "委员")
    assert h.doc_number == "某科函〔2023〕31号"
    assert h.reply_date == "2023-06-12"


def test_letter_spaced_ocr_header_is_read():
    h = header(S.OCR_LIKE, ocr=True)
    assert h.doc_number == "吉科发办〔2022〕108号"
    assert h.session == "十二届五次会议"
    assert h.addressee == "李秀玉"
    assert h.department == "吉林省科学技术厅"
    assert h.reply_date == "2022-07-06"


def test_category_in_the_title_is_read():
    h = header(S.CATEGORY_IN_TITLE)
    assert h.category == "C"
    assert h.addressee == "张三"


def test_category_fused_onto_the_document_number_is_read():
    h = header(S.CATEGORY_FUSED)
    assert h.category == "B"
    assert h.doc_number == "吉交函〔2022〕88号"


def test_category_stated_in_words_in_the_footer_is_read():
    h = header(S.CATEGORY_WORDING)
    assert h.category == "C"
    assert h.department == "省财政厅"


def test_no_category_stays_null():
    assert header(S.PDF_LIKE).category is None


def test_session_with_ordinals_and_full_committee_name():
    text = (
        "关于中国人民政治协商会议吉林省第十二届委员会第五次会议第135号提案的答复\n张三委员：\n"
        "您提出的提案收悉。现答复如下：\n正文。\n"
    )
    h = header(text)
    assert h.session == "第十二届第五次会议"
    assert h.committee == "吉林省政协"


def test_national_npc_session_is_read():
    h = header("对十四届全国人大一次会议第1234号建议的答复\n张三代表：\n您提出的建议收悉。现答复如下：\n正文。\n")
    assert (h.committee, h.session) == ("全国人大", "十四届一次会议")
    assert h.proposal_number == "1234"


def test_ascii_colon_salutation_and_bracket_variant():
    h = header(
        "对市政协第十四届第二次会议第0135号提案的答复\n京政办函[2023]12号\n王五委员:\n"
        "您提出的《关于加强垃圾分类的提案》收悉,现答复如下:\n正文。\n"
    )
    assert h.doc_number == "京政办函[2023]12号"
    assert h.session == "第十四届第二次会议"
    assert h.addressee == "王五"
    assert h.proposal_number == "0135"


def test_date_without_department_and_spaced_contact_labels():
    h = header(S.DISTRICT)
    assert h.reply_date == "2021-09-03"
    assert h.department is None
    assert h.contact == "孙七"
    assert h.phone == "66118822"
    assert h.copies == "区政协办公室、区政府督查室"
    assert (h.addressee, h.addressee_role) == ("赵六", "委员")


def test_salutation_on_the_opening_line_and_no_header_doc_number():
    h = header(S.ONE_LINE_OPENING)
    assert (h.addressee, h.addressee_role) == ("周八", "委员")
    assert h.doc_number is None  # the number cited in the body is not the reply's
    assert h.proposal_title == "关于推进智慧社区建设的提案"
    assert h.department == "市政务服务中心"


def test_city_congress_session_written_in_full():
    h = header(
        "关于市第十六届人民代表大会第三次会议第88号建议的答复\n张三代表：\n您提出的建议收悉。现答复如下：\n正文。\n"
    )
    assert (h.committee, h.session) == ("市人大", "第十六届第三次会议")


# https://www.yaoan.gov.cn (copy at http://stored777.com/Pages_315_31091.aspx): a county NPC reply, 等12位代表
YAOAN = """姚安县交通运输局关于对姚安县第十七届人民代表大会第一次会议第48号建议案的答复
来源: 姚安县交通运输局 | 访问量:3487 | 发布时间: 2017/6/30 16:31:56

王学菊等12位代表:

在姚安县第十七届人民代表大会第一次会议上,你们提出了《大龙口村黄上、下移民搬迁村内水泥路硬化工程》的建议,\
会议主席团已将此列为第48号建议案,交我局研究办理,现答复如下:

下一步我局也将加强与上述部门对接,争取项目早日落地实施,尽快改善群众出行条件。

感谢你们对交通运输事业的关心和支持,还希望今后对我们提出更好的意见和建议,支持、协助姚安交通运输事业的发展。

                                         姚安县交通运输局

                                         2017年6月23日
"""


def test_county_npc_reply_to_several_deputies_is_read_from_its_own_words():
    h = header(YAOAN)
    assert (h.addressee, h.addressee_role) == ("王学菊", "代表")
    assert h.proposal_number == "48"
    assert h.proposal_title == "大龙口村黄上、下移民搬迁村内水泥路硬化工程"
    assert (h.department, h.reply_date) == ("姚安县交通运输局", "2017-06-23")
    assert h.category is None


def _reply(head: str, foot: str = "\n市交通运输局\n2023年7月17日\n") -> str:
    return head + "\n您提出的《关于优化公交线路的建议》收悉,现答复如下:\n我局已开通线路2条。\n" + foot


def test_reply_date_is_read_in_every_written_form():
    for written, iso in [
        ("2023年7月17日", "2023-07-17"),
        ("二〇二三年七月十七日", "2023-07-17"),
        ("二O二三年七月十七日", "2023-07-17"),
        ("2023.7.17", "2023-07-17"),
        ("2023-07-17", "2023-07-17"),
        ("2023/7/17", "2023-07-17"),
    ]:
        assert header(_reply("张三代表:", f"\n市交通运输局\n{written}\n")).reply_date == iso, written


def test_date_that_lost_its_characters_is_read_only_when_one_reading_fits():
    assert header(_reply("张三代表:", "\n市交通运输局\n2017821\n")).reply_date == "2017-08-21"
    assert header(_reply("张三代表:", "\n市交通运输局\n2023828日\n")).reply_date == "2023-08-28"
    assert header(_reply("张三代表:", "\n市交通运输局\n2017111\n")).reply_date is None


def test_unsigned_reply_takes_its_department_from_the_title():
    h = header(_reply("安宁市交通运输局关于对安宁市人大六届二次会议第28号建议的答复\n龙海涛代表:", "\n"))
    assert h.department == "安宁市交通运输局"
    assert h.reply_date is None


def test_signature_abbreviation_gives_way_to_the_full_name_in_the_head():
    h = header(_reply("潼关县民政局\n关于对政协十届三次会议第52号提案的答复\n马青委员:", "\n民政局\n2024年6月27日\n"))
    assert h.department == "潼关县民政局"


def test_department_with_a_second_name_in_brackets_is_kept_whole():
    h = header(_reply("周益宝代表:", "\n安康市住房和城乡建设局(市人民防空办公室)\n2022年9月3日\n"))
    assert h.department == "安康市住房和城乡建设局(市人民防空办公室)"


def test_proposal_numbers_with_letters_and_prefixes_are_kept_whole():
    for title, number in [
        ("关于市政协十五届三次会议第2025D048号提案的答复", "2025D048"),
        ("关于省人大十四届二次会议第DH0271号建议的答复", "DH0271"),
        ("关于政协第闭08号提案的答复", "闭08"),
        ("关于市五届人大一次会议第13、53号建议的复函", "13、53"),
        ("市政协十二届四次会议《关于规范市内收费停车场的建议》(158号)答复", "158"),
    ]:
        assert header(_reply(title + "\n张三委员:")).proposal_number == number, title


def test_document_without_a_proposal_number_leaves_it_null():
    assert header(_reply("关于优化公交线路建议的答复\n张三代表:")).proposal_number is None


def test_category_is_read_from_each_of_its_forms():
    for head, cat in [
        ("答复类别：A\n张三委员:", "A"),
        ("（A类）\n张三委员:", "A"),
        ("〔B〕\n张三委员:", "B"),
        ("钱汽发〔2020〕11号A类 同意公开\n张三委员:", "A"),
        ("B(2017)103号\n张三委员:", "B"),
        ("C:计划解决\n张三委员:", "C"),
    ]:
        assert header(_reply(head)).category == cat, head
    foot = "\n本件列为B类。\n市交通运输局\n2023年7月17日\n"
    assert header(_reply("张三委员:", foot)).category == "B"


def test_category_letter_of_something_else_is_not_a_category():
    h = header(_reply("张三委员:", "\n我市已创建A类景区3个。\n市交通运输局\n2023年7月17日\n"))
    assert h.category is None


def test_addressees_are_names_only():
    for salutation, who in [
        ("郑志荣、白成林、王海涛等6位代表:", "郑志荣、白成林、王海涛"),
        ("马青、周丽等委员:", "马青、周丽"),
        ("姜欣(等10位)代表:", "姜欣"),
        ("尊敬的王亚春区人大代表:", "王亚春"),
        ("刘苍林政协绿春县委员:", "刘苍林"),
        ("尊敬王云松代表:", "王云松"),
        ("王立超 委员", "王立超"),
    ]:
        assert header(_reply(salutation)).addressee == who, salutation


def test_proposal_title_in_its_quoted_forms():
    for opening, title in [
        ("您提出的“关于落实“双减”政策的建议”收悉,现答复如下:", "关于落实“双减”政策的建议"),
        ("您提出的“关于昆钢路口增设公交站点的建议”(以下简称《建议》)已交我局办理。", "关于昆钢路口增设公交站点的建议"),
        (
            "您提出的关于加大老街保护利用打造“3A”级景区的建议收悉,现答复如下:",
            "关于加大老街保护利用打造“3A”级景区的建议",
        ),
        ("现将您提出的关于加快建设乡村道路维修及维护的提案办理情况答复如下:", "关于加快建设乡村道路维修及维护的提案"),
    ]:
        text = "张三委员:\n" + opening + "\n我局已开通线路2条。\n市交通运输局\n2023年7月17日\n"
        assert header(text).proposal_title == title, opening


def test_co_handling_opinion_addressed_on_a_line_of_its_own():
    text = (
        "关于市政协六届三次会议53号提案答复的函\n市农业农村局\n《关于扎实推进乡村建设的提案》收悉,现答复如下:\n"
        "我局已完成治理94处。\n赣州市生态环境局\n2023年4月19日\n"
    )
    h = header(text)
    assert h.addressee == "市农业农村局"
    assert h.department == "赣州市生态环境局"


def test_site_listing_fields_stand_in_for_a_missing_signature():
    text = (
        "关于加强农村公路养护建议答复\n文 号: | 沂交答复字〔2018〕5号 | 发布机构: | 沂水县交通运输局 | 发布日期: | 2018-08-08 |\n"
        "浏览次数: | 有 效 性: | 成文日期: | 2018-08-07 | ||\nC:计划解决\n田光磊代表:\n"
        "您提出的《关于加强农村公路养护的建议》收悉,现答复如下:\n我单位将积极向县领导汇报。\n"
    )
    h = header(text)
    assert (h.department, h.reply_date, h.category) == ("沂水县交通运输局", "2018-08-07", "C")
    assert h.doc_number == "沂交答复字〔2018〕5号"


def test_category_under_other_labels_is_read():
    for head, cat in [("办理结果：A类（所提问题已经解决）\n张三委员:", "A"), ("（B类答复）\n张三委员:", "B")]:
        assert header(_reply(head)).category == cat, head
    text = "张三委员:\n您提出的《关于优化公交线路的建议》收悉,现答复如下:\n经研究,您的提案列为B类。\n市交通运输局\n2023年7月17日\n"
    assert header(text).category == "B"


def test_policy_cited_before_the_proposal_title_is_not_the_title():
    text = (
        "张三委员:\n根据《吉林省政协提案工作条例》,您提出的《关于优化公交线路的建议》收悉,现答复如下:\n"
        "我局已开通线路2条。\n市交通运输局\n2023年7月17日\n"
    )
    assert header(text).proposal_title == "关于优化公交线路的建议"
