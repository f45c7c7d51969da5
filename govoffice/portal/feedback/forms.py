"""The forms of the feedback pages; the rules live in the services, which name the field at fault."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govoffice.directory.models import Agency, AgencyKind
from govoffice.portal.feedback.models import OutOfScope, Source, Topic


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the types and sizes are checked by the service."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data]
        return [one(data, initial)] if data else []


def agency_choices(blank: str) -> list[tuple[str, str]]:
    rows = Agency.objects.filter(active=True).exclude(kind=AgencyKind.UNIT).order_by("name_vi").values_list("code", "name_vi")
    return [("", blank), *[(code, f"{name} ({code})") for code, name in rows]]


class FeedbackForm(forms.Form):
    source = forms.ChoiceField(label=_("You write as"), choices=Source.choices, widget=forms.RadioSelect, initial=Source.CITIZEN)
    name = forms.CharField(label=_("Full name (or the business's name)"), max_length=200)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False,
                            help_text=_("We send the receipt, each step and the answer here."))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            help_text=_("An e-mail address or a phone number is required."))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    tax_code = forms.CharField(label=_("Tax code (businesses)"), max_length=14, required=False)
    agency = forms.ChoiceField(label=_("Agency concerned"), required=False)
    topic = forms.ChoiceField(label=_("The feedback is about"), choices=Topic.choices)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(label=_("Attachments (PDF, JPEG or PNG)"), required=False,
                                  widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = agency_choices(str(_("I do not know")))


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=40)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the published answers"), max_length=200, required=False)


class RatingForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with the answer?"), widget=forms.RadioSelect,
        choices=[("1", _("Satisfied")), ("0", _("Not satisfied"))], coerce=lambda v: v == "1",
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000)


class ForwardForm(forms.Form):
    agency = forms.ChoiceField(label=_("Responsible ministry or province"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = agency_choices("")


class OutOfScopeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Why it is out of scope"), choices=OutOfScope.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DuplicateForm(forms.Form):
    original = forms.CharField(label=_("Receipt code of the earlier piece"), max_length=40)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PublishForm(forms.Form):
    subject = forms.CharField(label=_("Published subject"), max_length=300)
    question = forms.CharField(label=_("Published question"), widget=forms.Textarea(attrs={"rows": 6}))
    answer = forms.CharField(label=_("Published answer"), widget=forms.Textarea(attrs={"rows": 8}))


class ReturnAnswerForm(forms.Form):
    note = forms.CharField(label=_("What the answer lacks"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 10}))
