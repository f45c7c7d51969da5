"""Agency names in the page's language (web_agency filters, for the header): the short name
when there is one, else the English name on English pages and the Vietnamese one otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from govoffice.directory.models import Agency, AgencyKind
from govoffice.directory.services import create_agency

pytestmark = pytest.mark.django_db
TEMPLATE = Template("{% load web_agency %}[{{ a|agency_label }}|{{ a|agency_name }}]")


def render(agency: Agency | None, language: str) -> str:
    with translation.override(language):
        return TEMPLATE.render(Context({"a": agency}))


@pytest.fixture
def province(db: Any) -> Agency:
    return create_agency(actor=None, code="000.00.00.H41", name_vi="Ủy ban nhân dân tỉnh Nghệ An",
                         name_en="Nghe An Provincial People's Committee", kind=AgencyKind.PROVINCE)


def test_without_a_short_name_english_pages_show_the_english_name(province: Agency) -> None:
    assert render(province, "en") == "[Nghe An Provincial People&#x27;s Committee|Nghe An Provincial People&#x27;s Committee]"
    assert render(province, "vi") == "[Ủy ban nhân dân tỉnh Nghệ An|Ủy ban nhân dân tỉnh Nghệ An]"


def test_the_short_name_is_the_label_in_both_languages(office: Agency) -> None:
    assert render(office, "en") == "[VPCP|Government Office]"
    assert render(office, "vi") == "[VPCP|Văn phòng Chính phủ]"


def test_without_an_english_name_the_vietnamese_one_stands(db: Any) -> None:
    agency = create_agency(actor=None, code="000.00.00.H29", name_vi="Ủy ban nhân dân Thành phố Hồ Chí Minh",
                           kind=AgencyKind.PROVINCE)
    assert render(agency, "en") == "[Ủy ban nhân dân Thành phố Hồ Chí Minh|Ủy ban nhân dân Thành phố Hồ Chí Minh]"
    assert render(None, "en") == "[|]"
