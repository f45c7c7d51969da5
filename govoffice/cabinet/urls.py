"""The cabinet pages, mounted at /cabinet/."""

from __future__ import annotations

from django.urls import path

from govoffice.cabinet import views

app_name = "cabinet"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/items/", views.meeting_add_item, name="meeting_add_item"),
    path("meetings/<int:pk>/items/<int:item_pk>/position/", views.item_position, name="item_position"),
    path("meetings/<int:pk>/items/<int:item_pk>/outcome/", views.item_outcome, name="item_outcome"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("ballots/", views.ballot_list, name="ballot_list"),
    path("ballots/new/", views.ballot_new, name="ballot_new"),
    path("ballots/<int:pk>/", views.ballot_detail, name="ballot_detail"),
    path("ballots/<int:pk>/answer/", views.ballot_answer, name="ballot_answer"),
    path("ballots/<int:pk>/open/", views.ballot_open, name="ballot_open"),
    path("ballots/<int:pk>/close/", views.ballot_close, name="ballot_close"),
    path("ballots/<int:pk>/decision/", views.ballot_decision, name="ballot_decision"),
    path("ballots/<int:pk>/results/", views.ballot_results, name="ballot_results"),
    path("ballots/<int:pk>/bao-cao.pdf", views.ballot_report, name="ballot_report"),
    path("files/<int:file_pk>", views.file, name="file"),
    path("materials/<int:material_pk>/files/<int:file_pk>", views.material_file, name="material_file"),
]
