"""The supervision pages, mounted at /supervision/."""

from __future__ import annotations

from django.urls import path

from govoffice.supervision import views
from govoffice.supervision import views_inspections as inspections

app_name = "supervision"

urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/<str:code>/", views.task_detail, name="task_detail"),
    path("tasks/<str:code>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<str:code>/extension/", views.task_extension, name="task_extension"),
    path("tasks/<str:code>/extensions/<int:pk>/decision/", views.extension_decide, name="extension_decide"),
    path("documents/", views.documents, name="documents"),
    path("rate/", views.rate, name="rate"),
    path("inspections/", inspections.inspection_list, name="inspection_list"),
    path("inspections/new/", inspections.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/findings/", inspections.inspection_finding, name="inspection_finding"),
    path("inspections/<int:pk>/complete/", inspections.inspection_complete, name="inspection_complete"),
]
