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
