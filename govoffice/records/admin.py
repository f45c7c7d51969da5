"""Django admin: the approval chains of submissions, per agency and matter (edited by an
administrator; every save is audited in the same transaction as the change)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from govoffice.audit.services import record_event
from govoffice.records.models import ApprovalChain

if TYPE_CHECKING:
    ChainAdminBase = admin.ModelAdmin[ApprovalChain]
else:
    ChainAdminBase = admin.ModelAdmin  # generic only for the type checker


@admin.register(ApprovalChain)
class ApprovalChainAdmin(ChainAdminBase):
    list_display = ("name", "agency", "matter", "active")
    list_filter = ("active",)
    search_fields = ("name", "matter", "agency__code", "agency__name_vi")
    raw_id_fields = ("agency",)
    help_texts = {
        "steps": 'A list of steps, e.g. [{"label": "Vụ trưởng", "role": "department_head", "same_unit": true}, '
                 '{"label": "Phó Chủ nhiệm", "role": "office_leader", "position": "Phó Chủ nhiệm"}]',
    }

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["steps"].help_text = self.help_texts["steps"]
        return form

    def save_model(self, request: HttpRequest, obj: ApprovalChain, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_event("records.approval_chain_saved", actor=request.user, obj=obj, agency=obj.agency.code,
                     data={"matter": obj.matter, "steps": obj.steps, "active": obj.active, "created": not change})

    def delete_model(self, request: HttpRequest, obj: ApprovalChain) -> None:
        record_event("records.approval_chain_deleted", actor=request.user, obj=obj, agency=obj.agency.code, data={"matter": obj.matter})
        super().delete_model(request, obj)
