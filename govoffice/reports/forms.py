"""The dashboards' filters: a day, a year, the end of the hub window. Dates as dd/mm/yyyy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FIRST_YEAR, LAST_YEAR = 2000, 2100


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, input_formats=DATE_FORMATS,
                          error_messages={"invalid": _("Enter a date as day/month/year, for example 25/12/2019.")})


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR,
                              error_messages={"invalid": _("Enter a year, for example 2019."),
                                              "min_value": _("Enter a year from 2000 to 2100."),
                                              "max_value": _("Enter a year from 2000 to 2100.")})


class NationalForm(YearForm):
    end = forms.DateField(label=_("Hub traffic up to"), required=False, input_formats=DATE_FORMATS,
                          error_messages={"invalid": _("Enter a date as day/month/year, for example 25/12/2019.")})

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        year, end = data.get("year"), data.get("end")
        if year and end and getattr(end, "year", year) != year:
            self.add_error("end", _("Choose a day in the year shown."))
        return data
