"""Who may do what: the one role policy, read by the app's views and by every ModelAdmin.

    role                 read (pages, lists, files)   office work   department work      admin
    提案办 staff          everything                   yes           on anyone's behalf   view, add, change, delete
    督办 supervisor       everything                   no            no                   view only
    承办单位 department   its own department's work    no            its own work only    nothing
    委员 member           own proposals (own pages)     no            no                   nothing
    anonymous/inactive   nothing                      no            no                   nothing

*Office work* is the proposal office's part: log, import, register, refuse, merge, assign, set deadlines, decide
return and extension requests, record feedback, review extracted rows, release and detach replies, follow up
commitments. *Department work* is the handling of an assignment: sign for it, ask to return it or for more time,
send a co-handler's opinion, upload, sign off, submit or withdraw a reply, report on a commitment; a department only
on its own assignments (the views reach objects through `visible_to(user)` / `reportable_by(user)`), staff also on a
department's behalf (a paper reply) except the requests, which are the department's own.

A member account (acting for one proposer, a person or a collective) has none of the office's pages: `READ` is the
office's and departments' pages, and `internal_page_refused` answers a member 404 on all of them. Its own pages
(`members:`) read only the proposals it is a proposer of, through `visible_to(user)`, with released replies only;
`Action.PROPOSE` is its work there: write and submit a draft, confirm a co-signing, rate a reply.

A supervisor reads and comments: the app has no comment feature yet; when it gets one, `Action.COMMENT` is its gate.
Nobody's account role is a model permission alone: the groups (proposals.roles) give supervisors view permissions
only, and the admin refuses add/change/delete to every role but staff whatever permissions an account was given.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied


class Action(StrEnum):
    READ = "read"
    COMMENT = "comment"
    OFFICE = "office"  # the proposal office's own work
    HANDLE = "handle"  # work on an assignment: a department on its own, staff on a department's behalf
    REQUEST = "request"  # a department's requests to the office (return, extension): its own only
    PROPOSE = "propose"  # a member's own work: draft, co-sign and submit proposals, rate replies

    # the admin's four permissions
    ADMIN_VIEW = "admin_view"
    ADMIN_ADD = "admin_add"
    ADMIN_CHANGE = "admin_change"
    ADMIN_DELETE = "admin_delete"


STAFF, SUPERVISOR, DEPARTMENT, MEMBER = "staff", "supervisor", "department", "member"  # User.Role values

POLICY: dict[str, frozenset[Action]] = {
    STAFF: frozenset({Action.READ, Action.COMMENT, Action.OFFICE, Action.HANDLE, Action.ADMIN_VIEW,
                      Action.ADMIN_ADD, Action.ADMIN_CHANGE, Action.ADMIN_DELETE}),
    SUPERVISOR: frozenset({Action.READ, Action.COMMENT, Action.ADMIN_VIEW}),
    DEPARTMENT: frozenset({Action.READ, Action.HANDLE, Action.REQUEST}),
    MEMBER: frozenset({Action.PROPOSE}),
}

WRITES = frozenset({Action.OFFICE, Action.HANDLE, Action.REQUEST, Action.PROPOSE, Action.ADMIN_ADD,
                    Action.ADMIN_CHANGE, Action.ADMIN_DELETE})

# URL namespaces (and names) of the office's and departments' pages: a signed-in role without READ gets 404 there
INTERNAL_NAMESPACES = frozenset({"proposals", "replies", "indicators", "admin"})
INTERNAL_URL_NAMES = frozenset({"account-locks"})


def actions_of(user) -> frozenset[Action]:
    """What the user's role allows; nothing for an anonymous or deactivated account. A superuser is staff."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return POLICY[STAFF]
    return POLICY.get(user.role, frozenset())


def may(user, action: Action) -> bool:
    return action in actions_of(user)


def require(user, action: Action) -> None:
    """403 unless the user's role allows `action`."""
    if not may(user, action):
        raise PermissionDenied


def internal_page_refused(user, resolver_match) -> bool:
    """A signed-in account whose role may not READ (a member) asks for an office or department page."""
    if not getattr(user, "is_authenticated", False) or may(user, Action.READ) or resolver_match is None:
        return False
    return (bool(set(resolver_match.namespaces) & INTERNAL_NAMESPACES)
            or resolver_match.url_name in INTERNAL_URL_NAMES and not resolver_match.namespaces)


class InternalPagesMiddleware:
    """Answers 404 to a member (any role without READ) on every office and department page, before the view runs:
    the views' querysets would scope them anyway, but these pages are not theirs at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        if internal_page_refused(request.user, request.resolver_match):
            raise Http404
        return None


def is_read_only(user) -> bool:
    """A role that may change nothing (a supervisor, and anyone not signed in)."""
    return not (actions_of(user) & WRITES)


def admin_may(user, permission: str) -> bool:
    """The admin's view/add/change/delete for this user's role, before any model permission is looked at; the
    admin also needs `is_staff`, as Django always does."""
    return may(user, Action(f"admin_{permission}")) and bool(getattr(user, "is_staff", False))


class RolePolicyAdminMixin:
    """For every ModelAdmin and inline of the three apps: a role the policy does not allow gets no admin permission,
    whatever model permissions its account holds; a role it allows still needs them (super())."""

    def has_module_permission(self, request):
        return admin_may(request.user, "view") and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return admin_may(request.user, "view") and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return admin_may(request.user, "add") and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return admin_may(request.user, "change") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return admin_may(request.user, "delete") and super().has_delete_permission(request, obj)


class ReadOnlyHistoryMixin:
    """For a SimpleHistoryAdmin: a past version is shown, never restored. Its form view saves the old version
    whole (status, department, every field a workflow step owns), bypassing the services and checking only the view
    permission; so it answers POST with 403 for everyone, and offers no revert button."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
