"""plain_decimal: one way to show a quantity, never with an exponent or trailing zeros."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proposals.formatting import plain_decimal

finite_decimals = st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e30"),
                              max_value=Decimal("1e30"))


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("10.000000"), "10"), (Decimal("1E+1"), "10"), (Decimal("10.000000").normalize(), "10"),
    (Decimal("5000.000000"), "5000"), (Decimal("5E+3"), "5000"), (Decimal("2978.4"), "2978.4"),
    (Decimal("2978.400000"), "2978.4"), (Decimal("0.05"), "0.05"), (Decimal("0.050000"), "0.05"),
    (Decimal("-12.500000"), "-12.5"), (Decimal("-1E+3"), "-1000"), (Decimal("1E+20"), "100000000000000000000"),
    (Decimal("1E-7"), "0.0000001"), (Decimal("0E-6"), "0"), (Decimal("-0.000"), "0"), (Decimal("20.000000"), "20"),
])
def test_the_issues_quantities_read_as_people_write_them(value, shown):
    assert plain_decimal(value) == shown


def test_none_is_blank_and_other_numbers_and_text_are_handled():
    assert plain_decimal(None) == ""
    assert plain_decimal(7) == "7"
    assert plain_decimal(2.5) == "2.5"
    assert plain_decimal(1e21) == "1000000000000000000000"
    assert plain_decimal("50.0") == "50"
    assert plain_decimal("约50") == "约50"


@given(finite_decimals)
def test_no_exponent_and_the_value_reads_back_equal(value):
    text = plain_decimal(value)
    assert "E" not in text.upper()
    assert Decimal(text) == value


@given(finite_decimals)
def test_no_trailing_zero_after_the_point_and_the_sign_is_kept(value):
    text = plain_decimal(value)
    if "." in text:
        assert not text.endswith("0") and not text.endswith(".")
    assert text.startswith("-") == (value < 0)


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e17"), max_value=Decimal("1e17"),
                   places=6))
def test_a_stored_field_value_and_its_normalized_form_read_the_same(value):
    assert plain_decimal(value) == plain_decimal(value.normalize())


def test_the_template_filter_is_the_same_function():
    from django.template import engines

    template = engines["django"].from_string("{% load quantities %}{{ v|plain_decimal }}")
    assert template.render({"v": Decimal("1E+1")}) == "10"


def test_the_edit_form_shows_the_stored_value_plainly(db):
    from indicators.forms import IndicatorEditForm
    from indicators.models import Indicator
    from tests.factories import ReplyFactory

    row = Indicator.objects.create(reply=ReplyFactory(), start=0, end=3, value=Decimal("20"), unit="万元")
    row.refresh_from_db()
    assert row.value == Decimal("20.000000")
    html = str(IndicatorEditForm(instance=row)["value"])
    assert 'value="20"' in html and "20.000000" not in html


def test_the_xlsx_export_writes_a_decimal_as_a_number_cell_without_exponent():
    from proposals.exports import _cell

    assert _cell(Decimal("1E+1")) == "<c><v>10</v></c>"
    assert _cell(Decimal("2978.400000")) == "<c><v>2978.4</v></c>"


def test_the_indicator_exports_write_plain_numbers(client, staff_user):
    import io
    import zipfile

    from django.urls import reverse

    from indicators.models import Indicator
    from tests.factories import ReplyFactory

    Indicator.objects.create(reply=ReplyFactory(), start=0, end=3, value=Decimal("1E+1"), unit="幢",
                             base_value=Decimal("5E+7"), base_unit="元", review_status="accepted")
    client.force_login(staff_user)
    url = reverse("indicators:series")
    csv = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert ",10,幢,50000000,元," in csv and "E+" not in csv and ".000000" not in csv
    data = b"".join(client.get(url, {"format": "xlsx"}).streaming_content)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<c><v>10</v></c>" in sheet and "<c><v>50000000</v></c>" in sheet
