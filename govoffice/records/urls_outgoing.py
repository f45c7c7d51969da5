"""Outgoing documents: /records/outgoing/…"""

from __future__ import annotations

from django.urls import path

from govoffice.records import views_outgoing as views

urlpatterns = [
    path("outgoing/", views.outgoing_list, name="outgoing_list"),
    path("outgoing/new/", views.outgoing_new, name="outgoing_new"),
    path("outgoing/<int:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("outgoing/<int:pk>/edit/", views.outgoing_edit, name="outgoing_edit"),
    path("outgoing/<int:pk>/du-thao.pdf", views.outgoing_preview, name="outgoing_preview"),
    path("outgoing/<int:pk>/files/<int:file_pk>", views.outgoing_file, name="outgoing_file"),
    path("outgoing/<int:pk>/review/", views.outgoing_review, name="outgoing_review"),
    path("outgoing/<int:pk>/approve/", views.outgoing_approve, name="outgoing_approve"),
    path("outgoing/<int:pk>/return/", views.outgoing_return, name="outgoing_return"),
    path("outgoing/<int:pk>/sign/", views.outgoing_sign, name="outgoing_sign"),
    path("outgoing/<int:pk>/issue/", views.outgoing_issue, name="outgoing_issue"),
    path("outgoing/<int:pk>/resend/", views.outgoing_resend, name="outgoing_resend"),
]
