"""The forms of the cabinet pages: they parse what a person typed; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govoffice.cabinet.models import MeetingKind, NonAnswer, Position
from govoffice.lib.errors import DomainError
from govoffice.records.forms_incoming import MultipleFileField, MultipleFileInput

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
ACCEPT = ".pdf,.docx,.xlsx,.doc,.jpg,.jpeg,.png,.txt,.xml,.zip"


class CabinetForm(forms.Form):
    """A form whose fields carry aria-invalid/aria-describedby, and that shows a DomainError beside its field."""

    def add_domain_error(self, exc: DomainError) -> None:
        field = "attachments" if exc.field == "files" else exc.field
        name = field if field in self.fields else None
        self.add_error(name, exc.message)

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def _names(text: str) -> list[str]:
    return [p for p in text.replace(",", " ").split() if p]


class MeetingForm(CabinetForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    starts_at = forms.DateTimeField(label=_("Date and time (dd/mm/yyyy hh:mm)"), input_formats=DATETIME_FORMATS)
    place = forms.CharField(label=_("Place"), max_length=255, initial="Trụ sở Chính phủ, Hà Nội")
    chair = forms.CharField(label=_("Chair (username)"), max_length=150)
    members = forms.CharField(label=_("Members invited (usernames, separated by spaces)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    guests = forms.CharField(label=_("Invited guests (one a line: name; title)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def member_list(self) -> list[str]:
        return _names(self.cleaned_data["members"])

    def guest_list(self) -> list[tuple[str, str]]:
        out = []
        for line in _lines(self.cleaned_data["guests"]):
            name, _sep, title = line.partition(";")
            out.append((name.strip(), title.strip()))
        return out


class ItemForm(CabinetForm):
    title = forms.CharField(label=_("Item"), max_length=500)
    presenting_agency = forms.CharField(label=_("Presenting agency (organisation code)"), max_length=20)
    starts = forms.TimeField(label=_("From (hh:mm)"), required=False)
    ends = forms.TimeField(label=_("To (hh:mm)"), required=False)
    registry = forms.CharField(label=_("Registry documents (incoming:ID or outgoing:ID, separated by spaces)"), required=False)
    attachments = MultipleFileField(label=_("Uploaded materials"), required=False, widget=MultipleFileInput(attrs={"accept": ACCEPT}))


class PositionForm(CabinetForm):
    position = forms.ChoiceField(label=_("My position"), choices=Position.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(CabinetForm):
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    tasks = forms.CharField(
        label=_("Tasks (one a line: lead agency code; coordinating codes separated by spaces; deadline dd/mm/yyyy; content)"),
        required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def task_list(self) -> list[dict[str, Any]]:
        out = []
        for line in _lines(self.cleaned_data["tasks"]):
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 4:
                raise forms.ValidationError(_("Each task line has four parts separated by “;”"))
            lead, coordinating, deadline, content = parts
            day = None
            if deadline:
                try:
                    day = dt.datetime.strptime(deadline, "%d/%m/%Y").date()
                except ValueError as exc:
                    raise forms.ValidationError(_("A task's deadline is written dd/mm/yyyy")) from exc
            out.append({"lead_agency_code": lead, "coordinating_agency_codes": _names(coordinating), "deadline": day, "content": content})
        return out

    def clean_tasks(self) -> str:
        text: str = self.cleaned_data["tasks"]
        self.cleaned_data["tasks"] = text
        self.task_list()
        return text


class BallotForm(CabinetForm):
    title = forms.CharField(label=_("Matter"), max_length=500)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    questions = forms.CharField(label=_("Questions (one a line)"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateTimeField(label=_("Deadline (dd/mm/yyyy hh:mm)"), input_formats=DATETIME_FORMATS)
    allow_change = forms.BooleanField(label=_("Members may change their answer until the deadline"), required=False, initial=True)
    non_answer = forms.ChoiceField(label=_("A member who does not answer"), choices=NonAnswer.choices)
    prime_minister = forms.CharField(label=_("Prime Minister (username; empty: found by position)"), required=False)
    registry = forms.CharField(label=_("Registry documents (incoming:ID or outgoing:ID, separated by spaces)"), required=False)
    attachments = MultipleFileField(label=_("Drafts"), required=False, widget=MultipleFileInput(attrs={"accept": ACCEPT}))

    def clean_deadline(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["deadline"]
        return value if timezone.is_aware(value) else timezone.make_aware(value)

    def question_list(self) -> list[str]:
        return _lines(self.cleaned_data["questions"])


class AnswerForm(CabinetForm):
    """One choice and comment per question, then the password that signs."""

    password = forms.CharField(label=_("Your password (to sign the answer)"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args: Any, questions: list[Any], options: list[dict[str, str]], initial_answers: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        given = initial_answers or {}
        for i, q in enumerate(questions, 1):
            key = str(q.pk)
            self.fields[f"q{key}"] = forms.ChoiceField(label=f"{i}. {q.text}", choices=[(o["code"], o["label"]) for o in options],
                                                      widget=forms.RadioSelect, initial=given.get(key, {}).get("option"))
            self.fields[f"c{key}"] = forms.CharField(label=_("Comment on question %(n)s") % {"n": i}, required=False,
                                                    widget=forms.Textarea(attrs={"rows": 2}), initial=given.get(key, {}).get("comment", ""))
        self.order_fields([*(n for q in questions for n in (f"q{q.pk}", f"c{q.pk}")), "password"])

    def answers(self) -> dict[str, dict[str, str]]:
        return {str(q.pk): {"option": self.cleaned_data[f"q{q.pk}"], "comment": self.cleaned_data[f"c{q.pk}"]} for q in self.questions}

    def add_domain_error(self, exc: DomainError) -> None:
        if exc.field == "answers":
            self.add_error(None, exc.message)
        else:
            super().add_domain_error(exc)
