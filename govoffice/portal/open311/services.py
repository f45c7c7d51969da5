"""The Open311 service list: the feedback topics, each with the same attributes (source,
the agency concerned, a subject, a tax code)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from govoffice.directory.models import Agency, AgencyKind
from govoffice.portal.feedback.models import Source, Topic

KEYWORDS = {
    Topic.REGULATION: "quy định, văn bản, regulation",
    Topic.PROCEDURE: "thủ tục, hồ sơ, procedure",
    Topic.CONDUCT: "cán bộ, thái độ, conduct",
    Topic.PROPOSAL: "kiến nghị, đề xuất, proposal",
}
DESCRIPTIONS = {
    Topic.REGULATION: "Phản ánh về nội dung quy định hành chính (Nghị định 20/2008/NĐ-CP).",
    Topic.PROCEDURE: "Phản ánh về thủ tục hành chính: hồ sơ, thời hạn, phí, kết quả.",
    Topic.CONDUCT: "Phản ánh về hành vi của cán bộ, công chức khi thực hiện quy định hành chính.",
    Topic.PROPOSAL: "Kiến nghị sửa đổi, bổ sung, ban hành quy định hành chính.",
}


def service_list() -> list[dict[str, Any]]:
    with translation.override("vi"):
        return [
            {"service_code": t.value, "service_name": str(t.label), "description": DESCRIPTIONS[t], "metadata": True,
             "type": "realtime", "keywords": KEYWORDS[t], "group": "phan-anh-kien-nghi"}
            for t in Topic
        ]


def service_name(code: str) -> str:
    with translation.override("vi"):
        return str(Topic(code).label) if code in Topic.values else ""


def definition(code: str) -> dict[str, Any]:
    agencies = (
        Agency.objects.filter(active=True).exclude(kind=AgencyKind.UNIT).order_by("code").values_list("code", "name_vi")
    )
    with translation.override("vi"):
        sources = [{"key": s.value, "name": str(s.label)} for s in Source]
    return {
        "service_code": code,
        "attributes": [
            {"variable": True, "code": "source", "datatype": "singlevaluelist", "required": True,
             "datatype_description": "citizen hoặc business", "order": 1,
             "description": "Người dân hay doanh nghiệp phản ánh", "values": sources},
            {"variable": True, "code": "subject", "datatype": "string", "required": False,
             "datatype_description": "tối đa 300 ký tự; bỏ trống thì lấy đầu mô tả", "order": 2,
             "description": "Tiêu đề phản ánh", "values": []},
            {"variable": True, "code": "agency", "datatype": "singlevaluelist", "required": False,
             "datatype_description": "mã định danh cơ quan", "order": 3,
             "description": "Cơ quan bị phản ánh", "values": [{"key": c, "name": n} for c, n in agencies]},
            {"variable": True, "code": "tax_code", "datatype": "string", "required": False,
             "datatype_description": "10 chữ số, hoặc 10-3", "order": 4,
             "description": "Mã số thuế (doanh nghiệp)", "values": []},
        ],
    }
