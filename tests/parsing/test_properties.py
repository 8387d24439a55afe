import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replies.parsing import ParseError, parse_text

# Characters that exercise every stage: CJK of the genre, numerals, units, markers, brackets, whitespace.
GENRE = list(
    "一二两三十百千万亿〇零年月日底前号第届次会议政协人大提案建议答复委员代表关于对的、，。：:；！？"
    "（）()〔〕【】[]《》“”万元亿户家个件项名所%下步将力争争取拟计划已了累计截至厅局联系人电话抄送"
)
text_chars = st.characters(blacklist_categories=("Cs",))
genre_text = st.lists(
    st.one_of(st.sampled_from(GENRE), st.sampled_from(list("0123456789.,O lI|\n\f\r\t　")), text_chars), max_size=400
).map("".join)


def check(result, text):
    d = result.to_dict()
    json.dumps(d, ensure_ascii=False)
    n = len(result.text)
    spans = [result.opening, result.closing] + list(result.indicators) + list(result.commitments)
    for s in result.sections:
        spans.append(s)
        spans.extend(s.items)
    for sp in spans:
        if sp is not None:
            assert 0 <= sp.start <= sp.end <= n
    for i in result.indicators:
        assert i.value and i.base_value
        assert result.text[i.start : i.end]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(genre_text, st.booleans())
def test_any_text_gives_a_result_or_a_parse_error(text, ocr):
    try:
        result = parse_text(text, ocr=ocr)
    except ParseError:
        return
    check(result, text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=text_chars, max_size=300))
def test_random_unicode_gives_a_result_or_a_parse_error(text):
    try:
        result = parse_text(text)
    except ParseError:
        return
    check(result, text)


def test_empty_text_is_a_parse_error():
    for text in ("", "   \n\f  \n"):
        try:
            parse_text(text)
        except ParseError as e:
            assert str(e)
        else:
            raise AssertionError("expected ParseError")


def test_huge_numbers_do_not_blow_up():
    body = "投入" + "9" * 100_000 + "万元，" + "增长" + "1" * 5000 + ".5%。一" + "千" * 50_000 + "元。"
    result = parse_text("您提出的提案收悉。现答复如下：\n" + body)
    check(result, body)
    assert all(len(i.value) < 30 for i in result.indicators)


def test_pathological_inputs_stay_fast():
    samples = [
        "一、" * 20_000,
        "1." * 30_000,
        "（" * 20_000 + "）" * 20_000,
        "《" * 10_000 + "》" * 10_000,
        "下一步将" * 10_000,
        "2021年" * 10_000,
        "\n" * 50_000,
        "一 二 三 " * 20_000,
        "吉科发办〔2022〕108号" * 5_000,
        ("这是一行很长的文字" * 4 + "\n") * 3_000,
        "第1号提案" * 10_000,
        ("x" * 200 + "：\n") * 500,
    ]
    for text in samples:
        t0 = time.perf_counter()
        try:
            parse_text(text)
        except ParseError:
            pass
        assert time.perf_counter() - t0 < 3, text[:20]


def test_many_quantities_in_one_long_sentence_stay_fast():
    for body in ("投入1万元" * 10_000, "2021年投入1万元" * 5_000, "下一步将投入1万元，" * 5_000, "两个" * 20_000):
        t0 = time.perf_counter()
        result = parse_text("您提出的提案收悉。现答复如下：\n" + body)
        assert time.perf_counter() - t0 < 5, body[:20]
        assert result.indicators
