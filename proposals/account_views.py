"""Account pages beside Django's login views: the office's list of locked logins."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .lockouts import account_lock_list, account_unlock
from .views import StaffRequiredMixin


class AccountLockListView(StaffRequiredMixin, TemplateView):
    """Logins locked after too many failures (per account and address); staff lift an account's locks here."""

    template_name = "registration/lock_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(locks=account_lock_list(), **kwargs)

    def post(self, request):
        username = request.POST.get("username", "").strip()
        if not username:
            messages.error(request, _("请选择要解除锁定的账号。"))
        elif account_unlock(username=username):
            messages.success(request, _("已解除账号 %(username)s 的登录锁定。") % {"username": username})
        else:
            messages.info(request, _("账号 %(username)s 当前没有被锁定。") % {"username": username})
        return redirect("account-locks")
