"""The forms of the supervision pages: they parse what a person typed; the rules stay in the
services, whose DomainError is shown beside the field it names."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govoffice.lib.errors import DomainError
from govoffice.supervision import rates
from govoffice.supervision.models import Assigner, Importance, Source, Status

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_HINT = _("dd/mm/yyyy")


def date_field(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, help_text=DATE_HINT,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
    )


class AccessibleForm(forms.Form):
    """Marks fields in error for assistive technology and shows a service's error beside its field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                field.widget.attrs["aria-invalid"] = "true"
                hint = f" id_{name}-hint" if field.help_text else ""
                field.widget.attrs["aria-describedby"] = f"id_{name}-error{hint}"

    def add_domain_error(self, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
        name = (aliases or {}).get(exc.field or "", exc.field)
        self.add_error(name if name in self.fields else None, exc.message)
        self.mark_invalid()


def codes(text: str) -> list[str]:
    return [c for c in re.split(r"[\s,;]+", text or "") if c]


ANY = ("", _("Any"))


class TaskFilterForm(AccessibleForm):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[ANY, *Status.choices])
    as_of = date_field(_("Status on"))
    agency = forms.CharField(label=_("Lead agency (code)"), required=False, max_length=13)
    assigner = forms.ChoiceField(label=_("Assigned by"), required=False, choices=[ANY, *Assigner.choices])
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[ANY, *Source.choices])


class TaskForm(AccessibleForm):
    content = forms.CharField(label=_("Content of the task"), widget=forms.Textarea(attrs={"rows": 4}))
    assigner = forms.ChoiceField(label=_("Assigned by"), choices=Assigner.choices)
    assigner_name = forms.CharField(label=_("Name of the assigner"), required=False, max_length=255,
                                    help_text=_("e.g. which Deputy Prime Minister"))
    lead_agency = forms.CharField(label=_("Lead agency (organisation code)"), max_length=13,
                                  help_text=_("e.g. 000.00.00.G12"))
    coordinating_agencies = forms.CharField(label=_("Co-ordinating agencies (codes)"), required=False,
                                            help_text=_("separated by spaces or commas"))
    assigned_on = date_field(_("Assigned on"))
    deadline = date_field(_("Deadline"))
    importance = forms.TypedChoiceField(label=_("Importance"), coerce=int, choices=Importance.choices, initial=Importance.NORMAL)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.DOCUMENT)
    source_ref = forms.CharField(label=_("Source reference"), required=False, max_length=255,
                                 help_text=_("number and notation, or the meeting item"))


class ProgressForm(AccessibleForm):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Share done (%)"), required=False, min_value=0, max_value=100)
    complete = forms.BooleanField(label=_("The task is completed"), required=False)


class ExtensionForm(AccessibleForm):
    requested_deadline = date_field(_("New deadline asked for"), required=True)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(AccessibleForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("required when refusing"))


class RateForm(AccessibleForm):
    date_from = date_field(_("Assigned from"), required=True)
    date_to = date_field(_("Assigned until"), required=True)
    agency = forms.CharField(label=_("Lead agency (code)"), required=False, max_length=13)
    assigner = forms.ChoiceField(label=_("Assigned by"), required=False, choices=[ANY, *Assigner.choices])
    definition = forms.ChoiceField(label=_("Definition"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["definition"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(d.key, f"{d.key} – {d.label}") for d in rates.DEFINITIONS.values()]
        field.initial = rates.DEFAULT

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start"))
        return data


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class InspectionForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=500)
    starts_on = date_field(_("First day"), required=True)
    ends_on = date_field(_("Last day"), required=True)
    members = forms.CharField(label=_("Members of the working group"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("one a line: full name, then a comma and the position"))
    targets = forms.CharField(label=_("Agencies to inspect"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("one a line: organisation code, then the day of the visit (dd/mm/yyyy)"))

    def clean_targets(self) -> list[tuple[str, dt.date | None]]:
        out: list[tuple[str, dt.date | None]] = []
        for n, line in enumerate(_lines(self.cleaned_data["targets"]), 1):
            parts = line.replace(",", " ").split()
            day = None
            if len(parts) > 1:
                try:
                    day = dt.datetime.strptime(parts[1], "%d/%m/%Y").date()
                except ValueError as exc:
                    raise forms.ValidationError(_("Line %(n)d: “%(day)s” is not a date (dd/mm/yyyy)") % {"n": n, "day": parts[1]}) from exc
            out.append((parts[0], day))
        return out

    def clean_members(self) -> list[tuple[str, str]]:
        out = []
        for line in _lines(self.cleaned_data["members"]):
            name, _sep, position = line.partition(",")
            out.append((name.strip(), position.strip()))
        return out


class FindingForm(AccessibleForm):
    agency = forms.ChoiceField(label=_("Inspected agency"))
    summary = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(
        label=_("Recommendations (each becomes a task)"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("one a line: the task, then “|” and its deadline (dd/mm/yyyy)"),
    )

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = agencies

    def clean_recommendations(self) -> list[tuple[str, dt.date | None]]:
        out: list[tuple[str, dt.date | None]] = []
        for n, line in enumerate(_lines(self.cleaned_data["recommendations"]), 1):
            content, _sep, when = line.partition("|")
            day = None
            if when.strip():
                try:
                    day = dt.datetime.strptime(when.strip(), "%d/%m/%Y").date()
                except ValueError as exc:
                    raise forms.ValidationError(_("Line %(n)d: “%(day)s” is not a date (dd/mm/yyyy)") % {"n": n, "day": when.strip()}) from exc
            out.append((content.strip(), day))
        return out
