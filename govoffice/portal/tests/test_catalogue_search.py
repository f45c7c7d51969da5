from __future__ import annotations

import json
from typing import Any

import pytest

from govoffice.lib.errors import DomainError
from govoffice.portal.catalogue import SEED_FILE, load_catalogue, load_seed
from govoffice.portal.models import Procedure
from govoffice.portal.selectors import CatalogueQuery, facets, procedures


def codes(**kw: Any) -> set[str]:
    return {p.code for p in procedures(CatalogueQuery(**kw))}


def test_the_seed_catalogue_loads_every_procedure_and_again_changes_nothing(catalogue: dict[str, Procedure]) -> None:
    assert len(catalogue) == len(json.loads(SEED_FILE.read_text())["procedures"]) >= 30
    again = load_seed()
    assert (again.created, again.updated) == (0, 0)


def test_search_finds_with_and_without_diacritics(catalogue: dict[str, Procedure]) -> None:
    with_marks = codes(q="lý lịch tư pháp")
    assert with_marks == codes(q="ly lich tu phap") == codes(q="LY LICH TU PHAP") == {"2.000488"}
    assert "1.001832" in codes(q="can cuoc cong dan")
    assert "2.000720" in codes(q="dang ky ho kinh doanh")  # đ folds to d


def test_filters_narrow_by_field_agency_level_and_applicant(catalogue: dict[str, Procedure]) -> None:
    assert codes(agency="000.00.00.G04") == {"1.002804", "1.001777"}
    assert all(catalogue[c].level == 4 for c in codes(level=4))
    business_only = codes(applicant="business")
    assert "2.001610" in business_only and "1.001193" not in business_only
    slug = catalogue["1.007712"].field_slug
    assert codes(field=slug) == {"1.007712", "1.007394"}


def test_facets_count_each_field_and_agency(catalogue: dict[str, Procedure]) -> None:
    data = facets()
    assert data["total"] == len(catalogue)
    assert sum(f["count"] for f in data["fields"]) == len(catalogue)
    assert {"code": "000.00.00.G15", "name": "Bộ Tư pháp"}.items() <= next(a for a in data["agencies"] if a["code"] == "000.00.00.G15").items()


def test_a_catalogue_with_an_unknown_agency_is_refused_whole(directory: Any) -> None:
    data = json.loads(SEED_FILE.read_text())
    data["procedures"][3]["agency"] = "000.00.00.G99"
    with pytest.raises(DomainError) as info:
        load_catalogue(json.dumps(data))
    assert "G99" in info.value.message and Procedure.objects.count() == 0


def test_the_catalogue_page_and_api_need_no_sign_in(client: Any, catalogue: Any) -> None:
    page = client.get("/portal/procedures/", {"q": "ho chieu"})
    assert page.status_code == 200 and "Cấp hộ chiếu phổ thông" in page.content.decode()
    assert "public" in page["Cache-Control"]
    api = client.get("/api/v1/portal/procedures", {"q": "giay phep lai xe"}).json()
    assert {i["code"] for i in api["items"]} == {"1.002804", "1.001777"}
    one = client.get("/api/v1/portal/procedures/2.000488").json()
    assert one["processing_days"] == 10 and one["form"][0]["name"] == "full_name"
    assert client.get("/api/v1/portal/procedures/9.999999").status_code == 404
    assert client.get("/portal/procedures/9.999999/").status_code == 404
    assert "sessionid" not in page.cookies
