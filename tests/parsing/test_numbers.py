from decimal import Decimal

from replies.parsing.numbers import format_decimal, match_unit, parse_cn_int, to_decimal


def test_chinese_numeral_with_units_is_read():
    assert parse_cn_int("一千二百") == 1200
    assert parse_cn_int("十二") == 12
    assert parse_cn_int("二十") == 20
    assert parse_cn_int("一百一十") == 110
    assert parse_cn_int("三万五千") == 35000
    assert parse_cn_int("一千零五") == 1005


def test_two_is_read_from_liang():
    assert parse_cn_int("两") == 2


def test_colloquial_trailing_digit_takes_the_next_unit():
    assert parse_cn_int("一千二") == 1200


def test_numeral_names_are_not_numbers():
    assert parse_cn_int("十四五") is None
    assert parse_cn_int("二〇二二") is None
    assert parse_cn_int("万") is None


def test_decimal_base_value_has_no_exponent():
    assert format_decimal(Decimal("2978.4") * 10**4) == "29784000"
    assert format_decimal(Decimal("4.30")) == "4.3"


def test_absurd_digit_strings_are_refused_not_converted():
    assert to_decimal("9" * 100_000) is None
    assert to_decimal("1,234.5") == Decimal("1234.5")


def test_scale_and_measure_word_are_split():
    assert match_unit("万元。", 0) == ("万", "元", 2)
    assert match_unit("个百分点", 0) == ("", "个百分点", 4)
    assert match_unit("万千瓦", 0) == ("万", "千瓦", 3)
    assert match_unit("万人次", 0) == ("万", "人次", 3)


def test_bare_ten_thousand_counts_as_a_unit():
    assert match_unit("万，", 0) == ("万", "", 1)


def test_no_unit_after_a_plain_number():
    assert match_unit("年度", 0) is None
