"""The forms of the incoming pages: the register's filters, a paper registration, an assignment.

Forms only parse and check what a person typed; every rule of the work itself stays in the
services, whose DomainError is shown beside the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govoffice.directory.models import Agency, Clearance, User
from govoffice.directory.permissions import STAFF_ROLES
from govoffice.lib.errors import DomainError
from govoffice.records.models import Channel, DocType, Incoming, IncomingState, Urgency

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_HINT = _("dd/mm/yyyy")


def _date(label: Any, required: bool = False, help_text: Any = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, help_text=help_text,
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

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)


class RegisterFilter(AccessibleForm):
    date_from = _date(_("Arrived from"))
    date_to = _date(_("Arrived until"))
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any")), *IncomingState.choices])
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Any")), *((str(v), label) for v, label in Urgency.choices)],
    )
    doc_type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any")), *DocType.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices])
    sender = forms.CharField(label=_("Author agency"), required=False, max_length=200)
    number = forms.CharField(label=_("Number and notation"), required=False, max_length=100)
    presented = forms.ChoiceField(
        label=_("Presented"), required=False, choices=[("", _("Any")), ("yes", _("Presented")), ("no", _("Not yet presented"))],
    )
    mine = forms.BooleanField(label=_("Only documents I handle"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start"))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class PaperForm(AccessibleForm):
    sender_name = forms.CharField(label=_("Author agency"), max_length=255)
    sender_code = forms.CharField(
        label=_("Organisation code of the author agency"), required=False, max_length=13,
        help_text=_("If it has one, for example 000.00.00.G12"),
    )
    number_notation = forms.CharField(label=_("Number and notation"), required=False, max_length=100, help_text=_("for example 123/BTC-VP"))
    document_date = _date(_("Document date"))
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocType.choices, initial=DocType.CONG_VAN)
    subject = forms.CharField(label=_("Summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.TypedChoiceField(label=_("Urgency"), coerce=int, choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality"), coerce=int, choices=Clearance.choices, initial=Clearance.NONE)
    pages = forms.IntegerField(label=_("Number of pages"), required=False, min_value=0, max_value=100_000)
    due_date = _date(_("Reply due by"), help_text=_("dd/mm/yyyy, if the document sets a date"))
    note = forms.CharField(label=_("Notes"), required=False, max_length=500)
    scans = MultipleFileField(label=_("Scans"), required=False, help_text=_("PDF, JPEG or PNG; several files at once"))

    def __init__(self, *args: Any, clearance: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["confidentiality"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(v, label) for v, label in Clearance.choices if v <= clearance]


def people_for(incoming: Incoming) -> QuerySet[User]:
    """The agency's staff who may see the document: the choice of lead and co-ordinating people."""
    return (
        User.objects.filter(
            agency_id=incoming.agency_id, is_active=True, clearance__gte=incoming.confidentiality, roles__role__in=STAFF_ROLES,
        )
        .select_related("unit")
        .distinct()
        .order_by("full_name", "username")
    )


def units_for(incoming: Incoming) -> QuerySet[Agency]:
    return Agency.objects.filter(parent_id=incoming.agency_id, active=True).order_by("name_vi")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = f" ({obj.unit.name_vi})" if obj.unit_id else ""
        return f"{obj.full_name or obj.username}{unit}"


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = f" ({obj.unit.name_vi})" if obj.unit_id else ""
        return f"{obj.full_name or obj.username}{unit}"


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_vi)


class UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_vi)


class AssignForm(AccessibleForm):
    lead_unit = UnitChoice(label=_("Lead unit"), required=False, queryset=Agency.objects.none())
    lead_person = PersonChoice(label=_("Lead person"), required=False, queryset=User.objects.none())
    coordinating_units = UnitsChoice(
        label=_("Co-ordinating units"), required=False, queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple,
    )
    coordinators = PeopleChoice(
        label=_("Co-ordinating people"), required=False, queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
    )
    direction = forms.CharField(label=_("Direction"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    deadline = _date(_("Deadline"), help_text=_("dd/mm/yyyy; or give a number of working days below"))
    deadline_days = forms.IntegerField(
        label=_("Deadline in working days"), required=False, min_value=1, max_value=365,
        help_text=_("Counted from today on the office's calendar (weekends and public holidays skipped)"),
    )

    def __init__(self, *args: Any, incoming: Incoming, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = people_for(incoming)
        units = units_for(incoming)
        for name, queryset in (("lead_unit", units), ("coordinating_units", units), ("lead_person", people), ("coordinators", people)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("lead_unit") and not data.get("lead_person") and not self.has_error("lead_person"):
            self.add_error("lead_person", _("Choose the lead unit or the lead person"))
        if data.get("deadline") and data.get("deadline_days"):
            self.add_error("deadline", _("Give a date or a number of working days, not both"))
        return data
