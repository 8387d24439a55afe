"""The confirm step of irreversible actions: a POST without the confirmation flag renders a page that says what
will happen and posts the same fields again with the flag; no script, so the strict CSP holds."""

from __future__ import annotations

from django.shortcuts import render

CONFIRM_FIELD = "confirmed"


class ConfirmStepMixin:
    """For a view whose POST does something that cannot be undone. In post(): `if self.needs_confirmation():
    return self.confirmation(...)` before calling the service."""

    confirm_template_name = "_confirm.html"

    def needs_confirmation(self) -> bool:
        return self.request.POST.get(CONFIRM_FIELD) != "1"

    def confirmation(self, *, title: str, lines: list[str], cancel_url: str, button: str = "", danger: bool = False):
        """The confirmation page: `lines` say what will happen; 确认 re-posts every field with the flag on."""
        from django.utils.translation import gettext as _

        fields = [(name, value) for name, values in self.request.POST.lists()
                  if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD) for value in values]
        return render(self.request, self.confirm_template_name, {
            "title": title, "lines": [line for line in lines if line], "fields": fields,
            "action": self.request.get_full_path(), "cancel_url": cancel_url, "button": button or _("确认"),
            "danger": danger, "confirm_field": CONFIRM_FIELD})
