"""The ballot API: prepare, send, answer and sign (password or own signature), results, report,
decision; refusals in the one error format, changing nothing; privacy of answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govoffice.cabinet import signatures
from govoffice.cabinet.models import Answer, Ballot
from govoffice.directory.models import Role
from govoffice.signing.people import signer_identity
from govoffice.testing import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/api/v1/cabinet/ballots"


def _as(client, user):
    client.force_login(user)
    return client


def _new(client, cabinet, **extra) -> dict:
    body = {"title": "Dự thảo Nghị quyết về chuyển đổi số", "questions": ["Đồng ý thông qua?", "Đồng ý giao Bộ chủ trì?"],
            "deadline": (timezone.now() + dt.timedelta(days=2)).isoformat(), **extra}
    r = _as(client, cabinet.staff).post(URL, body, content_type="application/json")
    assert r.status_code == 201, r.content
    return r.json()


def _answers(ballot: dict, option: str = "agree") -> dict:
    return {str(q["id"]): {"option": option, "comment": ""} for q in ballot["questions"]}


def test_the_whole_road_through_the_api(cabinet, client) -> None:
    ballot = _new(client, cabinet)
    assert [o["code"] for o in ballot["options"]] == ["agree", "disagree", "other"] and ballot["state"] == "draft"
    opened = client.post(f"{URL}/{ballot['id']}/open", {}, content_type="application/json")
    assert opened.status_code == 200 and opened.json()["prime_minister"] == "thutuong"
    for m in cabinet.members[:3]:
        r = _as(client, m).post(f"{URL}/{ballot['id']}/answer", {"answers": _answers(ballot), "password": PASSWORD}, content_type="application/json")
        assert r.status_code == 201, r.content
        assert r.json()["signature_valid"] and r.json()["signed_by_server"]
    member = cabinet.members[3]
    choices = {k: {"option": "disagree", "comment": "Chưa đủ cơ sở"} for k in _answers(ballot)}
    payload = _as(client, member).post(f"{URL}/{ballot['id']}/answer-payload", {"answers": choices}, content_type="application/json").json()
    own = signatures.sign(signer_identity(member).key, payload["payload"].encode("utf-8"))
    r = client.post(f"{URL}/{ballot['id']}/answer", {"answers": choices, "signature": own}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["signed_by_server"] is False and r.json()["signature_valid"]
    assert client.get(f"{URL}/{ballot['id']}").json()["state"] == "closed"  # everyone answered
    results = _as(client, cabinet.staff).get(f"{URL}/{ballot['id']}/results").json()
    q = results["tally"]["questions"][str(ballot["questions"][0]["id"])]
    assert q["for"] == 3 and q["against"] == 1 and q["adopted"]
    assert {r["member"]["username"]: r["answer"]["answers"][str(ballot["questions"][0]["id"])]["comment"] for r in results["members"]}[member.username] == "Chưa đủ cơ sở"
    pdf = client.get(f"{URL}/{ballot['id']}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    decision = client.post(f"{URL}/{ballot['id']}/decision")
    assert decision.status_code == 200 and decision.json()["decision_outgoing_id"]


def test_a_retry_with_the_same_idempotency_key_makes_no_second_ballot(cabinet, client) -> None:
    body = {"title": "Phiếu", "questions": ["?"], "deadline": (timezone.now() + dt.timedelta(days=2)).isoformat()}
    first = _as(client, cabinet.staff).post(URL, body, content_type="application/json", headers={"Idempotency-Key": "k-1"})
    again = client.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize("case", ["late", "non_member", "twice", "unknown_option", "broken_signature"])
def test_bad_answers_get_a_clear_error_and_change_nothing(cabinet, client, make_member, case) -> None:
    ballot = _new(client, cabinet, allow_change=False)
    client.post(f"{URL}/{ballot['id']}/open", {}, content_type="application/json")
    member = cabinet.members[1]
    body: dict = {"answers": _answers(ballot), "password": PASSWORD}
    if case == "late":
        Ballot.objects.filter(pk=ballot["id"]).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    elif case == "non_member":
        member = make_member("nguoingoai")
    elif case == "twice":
        assert _as(client, member).post(f"{URL}/{ballot['id']}/answer", body, content_type="application/json").status_code == 201
    elif case == "unknown_option":
        body["answers"] = _answers(ballot, "abstain")
    elif case == "broken_signature":
        body = {"answers": _answers(ballot), "signature": "AAAA"}
    before = list(Answer.objects.values_list("pk", "revision", "choices"))
    r = _as(client, member).post(f"{URL}/{ballot['id']}/answer", body, content_type="application/json")
    expected = {"late": (409, "deadline_passed"), "non_member": (404, "not_found"), "twice": (409, "already_answered"),
                "unknown_option": (400, "unknown_option"), "broken_signature": (400, "invalid_signature")}[case]
    assert (r.status_code, r.json()["error"]["code"]) == expected, r.content
    assert r.json()["error"]["message"]
    assert list(Answer.objects.values_list("pk", "revision", "choices")) == before


def test_a_member_sees_only_their_own_ballots_and_answers(cabinet, client, make_member, make_user) -> None:
    ballot = _new(client, cabinet)
    client.post(f"{URL}/{ballot['id']}/open", {"members": [m.username for m in cabinet.members[:3]]}, content_type="application/json")
    _as(client, cabinet.members[1]).post(f"{URL}/{ballot['id']}/answer", {"answers": _answers(ballot), "password": PASSWORD}, content_type="application/json")
    mine = _as(client, cabinet.members[2]).get(f"{URL}/{ballot['id']}").json()
    assert mine["my_answer"] is None  # not member 1's answer
    assert client.get(f"{URL}/{ballot['id']}/results").status_code == 403
    assert [b["id"] for b in client.get(URL).json()] == [ballot["id"]]
    pending = client.get("/api/v1/cabinet/me/pending").json()
    assert [b["id"] for b in pending["ballots"]] == [ballot["id"]]
    outsider = cabinet.members[3]  # not sent this one
    assert _as(client, outsider).get(f"{URL}/{ballot['id']}").status_code == 404
    assert client.get(URL).json() == []
    for role in (Role.CLERK, Role.AUDITOR, Role.OFFICE_LEADER):
        person = make_user(role)
        assert _as(client, person).get(f"{URL}/{ballot['id']}").status_code == 404
        assert client.get(URL).json() == []
        assert client.post(URL, {"title": "x", "questions": ["?"], "deadline": "2099-01-01T00:00:00Z"}, content_type="application/json").status_code == 403


def test_without_sign_in_the_api_answers_401(client) -> None:
    assert client.get(URL).status_code == 401
