"""The count of a written ballot: plain Python, no database (the bench runs it on 10,000 ballots).

Rule (Decree 138/2016 and 39/2022, the Government's working regulation): a question is
decided when the answers that count "for" are more than half of all the members asked. On a
tie (exactly half "for"), the side the Prime Minister took prevails. How a member who did not
answer counts is the ballot's `non_answer` rule: not agreeing (default), agreeing (silence is
consent), or left out of the count (the denominator shrinks).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FOR, AGAINST, NEITHER = "for", "against", "neither"
DEFAULT_OPTIONS: list[dict[str, str]] = [
    {"code": "agree", "label": "Đồng ý", "counts_as": FOR},
    {"code": "disagree", "label": "Không đồng ý", "counts_as": AGAINST},
    {"code": "other", "label": "Ý kiến khác", "counts_as": NEITHER},
]
NON_ANSWER_RULES = ("not_for", "consent", "excluded")


def tally_question(
    *,
    members: Sequence[Any],
    votes: Mapping[Any, str],
    sides: Mapping[str, str],
    non_answer: str = "not_for",
    prime_minister: Any = None,
) -> dict[str, Any]:
    """Count one question. `votes` maps a member to the option code they chose; `sides` maps
    each option code to for/against/neither."""
    counts = {code: 0 for code in sides}
    side_counts = {FOR: 0, AGAINST: 0, NEITHER: 0}
    answered = 0
    for member in members:
        code = votes.get(member)
        if code is None:
            continue
        answered += 1
        counts[code] = counts.get(code, 0) + 1
        side_counts[sides.get(code, NEITHER)] += 1
    missing = len(members) - answered
    for_count = side_counts[FOR]
    denominator = len(members)
    if non_answer == "consent":
        for_count += missing
    elif non_answer == "excluded":
        denominator = answered
    pm_side = None
    if prime_minister is not None and prime_minister in members:
        pm_vote = votes.get(prime_minister)
        if pm_vote is not None:
            pm_side = sides.get(pm_vote, NEITHER)
        elif non_answer == "consent":
            pm_side = FOR
    if denominator and for_count * 2 > denominator:
        adopted, reason = True, "majority"
    elif denominator and for_count * 2 == denominator and pm_side in (FOR, AGAINST):
        adopted, reason = pm_side == FOR, "tie_prime_minister"
    else:
        adopted, reason = False, "no_majority" if for_count * 2 < denominator or not denominator else "tie_undecided"
    return {
        "counts": counts,
        "for": for_count,
        "against": side_counts[AGAINST],
        "neither": side_counts[NEITHER],
        "answered": answered,
        "not_answered": missing,
        "denominator": denominator,
        "needed": denominator // 2 + 1,
        "prime_minister_side": pm_side,
        "adopted": adopted,
        "reason": reason,
    }


def tally_ballot(
    *,
    members: Sequence[Any],
    questions: Iterable[Any],
    answers: Mapping[Any, Mapping[str, Any]],
    options: Sequence[Mapping[str, str]],
    non_answer: str = "not_for",
    prime_minister: Any = None,
) -> dict[str, Any]:
    """Count every question. `answers` maps a member to {question key: option code}."""
    sides = {o["code"]: o.get("counts_as", NEITHER) for o in options}
    out: dict[str, Any] = {"members": len(members), "answered": sum(1 for m in members if m in answers), "questions": {}}
    for q in questions:
        key = str(q)
        votes = {m: a[key] for m, a in answers.items() if key in a}
        out["questions"][key] = tally_question(
            members=members, votes=votes, sides=sides, non_answer=non_answer, prime_minister=prime_minister,
        )
    out["adopted"] = bool(out["questions"]) and all(r["adopted"] for r in out["questions"].values())
    return out
