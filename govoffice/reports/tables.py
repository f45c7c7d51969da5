"""Each dashboard's figures as tables: the exports write exactly these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.reports.annual import DEFINITION_KEY, KEYS, SEED_2019, AnnualReport
from govoffice.reports.dashboards import ClerkDay, LeaderView, NationalView
from govoffice.reports.exports import Table


def local(at: dt.datetime | None) -> str:
    return timezone.localtime(at).strftime("%d/%m/%Y %H:%M") if at else ""


def labels() -> dict[str, str]:
    """The annual report's lines, in the words of the 2019 review."""
    return {
        "documents_received": _("Documents received"),
        "submissions": _("Submissions to the Government's leaders"),
        "documents_issued": _("Documents issued or submitted for issue"),
        "hub_members_connected": _("Agencies connected to the national hub"),
        "hub_members_total": _("Agencies on the national hub"),
        "hub_documents_exchanged": _("Documents sent and received through the hub"),
        "cabinet_sessions": _("Government sessions served by the e-cabinet"),
        "cabinet_ballots": _("Written ballots of government members processed"),
        "portal_visits": _("Visits to the public service portal (page views)"),
        "dossiers": _("Dossiers filed on the portal"),
        "feedback_citizen_received": _("Feedback received from citizens"),
        "feedback_citizen_in_scope": _("of which in scope, sent on to ministries"),
        "feedback_business_received": _("Feedback received from businesses"),
        "feedback_business_forwarded": _("of which sent on to ministries"),
        "tasks_overdue_rate": _("Assigned tasks overdue (%)"),
        "inspections": _("Inspections by the Prime Minister's working group"),
        "inspected_ministries": _("Ministries and agencies inspected"),
        "inspected_provinces": _("Provinces inspected"),
        DEFINITION_KEY: _("Overdue rate definition"),
    }


def annual_table(report: AnnualReport) -> Table:
    names = labels()
    seed = report.year == 2019
    columns = [_("Figure"), _("Key"), _("Value")] + ([_("Reported in the 2019 review")] if seed else [])
    rows: list[Sequence[Any]] = []
    for key in (*KEYS, DEFINITION_KEY):
        row: list[Any] = [names[key], key, report.figures.get(key)]
        if seed:
            row.append(SEED_2019.get(key))
        rows.append(row)
    return Table(_("Annual report %(year)s") % {"year": report.year}, columns, rows)


def clerk_tables(view: ClerkDay) -> list[Table]:
    day = view.day.strftime("%d/%m/%Y")
    return [
        Table(_("Registered on %(day)s") % {"day": day},
              [_("Arrival number"), _("Registered at"), _("Channel"), _("Author agency"), _("Number and notation"), _("Summary")],
              [[d.arrival_number, local(d.registered_at), d.get_channel_display(), d.sender_name, d.number_notation, d.subject]
               for d in view.registered_list]),
        Table(_("Registered by hour"), [_("Hour"), _("Documents")], [[f"{h:02d}:00", n] for h, n in view.by_hour]),
        Table(_("Waiting to be registered"), [_("Arrived at"), _("Author agency"), _("Number and notation"), _("Summary")],
              [[local(d.arrived_at), d.sender_name, d.number_notation, d.subject] for d in view.waiting_list]),
        Table(_("Signed, waiting for a number"), [_("Type"), _("Subject"), _("Signed at")],
              [[d.get_doc_type_display(), d.subject, local(d.signed_at)] for d in view.to_issue_list]),
        Table(_("Issued, not yet sent on the hub"), [_("Number and notation"), _("Subject"), _("Issued at"), _("Error")],
              [[d.notation, d.subject, local(d.issued_at), d.dispatch_error] for d in view.to_send_list]),
    ]


def leader_tables(view: LeaderView) -> list[Table]:
    return [
        Table(_("Overdue documents"),
              [_("Arrival number"), _("Summary"), _("Lead"), _("Deadline"), _("Days late")],
              [[a.incoming.arrival_number, a.incoming.subject, a.lead_label, a.deadline, a.late_days]
               for a in view.overdue_list]),
        Table(_("Overdue by days late"), [_("Days late"), _("Documents")], [list(r) for r in view.overdue_by_age]),
        Table(_("Submissions waiting for your decision"), [_("Title"), _("Sent up at")],
              [[s.title, local(s.submitted_at)] for s in view.waiting_list]),
    ]


def national_tables(view: NationalView) -> list[Table]:
    return [
        annual_table(view.report),
        Table(_("Hub packages by day"), [_("Day"), _("Packages")], [[d, n] for d, n in view.hub_by_day]),
        Table(_("Registry by month"), [_("Month"), _("Received"), _("Submissions"), _("Issued")],
              [[f"{m['month']:02d}/{view.year}", m["received"], m["submissions"], m["issued"]] for m in view.registry_by_month]),
        Table(_("Busiest senders on the hub"), [_("Organisation code"), _("Agency"), _("Packages")],
              [list(r) for r in view.busiest_senders]),
    ]
