from django.urls import path

from . import member_views, report_views, views

app_name = "proposals"

urlpatterns = [
    path("", views.ProposalListView.as_view(), name="list"),
    path("export/", views.ProposalExportView.as_view(), name="export"),
    path("assign/", views.ProposalBulkAssignView.as_view(), name="bulk-assign"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("report/", report_views.HandlingReportView.as_view(), name="report"),
    path("queue/", views.AssignmentQueueView.as_view(), name="queue"),
    path("todo/", views.StaffTodoView.as_view(), name="todo"),
    path("assignments/<int:pk>/co-opinion/", views.CoOpinionView.as_view(), name="co-opinion"),
    path("co-opinions/<int:pk>/attachment/", views.CoOpinionFileView.as_view(), name="co-opinion-attachment"),
    path("assignments/<int:pk>/<slug:action>/", views.AssignmentActionView.as_view(), name="assignment-action"),
    path("import/", views.ProposalImportView.as_view(), name="import"),
    path("import/template.xlsx", views.ProposalImportTemplateView.as_view(), name="import-template"),
    path("new/", views.ProposalCreateView.as_view(), name="create"),
    path("members/", member_views.MemberAccountListView.as_view(), name="member-accounts"),
    path("members/accounts/<int:pk>/active/", member_views.MemberAccountActiveView.as_view(),
         name="member-account-active"),
    path("similar/", views.SimilarProposalsView.as_view(), name="similar"),
    path("<int:pk>/edit/", views.ProposalUpdateView.as_view(), name="edit"),
    path("attachments/<int:pk>/", views.ProposalAttachmentView.as_view(), name="attachment"),
    path("<int:pk>/", views.ProposalDetailView.as_view(), name="detail"),
    path("<int:pk>/print/<slug:form>.pdf", report_views.PrintedFormView.as_view(), name="print"),
    path("<int:pk>/<slug:action>/", views.ProposalActionView.as_view(), name="action"),
]
