"""The incoming register and its handling: /records/incoming/… and /records/register/…"""

from __future__ import annotations

from django.urls import path

from govoffice.records import views_incoming as views

urlpatterns = [
    path("incoming/", views.incoming_list, name="incoming_list"),
    path("incoming/new/", views.incoming_new, name="incoming_new"),
    path("incoming/overdue/", views.overdue, name="incoming_overdue"),
    path("incoming/<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path("incoming/<int:pk>/files/<int:file_pk>", views.incoming_file, name="incoming_file"),
    path("incoming/<int:pk>/return/", views.incoming_return, name="incoming_return"),
    path("incoming/<int:pk>/present/", views.incoming_present, name="incoming_present"),
    path("incoming/<int:pk>/assign/", views.incoming_assign, name="incoming_assign"),
    path("incoming/<int:pk>/processing/", views.incoming_processing, name="incoming_processing"),
    path("incoming/<int:pk>/done/", views.incoming_done, name="incoming_done"),
    path("register/", views.register_page, name="register"),
    path("register/so-den.pdf", views.register_pdf, name="register_pdf"),
    path("register/so-den.csv", views.register_csv, name="register_csv"),
    path("register/so-den.xlsx", views.register_xlsx, name="register_xlsx"),
]
