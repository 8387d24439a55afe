from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("commitments/", views.CommitmentFollowUpListView.as_view(), name="follow-up"),
    path("commitments/over-years/", views.CommitmentOverYearsView.as_view(), name="over-years"),
    path("commitments/<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment"),
    path("commitments/<int:pk>/report/", views.CommitmentReportView.as_view(), name="commitment-report"),
    path("commitments/<int:pk>/confirm/", views.CommitmentDecideView.as_view(), name="commitment-confirm"),
    path("commitments/reports/<int:pk>/file/", views.CommitmentReportFileView.as_view(), name="commitment-file"),
    path("commitments/<int:pk>/follow-up/", views.CommitmentFollowUpView.as_view(), name="commitment-follow-up"),
    path("series/", views.IndicatorSeriesView.as_view(), name="series"),
    path("<slug:kind>/<int:pk>/edit/", views.RowEditView.as_view(), name="edit"),
    path("<slug:kind>/<int:pk>/<slug:action>/", views.RowReviewView.as_view(), name="review"),
    path("bulk/<int:reply_pk>/", views.RowBulkReviewView.as_view(), name="bulk"),
]
