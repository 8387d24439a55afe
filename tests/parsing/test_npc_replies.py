"""Replies to a 人大's 代表建议: the header names the 人大 and addresses a 代表, whatever the wording."""

from replies.parsing import parse_text
from tests.corpus import CORPUS_ROOT

NPC_REPLY = """吉林省交通运输厅
关于省十四届人大二次会议第0123号代表建议的答复
吉交函〔2024〕56号
答复类别：A
张海代表：
您提出的《关于加强农村公路养护的建议》收悉，现答复如下：
一、今年我厅投入养护资金3.5亿元，完成农村公路养护2000公里。
感谢您对交通运输工作的关心和支持。
吉林省交通运输厅
2024年6月20日
"""

MAGUAN_HEADER = """马关县交通运输局关于马关县第十七届
人大一次会议第197号建议的答复函
李树金代表:
你提出的“关于从竹林至箐头进村道路硬化的建议”,已交我们研究办理,现答复如下:
"""

def test_a_deputy_suggestion_reply_names_the_npc_the_deputy_and_its_number():
    header = parse_text(NPC_REPLY).header
    assert header.committee == "省人大"
    assert header.session == "十四届二次会议"
    assert header.proposal_number == "0123"
    assert (header.addressee, header.addressee_role) == ("张海", "代表")
    assert header.category == "A"


def test_a_place_name_with_a_lead_word_in_it_stays_whole():
    # 马关县 holds 关, which once stopped the title's lead words (…关于) from being stripped
    assert parse_text(MAGUAN_HEADER).header.committee == "马关县人大"


def test_a_title_ending_just_before_the_session_is_not_part_of_the_place():
    # 关于”对…整修“建议的答复 / 淄川区第十九届人民代表大会第二次会议: once read as 建议的答复淄川区人大
    text = (CORPUS_ROOT / "b-npc-zichuan-zrzyj-2023" / "reply.txt").read_text(encoding="utf-8")
    header = parse_text(text).header
    assert (header.committee, header.addressee_role) == ("淄川区人大", "代表")
