from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("提案和建议")  # the admin section serves every committee, 政协 and 人大

    def ready(self):
        from . import signals
        from .aggregates import register_sqlite_functions
        from .roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
        connection_created.connect(register_sqlite_functions)
        signals.connect()
