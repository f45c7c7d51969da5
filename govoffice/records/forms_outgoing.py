"""The forms of the submission and outgoing pages. They parse what a person typed; the rules
of the work stay in the services, whose DomainError is shown beside the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govoffice.directory.models import Agency, Clearance, User
from govoffice.records.forms_incoming import AccessibleForm, MultipleFileField, MultipleFileInput
from govoffice.records.models import ApprovalChain, DocType, Incoming, Urgency
from govoffice.records.permissions import LEADERS, visible_to
from govoffice.records.services.outgoing import COMPETENCES, authorities

ATTACH_ACCEPT = ".pdf,.docx,.xlsx,.doc,.jpg,.jpeg,.png,.txt,.xml,.zip"


def _files(label: Any, help_text: Any) -> MultipleFileField:
    return MultipleFileField(label=label, required=False, help_text=help_text,
                             widget=MultipleFileInput(attrs={"accept": ATTACH_ACCEPT}))


def _clearances(clearance: int) -> list[tuple[int, str]]:
    return [(v, str(label)) for v, label in Clearance.choices if v <= clearance]


class SubmissionForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=500)
    matter = forms.ChoiceField(label=_("Approval chain"))
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Text of the submission"), widget=forms.Textarea(attrs={"rows": 10}))
    urgency = forms.TypedChoiceField(label=_("Urgency"), coerce=int, choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality"), coerce=int, choices=Clearance.choices, initial=Clearance.NONE)
    related = forms.TypedMultipleChoiceField(label=_("Related incoming documents"), required=False, coerce=int,
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    attachments = _files(_("Attached drafts"), _("PDF, Word, Excel, images; several files at once"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chains = ApprovalChain.objects.filter(agency=user.agency, active=True)
        self._choice("matter").choices = [(c.matter, c.name) for c in chains]
        self._choice("confidentiality").choices = _clearances(user.clearance)
        recent = Incoming.objects.filter(visible_to(user), arrival_number__isnull=False).order_by("-arrived_at")[:200]
        self._choice("related").choices = [(i.pk, f"{i.arrival_number}/{i.year} · {i.number_notation} · {i.subject[:80]}") for i in recent]

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


class ReviseForm(AccessibleForm):
    body = forms.CharField(label=_("Text of the submission"), widget=forms.Textarea(attrs={"rows": 10}))
    note = forms.CharField(label=_("What changed"), required=False, max_length=500)
    keep = forms.TypedMultipleChoiceField(label=_("Files to keep"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple)
    attachments = _files(_("New files"), _("PDF, Word, Excel, images; several files at once"))

    def __init__(self, *args: Any, files_now: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(f.pk, f.name) for f in files_now]


def leaders_of(agency: Agency | None, clearance: int = 0) -> QuerySet[User]:
    return (
        User.objects.filter(agency=agency, is_active=True, roles__role__in=LEADERS, clearance__gte=clearance)
        .distinct().order_by("full_name", "username")
    )


class OutgoingForm(AccessibleForm):
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocType.choices, initial=DocType.CONG_VAN)
    authority = forms.ChoiceField(label=_("Issued in the name of"))
    drafting_unit = forms.ChoiceField(label=_("Drafting unit"), required=False,
                                      help_text=_("Its short name ends a công văn's notation: 7816/VPCP-TTĐT"))
    subject = forms.CharField(label=_("Subject (trích yếu)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 12}))
    place = forms.CharField(label=_("Place of issue"), max_length=100, initial="Hà Nội")
    urgency = forms.TypedChoiceField(label=_("Urgency"), coerce=int, choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality"), coerce=int, choices=Clearance.choices, initial=Clearance.NONE)
    recipients = forms.CharField(label=_("Recipients on the hub"), required=False, max_length=2000,
                                 help_text=_("Organisation codes, separated by commas or spaces, e.g. 000.00.00.G12"))
    recipient_places = forms.CharField(label=_("Other lines of “Nơi nhận”"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line, e.g. “- Như trên;”"))
    signer = forms.ChoiceField(label=_("Signer"), required=False)
    signer_competence = forms.ChoiceField(label=_("Competence"), required=False, choices=[(c, c or "—") for c in COMPETENCES])
    signer_on_behalf = forms.CharField(label=_("On behalf of"), required=False, max_length=255,
                                       help_text=_("After TM./KT./TL.: e.g. CHÍNH PHỦ, BỘ TRƯỞNG, CHỦ NHIỆM"))
    signer_title = forms.CharField(label=_("Signer's title as printed"), required=False, max_length=255,
                                   help_text=_("e.g. THỦ TƯỚNG, PHÓ CHỦ NHIỆM; empty = the signer's position"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = user.agency
        assert agency is not None
        self._choice("authority").choices = [(short, f"{name} ({short})") for short, name in authorities(agency)]
        units = Agency.objects.filter(parent=agency, active=True).order_by("name_vi")
        self._choice("drafting_unit").choices = [("", "—"), *((u.code, f"{u.name_vi} ({u.short_name})") for u in units)]
        if user.unit is not None and not self.is_bound:
            self.initial.setdefault("drafting_unit", user.unit.code)
        self._choice("signer").choices = [("", "—"), *((u.username, f"{u} – {u.position}") for u in leaders_of(agency))]
        self._choice("confidentiality").choices = _clearances(user.clearance)

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field
