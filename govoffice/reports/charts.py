"""The dashboards' charts: server-drawn SVG through the hub's chart helpers (exchange.charts),
each with a title and a description, and the same figures in a table beside it on the page."""

from __future__ import annotations

import datetime as dt

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from govoffice.exchange.charts import Series, bar_chart, column_chart
from govoffice.exchange.templatetags.hub_ops import grouped


def hours_chart(by_hour: list[tuple[int, int]]) -> SafeString:
    labels = [f"{h:02d}h" for h, _n in by_hour]
    total = sum(n for _h, n in by_hour)
    return column_chart(
        labels, [Series(_("Registered"), [n for _h, n in by_hour])], chart_id="chart-hours",
        title=_("Documents registered by hour"), fmt=grouped,
        description=_("%(n)s documents registered this day, by the hour they were registered; the table below gives each hour.")
        % {"n": grouped(total)},
    )


def age_chart(by_age: list[tuple[str, int]]) -> SafeString:
    return bar_chart(
        [_("%(days)s days late") % {"days": label} for label, _n in by_age], [Series(_("Overdue documents"), [n for _l, n in by_age])],
        chart_id="chart-age", title=_("Overdue documents by days past the deadline"), fmt=grouped,
        description=_("How many overdue documents are how many calendar days past their deadline; the table gives the figures."),
    )


def hub_chart(by_day: list[tuple[dt.date, int]]) -> SafeString | None:
    if not any(n for _d, n in by_day):
        return None
    return column_chart(
        [d.strftime("%d/%m") for d, _n in by_day], [Series(_("Packages"), [n for _d, n in by_day])], chart_id="chart-hub",
        title=_("Packages through the national hub by day"), fmt=grouped,
        tooltips=[f"{d:%d/%m/%Y}: {grouped(n)}" for d, n in by_day],
        description=_("Packages (documents and statuses) the hub accepted each day from %(start)s to %(end)s; "
                      "the table gives each day.")
        % {"start": by_day[0][0].strftime("%d/%m/%Y"), "end": by_day[-1][0].strftime("%d/%m/%Y")},
    )


def registry_chart(months: list[dict[str, int]], year: int) -> SafeString | None:
    if not any(m["received"] or m["submissions"] or m["issued"] for m in months):
        return None
    return column_chart(
        [f"{m['month']:02d}/{year % 100:02d}" for m in months],
        [Series(_("Received"), [m["received"] for m in months]), Series(_("Submissions"), [m["submissions"] for m in months]),
         Series(_("Issued"), [m["issued"] for m in months])],
        chart_id="chart-registry", title=_("The office's registry by month"), fmt=grouped,
        description=_("Documents received, submissions sent up and documents issued each month of %(year)s, stacked; "
                      "the table gives each month.") % {"year": year},
    )
