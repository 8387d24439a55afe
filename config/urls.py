from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from proposals.account_views import AccountLockListView, DemoTipsDismissView
from proposals.views import home


def health(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", home, name="home"),
    path("proposals/", include("proposals.urls")),
    path("replies/", include("replies.urls")),
    path("rows/", include("indicators.urls")),
    path("public/", include("replies.public_urls")),
    path("my/", include("proposals.member_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/locks/", AccountLockListView.as_view(), name="account-locks"),
    path("demo/tips/dismiss/", DemoTipsDismissView.as_view(), name="demo-tips-dismiss"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(success_url="/"), name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]

admin.site.site_header = _("提案答复追踪")
admin.site.site_title = _("提案答复追踪")

handler500 = "config.middleware.server_error"
