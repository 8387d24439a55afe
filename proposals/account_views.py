"""Account pages beside Django's login views: the office's list of locked logins, the demo panel's dismissal."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .lockouts import account_lock_list, account_unlock
from .views import StaffRequiredMixin, redirect_back


class DemoTipsDismissView(LoginRequiredMixin, View):
    """Hide the demo's "what to try" panel for the rest of the session."""

    def post(self, request):
        from .templatetags.tracker import DEMO_TIPS_DISMISSED

        request.session[DEMO_TIPS_DISMISSED] = True
        return redirect_back(request, "home")


class AccountLockListView(StaffRequiredMixin, TemplateView):
    """Logins locked after too many failures (per account and address); staff lift an account's locks here, those
    of the accounts within their committees (every one for an all-committee account)."""

    template_name = "registration/lock_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(locks=account_lock_list(liftable_by=self.request.user), **kwargs)

    def post(self, request):
        username = request.POST.get("username", "").strip()
        if not username:
            messages.error(request, _("请选择要解除锁定的账号。"))
        elif account_unlock(username=username, by=request.user):
            messages.success(request, _("已解除账号 %(username)s 的登录锁定。") % {"username": username})
        else:
            messages.info(request, _("账号 %(username)s 当前没有被锁定。") % {"username": username})
        return redirect("account-locks")
