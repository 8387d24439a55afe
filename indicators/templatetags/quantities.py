from django import template

from proposals.formatting import plain_decimal

register = template.Library()


@register.filter(name="plain_decimal")
def plain_decimal_filter(value) -> str:
    """{{ row.value|plain_decimal }}: the quantity without exponent or trailing zeros."""
    return plain_decimal(value)
