from types import SimpleNamespace

from indicators.selectors import highlighted_text


def row(pk, start, end, status="pending"):
    return SimpleNamespace(pk=pk, start=start, end=end, review_status=status)


def test_indicators_are_marked_inside_their_commitment_and_text_is_escaped():
    text = "已完成<b>。下一步，争取认定1000户以上。"
    html = highlighted_text(text, [row(1, 15, 22)], [row(7, 7, 23)])
    assert html == ('已完成&lt;b&gt;。<span class="hl-c pending" id="t-c-7" data-row="c-7">下一步，争取认定'
                    '<mark class="hl-i pending" id="t-i-1" data-row="i-1">1000户以上</mark>。</span>')


def test_a_row_crossing_a_commitment_edge_is_marked_in_pieces_and_one_outside_the_text_is_not():
    text = "一二三四五六七八九十"
    html = highlighted_text(text, [row(1, 2, 6), row(2, 8, 40)], [row(3, 4, 9)])
    assert html == ('一二<mark class="hl-i pending" id="t-i-1" data-row="i-1">三四</mark>'
                    '<span class="hl-c pending" id="t-c-3" data-row="c-3"><mark class="hl-i pending" data-row="i-1">'
                    '五六</mark>七八九</span>十')


def test_a_row_spanning_a_whole_commitment_is_marked_around_and_inside_it():
    text = "一二三四五六七八九十"
    html = highlighted_text(text, [row(1, 1, 9)], [row(3, 3, 5)])
    assert html == ('一<mark class="hl-i pending" id="t-i-1" data-row="i-1">二三</mark>'
                    '<span class="hl-c pending" id="t-c-3" data-row="c-3"><mark class="hl-i pending" data-row="i-1">'
                    '四五</mark></span><mark class="hl-i pending" data-row="i-1">六七八九</mark>十')
