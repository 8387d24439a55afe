"""What the admin's forms would post, for tests that post them."""


def form_data(response) -> dict:
    """What the change form would post as it stands: the model form's and every inline's current values."""
    from django.forms import MultiWidget
    from django.forms.models import BaseModelFormSet

    def values(form):
        data = {}
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None:
                continue
            if isinstance(field.widget, MultiWidget):  # a date and a time: posted as name_0, name_1
                for n, part in enumerate(field.widget.decompress(value)):
                    data[f"{form.add_prefix(name)}_{n}"] = part
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list | tuple) else value
        return data

    data = values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset: BaseModelFormSet = inline.formset
        data.update(values(formset.management_form))
        for form in formset.forms:
            data.update(values(form))
    return data
