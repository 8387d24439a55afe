from django.urls import path

from . import member_views as views

app_name = "members"

urlpatterns = [
    path("", views.MemberHomeView.as_view(), name="home"),
    path("proposals/<int:pk>/", views.MemberProposalView.as_view(), name="proposal"),
    path("attachments/<int:pk>/", views.MemberAttachmentView.as_view(), name="attachment"),
    path("replies/<int:pk>/file/", views.MemberReplyFileView.as_view(), name="reply-file"),
    path("replies/<int:pk>/rate/", views.MemberReplyRateView.as_view(), name="rate"),
    path("drafts/new/", views.DraftFormView.as_view(), name="draft-new"),
    path("drafts/<int:pk>/", views.DraftDetailView.as_view(), name="draft"),
    path("drafts/<int:pk>/edit/", views.DraftFormView.as_view(), name="draft-edit"),
    path("drafts/<int:pk>/<slug:action>/", views.DraftActionView.as_view(), name="draft-action"),
    path("cosign/<int:pk>/<slug:action>/", views.CosignAnswerView.as_view(), name="cosign"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
]
