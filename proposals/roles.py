"""The three roles as auth groups with their model permissions, kept in step after every migrate."""

from django.contrib.auth.models import Group, Permission

APPS = ("proposals", "replies", "indicators")

ROLE_PERMISSIONS = {
    "提案办工作人员": ("view", "add", "change", "delete"),
    "督办人员": ("view",),
    "承办单位用户": ("view",),
}
DEPARTMENT_EXTRA = [("replies", "add_reply"), ("proposals", "change_assignment")]


def _ensure_permissions(using: str) -> None:
    """Django creates an app's permissions in that app's own post_migrate; on the very first migrate this handler
    (sent for proposals) runs before replies' and indicators' turn, so their permissions are created here first."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for label in APPS:
        config = apps.get_app_config(label)
        create_contenttypes(config, verbosity=0, using=using)
        create_permissions(config, verbosity=0, using=using)


def ensure_role_groups(using: str = "default", **kwargs) -> None:
    """Create or update the role groups with every permission of the three apps they need, on the very first
    migrate as on every later one; safe to run any number of times."""
    _ensure_permissions(using)
    for name, actions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label__in=APPS,
                                          codename__regex=rf"^({'|'.join(actions)})_")
        if name == "承办单位用户":
            perms = perms.exclude(content_type__model__in=("user", "committee")) | Permission.objects.filter(
                content_type__app_label__in=[a for a, _ in DEPARTMENT_EXTRA],
                codename__in=[c for _, c in DEPARTMENT_EXTRA])
        group.permissions.set(perms)
