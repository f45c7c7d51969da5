"""The summary report of a closed ballot: PDF/A-3b laid out by WeasyPrint with the same fonts as
the registry's documents (records.layout)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from govoffice.cabinet import signatures
from govoffice.cabinet.models import Ballot
from govoffice.cabinet.services.ballots import current_answers
from govoffice.records.layout import MOTTO, NATIONAL_TITLE, PDF_VARIANT, fonts


def rows(ballot: Ballot) -> list[dict[str, Any]]:
    """One row per member asked: their current answer per question, comments, signature check, late flag."""
    answers = current_answers(ballot)
    questions = list(ballot.questions.all())
    out = []
    for seat in ballot.members.select_related("member").order_by("member__full_name", "member__username"):
        answer = answers.get(seat.member_id)
        out.append({
            "member": seat.member, "late": seat.late, "answer": answer,
            "cells": [{"question": q, "option": ballot.option_label(answer.choices[str(q.pk)]["option"]) if answer else "",
                       "comment": answer.choices[str(q.pk)].get("comment", "") if answer else ""} for q in questions],
            "verified": signatures.verify_answer(answer) if answer else None,
        })
    return out


def context(ballot: Ballot) -> dict[str, Any]:
    questions = list(ballot.questions.all())
    result = ballot.result or {}
    return {
        "ballot": ballot, "rows": rows(ballot), "nation": NATIONAL_TITLE, "motto": MOTTO,
        "questions": [{"q": q, "r": result.get("questions", {}).get(str(q.pk), {}),
                       "counts": [(o["label"], result.get("questions", {}).get(str(q.pk), {}).get("counts", {}).get(o["code"], 0)) for o in ballot.options]}
                      for q in questions],
        "result": result, "printed_at": timezone.localtime(),
    }


def render_pdf(ballot: Ballot) -> bytes:
    from weasyprint import HTML

    html = render_to_string("cabinet/pdf/report.html", {**context(ballot), "fonts": fonts()})
    pdf = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return bytes(pdf)
