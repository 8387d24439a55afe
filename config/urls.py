from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView


def health(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="proposals:list", permanent=False)),
    path("proposals/", include("proposals.urls")),
    path("replies/", include("replies.urls")),
    path("rows/", include("indicators.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]

admin.site.site_header = "提案答复追踪"
admin.site.site_title = "提案答复追踪"
