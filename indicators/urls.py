from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("commitments/", views.CommitmentFollowUpListView.as_view(), name="follow-up"),
    path("commitments/<int:pk>/follow-up/", views.CommitmentFollowUpView.as_view(), name="commitment-follow-up"),
    path("series/", views.IndicatorSeriesView.as_view(), name="series"),
    path("<slug:kind>/<int:pk>/edit/", views.RowEditView.as_view(), name="edit"),
    path("<slug:kind>/<int:pk>/<slug:action>/", views.RowReviewView.as_view(), name="review"),
    path("bulk/<int:reply_pk>/", views.RowBulkReviewView.as_view(), name="bulk"),
]
