from django.urls import path

from . import views

app_name = "replies"

urlpatterns = [
    path("upload/<int:assignment_pk>/", views.ReplyUploadView.as_view(), name="upload"),
    path("search/", views.ReplySearchView.as_view(), name="search"),
    path("<int:pk>/", views.ReplyDetailView.as_view(), name="detail"),
    path("<int:pk>/status/", views.ReplyStatusView.as_view(), name="status"),
    path("<int:pk>/reparse/", views.ReplyReparseView.as_view(), name="reparse"),
    path("<int:pk>/reparse/force/", views.ReplyForceReparseView.as_view(), name="force_reparse"),
    path("<int:pk>/file/", views.ReplyFileView.as_view(), name="file"),
    path("<int:pk>/release/", views.ReplyReleaseView.as_view(), name="release"),
    path("<int:pk>/signoff/", views.ReplySignoffView.as_view(), name="signoff"),
    path("<int:pk>/submit/", views.ReplySubmitView.as_view(), name="submit"),
    path("<int:pk>/withdraw/", views.ReplyWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/settle/", views.ReplyRowsSettleView.as_view(), name="settle"),
    path("<int:pk>/mismatch/", views.ReplyMismatchConfirmView.as_view(), name="mismatch-confirm"),
    path("<int:pk>/detach/", views.ReplyDetachView.as_view(), name="detach"),
    path("<int:pk>/attach/", views.ReplyAttachView.as_view(), name="attach"),
    path("<int:pk>/redactions/", views.ReplyRedactionsView.as_view(), name="redactions"),
    path("<int:pk>/publication/", views.ReplyPublicationView.as_view(), name="publication"),
]
