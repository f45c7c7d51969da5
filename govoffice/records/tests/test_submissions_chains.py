"""Approval chains: steps map to roles, positions (a deputy is not the post he deputises for)
and the drafter's unit; the admin refuses a malformed chain."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govoffice.directory.models import AgencyKind, Role
from govoffice.directory.services import create_agency
from govoffice.records.models import ApprovalChain
from govoffice.records.services.submissions import create_submission, position_matches, step_people
from govoffice.records.tests.office_people import vpcp  # noqa: F401  (fixture)
from govoffice.records.tests.test_submissions_flow import draft

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("position", "wanted", "matches"), [
    ("Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ", "Chủ nhiệm", True),
    ("Phó Chủ nhiệm Văn phòng Chính phủ", "Chủ nhiệm", False),
    ("Phó Chủ nhiệm Văn phòng Chính phủ", "Phó Chủ nhiệm", True),
    ("PHO CHU NHIEM", "Phó Chủ nhiệm", True),
    ("Chủ nhiệm", "Phó Chủ nhiệm", False),
    ("Thủ tướng Chính phủ", "Thủ tướng", True),
    ("Phó Thủ tướng Chính phủ", "Thủ tướng", False),
    ("Vụ trưởng", "", True),
    ("Chủ nhiệm Ủy ban", "Chủ nhiệm Văn phòng", False),
])
def test_positions_match_by_folded_words_and_deputies_are_told_apart(position, wanted, matches) -> None:
    assert position_matches(position, wanted) is matches


def test_the_first_step_is_the_head_of_the_drafters_own_department(vpcp, staff) -> None:  # noqa: F811
    other_unit = create_agency(actor=None, code="000.00.02.G22", name_vi="Vụ Pháp luật", short_name="PL", kind=AgencyKind.UNIT, parent=vpcp.agency)
    staff(Role.DEPARTMENT_HEAD, username="vtpl", full_name="Vụ trưởng Pháp luật", position="Vụ trưởng", unit=other_unit)
    row = create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft())
    assert step_people(row, 0) == [vpcp.head]
    assert step_people(row, 1) == [vpcp.vice] and step_people(row, 2) == [vpcp.chairman]
    assert set(step_people(row, 3)) == {vpcp.pm, vpcp.deputy_pm}


@pytest.mark.parametrize("steps", [
    [], "not a list", [{"label": "A"}], [{"label": "", "role": "department_head"}],
    [{"label": "A", "role": "clerk"}], [{"label": "A", "role": "office_leader", "same_unit": "yes"}],
    [{"label": "A", "role": "office_leader", "colour": "red"}],
])
def test_the_admin_refuses_a_malformed_chain(vpcp, steps) -> None:  # noqa: F811
    chain = ApprovalChain(agency=vpcp.agency, matter="law", name="Pháp luật", steps=steps)
    with pytest.raises(ValidationError):
        chain.full_clean()


def test_a_chain_per_matter_is_chosen_by_its_matter(vpcp) -> None:  # noqa: F811
    ApprovalChain.objects.create(agency=vpcp.agency, matter="noi-bo", name="Việc nội bộ",
                                 steps=[{"label": "Vụ trưởng", "role": "department_head", "same_unit": True},
                                        {"label": "Chủ nhiệm", "role": "office_leader", "position": "Chủ nhiệm"}])
    row = create_submission(actor=vpcp.specialist, agency=vpcp.agency, draft=draft(matter="noi-bo"))
    assert row.chain.matter == "noi-bo" and len(row.chain.steps) == 2


def test_an_administrator_edits_chains_in_the_django_admin_and_each_save_is_audited(vpcp, client, staff) -> None:  # noqa: F811
    import json

    from govoffice.audit.models import Event

    admin = staff("administrator", username="quantri")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = "/admin/records/approvalchain/add/"
    form = {"agency": vpcp.agency.pk, "matter": "phap-luat", "name": "Văn bản pháp luật", "active": "on"}
    refused = client.post(url, {**form, "steps": json.dumps([{"label": "A", "role": "clerk"}])})
    assert refused.status_code == 200 and "role must be one of" in refused.content.decode()
    assert not ApprovalChain.objects.filter(matter="phap-luat").exists()
    steps = [{"label": "Vụ trưởng Vụ Pháp luật", "role": "department_head", "same_unit": True},
             {"label": "Chủ nhiệm", "role": "office_leader", "position": "Chủ nhiệm"}]
    saved = client.post(url, {**form, "steps": json.dumps(steps, ensure_ascii=False)})
    assert saved.status_code == 302
    chain = ApprovalChain.objects.get(matter="phap-luat")
    assert chain.steps == steps
    assert Event.objects.filter(action="records.approval_chain_saved", object_id=str(chain.pk)).exists()


def test_the_demo_seeds_the_chain_and_gives_the_leaders_certificates_once(vpcp) -> None:  # noqa: F811
    from govoffice.demo.loader import setup_office_work
    from govoffice.signing.models import SignerKey

    setup_office_work(vpcp.agency)
    keys = SignerKey.objects.count()
    assert keys == 5  # head, vice, chairman, prime minister, deputy prime minister
    setup_office_work(vpcp.agency)
    assert SignerKey.objects.count() == keys and ApprovalChain.objects.filter(agency=vpcp.agency).count() == 1
