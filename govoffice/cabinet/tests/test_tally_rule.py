"""The tally rule: more than half of all members; on a tie the Prime Minister's side; non-answers configurable."""

from __future__ import annotations

from govoffice.cabinet.tally import DEFAULT_OPTIONS, tally_ballot, tally_question

SIDES = {o["code"]: o["counts_as"] for o in DEFAULT_OPTIONS}
MEMBERS = [f"m{i}" for i in range(1, 11)]  # m1 is the Prime Minister


def count(votes: dict[str, str], **kw: object) -> dict[str, object]:
    return tally_question(members=MEMBERS, votes=votes, sides=SIDES, prime_minister="m1", **kw)  # type: ignore[arg-type]


def test_more_than_half_of_all_members_adopts() -> None:
    r = count({m: "agree" for m in MEMBERS[:6]})
    assert r["adopted"] and r["reason"] == "majority" and r["needed"] == 6


def test_a_majority_of_those_who_answered_is_not_enough_when_non_answers_count_as_not_agreeing() -> None:
    r = count({"m2": "agree", "m3": "agree", "m4": "agree", "m5": "disagree"})
    assert not r["adopted"] and r["not_answered"] == 6 and r["reason"] == "no_majority"


def test_on_a_tie_the_prime_ministers_side_prevails() -> None:
    agree_with_pm = {**{m: "agree" for m in MEMBERS[:5]}, **{m: "disagree" for m in MEMBERS[5:]}}
    assert count(agree_with_pm)["adopted"] is True
    assert count(agree_with_pm)["reason"] == "tie_prime_minister"
    pm_against = {**{m: "agree" for m in MEMBERS[1:6]}, "m1": "disagree", **{m: "disagree" for m in MEMBERS[6:]}}
    r = count(pm_against)
    assert r["for"] == 5 and r["adopted"] is False and r["reason"] == "tie_prime_minister"


def test_a_tie_where_the_prime_minister_gave_another_opinion_is_undecided() -> None:
    votes = {**{m: "agree" for m in MEMBERS[1:6]}, "m1": "other"}
    r = count(votes)
    assert r["adopted"] is False and r["reason"] == "tie_undecided"


def test_silence_can_be_configured_as_consent() -> None:
    r = count({"m2": "agree", "m3": "disagree"}, non_answer="consent")
    assert r["for"] == 9 and r["adopted"]


def test_non_answers_can_be_left_out_of_the_count() -> None:
    r = count({"m2": "agree", "m3": "agree", "m4": "disagree"}, non_answer="excluded")
    assert r["denominator"] == 3 and r["adopted"]


def test_a_ballot_is_adopted_only_if_every_question_is() -> None:
    answers = {m: {"1": "agree", "2": "disagree"} for m in MEMBERS}
    r = tally_ballot(members=MEMBERS, questions=[1, 2], answers=answers, options=DEFAULT_OPTIONS, prime_minister="m1")
    assert r["questions"]["1"]["adopted"] and not r["questions"]["2"]["adopted"] and r["adopted"] is False
    assert r["questions"]["2"]["counts"] == {"agree": 0, "disagree": 10, "other": 0}
