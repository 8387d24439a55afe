import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_model_of_the_app_is_in_the_admin():
    from django.apps import apps

    registered = {model for model in admin.site._registry}
    for app in ("proposals", "replies", "indicators"):
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                assert model in registered, model


def test_every_admin_list_renders_with_search_and_filters(admin_client, media_root):
    call_command("load_demo")
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert admin_client.get(url, {"q": "135"}).status_code == 200, url
