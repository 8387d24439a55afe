"""The three roles as auth groups with their model permissions, kept in step after every migrate."""

from django.contrib.auth.models import Group, Permission

APPS = ("proposals", "replies", "indicators")

ROLE_PERMISSIONS = {
    "提案办工作人员": ("view", "add", "change", "delete"),
    "督办人员": ("view",),
    "承办单位用户": ("view",),
}
DEPARTMENT_EXTRA = [("replies", "add_reply"), ("proposals", "change_assignment")]


def ensure_role_groups(**kwargs) -> None:
    """Create or update the role groups; safe to run any number of times."""
    for name, actions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label__in=APPS,
                                          codename__regex=rf"^({'|'.join(actions)})_")
        if name == "承办单位用户":
            perms = perms.exclude(content_type__model__in=("user", "committee")) | Permission.objects.filter(
                content_type__app_label__in=[a for a, _ in DEPARTMENT_EXTRA],
                codename__in=[c for _, c in DEPARTMENT_EXTRA])
        group.permissions.set(perms)
