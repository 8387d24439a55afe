"""One way to show a Decimal everywhere (tables, forms, exports, admin, history): plain digits, no exponent, no
trailing zeros. Pure Python, no Django."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def plain_decimal(value) -> str:
    """A quantity as people write it: Decimal('10.000000') and Decimal('1E+1') read '10', 2978.4 stays '2978.4',
    0.05 stays '0.05', a negative keeps its sign, and no value ever gets an exponent. None reads ''; text
    that is not a number is returned as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return str(value)
    if not value.is_finite():
        return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
