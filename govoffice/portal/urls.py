"""The portal pages (/portal/…): public pages first, then accounts, then dossiers."""

from __future__ import annotations

from django.urls import path

from govoffice.portal import views_account, views_dossiers, views_public

app_name = "portal"

urlpatterns = [
    path("", views_public.home, name="home"),
    path("procedures/", views_public.catalogue, name="catalogue"),
    path("procedures/<str:code>/", views_public.procedure, name="procedure"),
    path("lookup/", views_public.lookup, name="lookup"),
    path("language/", views_public.language, name="language"),
    path("signup/", views_account.signup, name="signup"),
    path("confirm/<str:token>/", views_account.confirm, name="confirm"),
    path("password/reset/", views_account.password_reset, name="password_reset"),
    path("password/reset/sent/", views_account.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views_account.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/done/", views_account.password_reset_complete, name="password_reset_complete"),
    path("procedures/<str:code>/submit/", views_dossiers.submit, name="submit"),
    path("my/", views_dossiers.my_dossiers, name="my_dossiers"),
    path("desk/", views_dossiers.desk, name="desk"),
    path("dossiers/<str:code>/", views_dossiers.dossier, name="dossier"),
    path("dossiers/<str:code>/result/", views_dossiers.result_document, name="result_document"),
    path("dossiers/<str:code>/files/<int:file_id>/", views_dossiers.download, name="download"),
    path("dossiers/<str:code>/<str:action>/", views_dossiers.move, name="move"),
]
