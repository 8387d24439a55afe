import reply_samples as S

from replies.parsing import parse_text
from replies.parsing.commitments import deadline_of

HEAD = "对省政协十二届五次会议第135号委员提案的答复\n张三委员：\n您提出的《关于加快发展的建议》收悉。现答复如下：\n"
FOOT = "\n吉林省科学技术厅\n2022年7月6日\n"


def commitments(body):
    return parse_text(HEAD + body + FOOT).commitments


def test_next_step_sentence_is_a_commitment_with_targets():
    (c,) = commitments("2021年认定企业960家。\n下一步，将持续深化服务，争取认定备案高新技术企业1000户以上。")
    assert c.text == "下一步，将持续深化服务，争取认定备案高新技术企业1000户以上。"
    assert c.markers == ("下一步", "将", "争取")
    assert [(t.value, t.unit, t.qualifier) for t in c.targets] == [("1000", "户", "以上")]
    assert c.section == "下一步"


def test_strive_sentence_inside_an_item_is_a_commitment():
    (c,) = commitments(
        "一、职业教育\n1.巩固基础地位。力争高标准建设若干所职业本科高校，逐步实现规模不低于招生规模的10%。"
    )
    assert c.text.startswith("力争")
    assert c.section == "一.1"
    assert [(t.value, t.unit) for t in c.targets] == [("10", "%")]


def test_object_marker_jiang_is_not_a_promise():
    assert commitments("按照自愿原则将200多户企业纳入了后备资源库。首次将技术经纪专业列入评审序列。") == ()


def test_results_with_forward_words_are_not_commitments():
    assert commitments("累计争取稳岗补贴资金近8亿元。为了进一步推进共享，已建立合作机制。") == ()


def test_noun_plan_is_not_a_marker():
    assert commitments("实施企业研发投入引导计划，开展“柔性引才”激励计划。") == ()


def test_heading_about_next_steps_is_not_a_commitment():
    got = commitments("一、基本情况\n已完成。\n二、下一步工作\n我们将继续加大投入。")
    assert [c.text for c in got] == ["我们将继续加大投入。"]


def test_deadline_end_of_year_is_read():
    assert deadline_of("力争2023年底前新增公交专用道50公里", 2022) == "2023-12-31"


def test_deadline_month_and_quarter_are_read():
    assert deadline_of("计划于2023年6月底前出台办法", 2023) == "2023-06-30"
    assert deadline_of("2024年上半年完成", 2023) == "2024-06-30"
    assert deadline_of("二〇二三年底前完成", 2022) == "2023-12-31"


def test_relative_deadline_needs_the_reply_year():
    assert deadline_of("年底前新增床位200张", 2022) == "2022-12-31"
    assert deadline_of("年底前新增床位200张", None) is None


def test_commitment_without_a_date_has_no_deadline():
    (c,) = commitments("下一步，我们将继续优化服务。")
    assert c.deadline is None


def test_cooperation_opinion_promise_has_its_deadline():
    (c,) = parse_text(S.COOP).commitments
    assert c.deadline == "2023-06-30"
    assert "计划" in c.markers


def test_purpose_clause_is_not_a_promise():
    assert commitments("为确保工作落实，我厅成立了工作专班。争取到中央资金3亿元。") == ()


def test_future_year_target_sentence_has_year_deadline():
    (c,) = commitments("到2025年，力争全省科技型企业达到5000家。")
    assert c.deadline == "2025-12-31"
    assert [(t.value, t.unit) for t in c.targets] == [("5000", "家")]


def test_closing_courtesies_are_never_commitments():
    assert (
        commitments(
            "感谢您对云南畜牧工作的关心和支持,希望您今后一如既往地关心和支持我们的工作,提出宝贵意见和建议。\n"
            "感谢你们对我县住建工作的关心和支持,请在今后对我们的工作多提宝贵意见和建议。\n"
            "感谢你们对交通运输事业的关心和支持,还希望今后对我们提出更好的意见和建议。\n"
            "欢迎继续提出宝贵意见。"
        )
        == ()
    )


def test_promise_after_thanks_in_the_same_sentence_is_still_a_commitment():
    (c,) = commitments("感谢您对我县旅游资源的关注,我们将在县委、县政府的领导下,进一步加大旅游资源的开发力度。")
    assert "将" in c.markers


def test_object_marker_jiang_describing_the_past_is_not_a_promise():
    assert (
        commitments(
            "近年来,我省认真贯彻落实党中央决策部署,将养老服务体系建设纳入全省经济社会发展规划。\n"
            "2021年,我局将该项工作列入年度工作要点。"
        )
        == ()
    )


def test_jiang_before_any_verb_is_a_promise():
    got = commitments(
        "同时,将采取“建机制、重规范”系列举措,推动全市构建治理格局。\n我县旅游发展公司也将介入乡村旅游村的发展。"
    )
    assert len(got) == 2


def test_effect_foretold_with_jiang_is_not_a_promise():
    assert commitments("此条线路的开通,将有效解决沿线偏远地区学生上学难题,为后续工作提供经验。") == ()


def test_restated_proposal_is_not_a_promise():
    assert commitments("你建议,一是进一步加大乡村公交建设,确保人民群众的生命财产安全。") == ()


def test_forward_word_in_an_achievement_is_not_a_promise():
    assert commitments("经我局积极争取向省上汇报,涉及生态保护红线范围内的村庄已全部调出。") == ()
    assert commitments("为了保障居民出行、确保群众安全,我站采购了22台新能源公交车。") == ()


def test_plans_without_will_are_promises():
    got = commitments(
        "我局领导班子非常重视,拟作为一项建设计划报请市政府。\n"
        "已选址货车停车场,计划可同时容纳130辆大型车辆停放。\n"
        "目前正在编制实施方案,待上级部门同意后列入2023年开复工计划并实施。"
    )
    assert len(got) == 3


def test_will_after_a_condition_or_with_the_department_as_actor_stays_a_promise():
    got = commitments("待条件成熟后,将尽早组织实施。\n我局将有效整合各方资源。\n我们将会继续跟踪落实。")
    assert len(got) == 3


def test_own_promise_in_courteous_words_stays_a_commitment():
    got = commitments("我们将认真吸纳您提出的宝贵意见。\n下一步,我局将为企业多提供服务。")
    assert len(got) == 2
