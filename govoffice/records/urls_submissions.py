"""Submissions to leaders: /records/submissions/…"""

from __future__ import annotations

from django.urls import path

from govoffice.records import views_submissions as views

urlpatterns = [
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/new/", views.submission_new, name="submission_new"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/files/<int:file_pk>", views.submission_file, name="submission_file"),
    path("submissions/<int:pk>/submit/", views.submission_submit, name="submission_submit"),
    path("submissions/<int:pk>/approve/", views.submission_approve, name="submission_approve"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:pk>/forward/", views.submission_forward, name="submission_forward"),
    path("submissions/<int:pk>/withdraw/", views.submission_withdraw, name="submission_withdraw"),
    path("submissions/<int:pk>/revise/", views.submission_revise, name="submission_revise"),
]
