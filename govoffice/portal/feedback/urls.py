"""The feedback pages, under /portal/feedback/."""

from __future__ import annotations

from django.urls import path

from govoffice.portal.feedback import views_office, views_public

app_name = "feedback"

urlpatterns = [
    path("", views_public.new_feedback, name="new"),
    path("status/", views_public.status, name="status"),
    path("answers/", views_public.answers, name="answers"),
    path("answers/<str:code>/", views_public.answer_detail, name="answer_detail"),
    path("rate/<str:code>/<str:token>/", views_public.rate, name="rate"),
    path("office/", views_office.office_list, name="office_list"),
    path("office/statistics/", views_office.office_statistics, name="office_stats"),
    path("office/<int:pk>/", views_office.office_detail, name="office_detail"),
    path("office/<int:pk>/files/<int:file_id>/", views_office.file_download, name="file"),
    path("office/<int:pk>/<str:action>/", views_office.office_action, name="office_action"),
    path("agency/", views_office.agency_list, name="agency_list"),
    path("agency/<int:pk>/", views_office.agency_detail, name="agency_detail"),
]
