from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.PublicReplyListView.as_view(), name="list"),
    path("<int:pk>/", public_views.PublicReplyDetailView.as_view(), name="detail"),
    path("<int:pk>/pdf/", public_views.PublicReplyFileView.as_view(), name="file"),
]
