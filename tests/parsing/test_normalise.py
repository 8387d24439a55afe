from replies.parsing import parse_text
from replies.parsing.normalise import normalise


def test_page_numbers_are_dropped_and_recorded():
    raw = "— 1 —\r\n第一页的内容写到这里没有结束，继续写到下一页的\f— 2 —\r\n内容。\r\n"
    n = normalise(raw)
    assert "—" not in n.text
    assert "继续写到下一页的内容。" in n.text
    assert [c.kind for c in n.changes].count("page_number") == 2
    assert n.pages == 2


def test_number_and_unit_split_by_a_line_break_are_rejoined():
    raw = "累计争取稳岗补贴资金近8亿\n元。落实政策。"
    assert "近8亿元。" in normalise(raw).text


def test_spaces_between_cjk_are_removed_but_latin_words_keep_theirs():
    n = normalise("对 省 政 协 提 案 的 答 复 ， 实施 R&D 投入 与 Open Source 项目")
    assert n.text == "对省政协提案的答复，实施R&D投入与Open Source项目"
    assert any(c.kind == "whitespace" for c in n.changes)


def test_full_width_digits_are_folded():
    assert normalise("投入２９７８．４万元，增长１５％。").text == "投入2978.4万元，增长15%。"


def test_letter_o_inside_a_number_is_mended_and_recorded():
    n = normalise("中等职业学校整合至15O所左右。")
    assert "150所" in n.text
    ch = [c for c in n.changes if c.kind == "ocr_digit"]
    assert ch and ch[0].from_ == "15O" and ch[0].to == "150" and n.text[ch[0].at : ch[0].at + 3] == "150"


def test_mismatched_document_number_brackets_are_mended():
    n = normalise("吉科发办【2022]108号", ocr=True)
    assert n.text == "吉科发办〔2022〕108号"
    assert any(c.kind == "ocr_bracket" for c in n.changes)


def test_matching_square_brackets_are_kept_as_written():
    assert normalise("京政办函[2023]12号").text == "京政办函[2023]12号"


def test_running_header_repeated_on_every_page_is_dropped():
    body = "这是正文的一行文字，写得足够长以便判断版心宽度是多少呢"
    pages = [f"某某厅文件\n{body}\n{body}。\n- {i} -" for i in range(1, 5)]
    n = normalise("\f".join(pages))
    assert n.text.count("某某厅文件") == 1  # kept where it opens the document
    assert sum(c.kind == "running_header" for c in n.changes) == 3


def test_heading_line_is_not_joined_to_the_next_paragraph():
    raw = (
        "一、加大投入力度\n1.实施引导计划，强化企业创新主体作用，引导企业加大研发投入，对一汽等\n324户企业进行补助。\n"
    )
    lines = normalise(raw).text.split("\n")
    assert lines == [
        "一、加大投入力度",
        "1.实施引导计划，强化企业创新主体作用，引导企业加大研发投入，对一汽等324户企业进行补助。",
    ]


def test_indented_paragraphs_in_plain_text_are_kept_apart():
    raw = (
        "   第一段开头的文字写在这里，而且这一行足够长以至于会被折到下一行去\n\n"
        "继续第一段的文字，这一行也足够长以至于会被折到下一行去的样子呢\n\n"
        "   第二段开头的文字写在这里，而且这一行足够长以至于会被折到下一行去\n"
        "继续第二段。\n"
    )
    lines = normalise(raw).text.split("\n")
    assert len(lines) == 2
    assert lines[1].startswith("第二段")


def test_every_change_points_into_the_text():
    raw = "— 1 —\n投入２０２２万元，整合至15O所。\f— 2 —\n吉科发办【2022]108号"
    result = parse_text(raw, ocr=True)
    for c in result.changes:
        assert c.at is None or 0 <= c.at <= len(result.text)
