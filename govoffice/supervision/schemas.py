"""Ninja schemas of the supervision API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class TaskIn(Schema):
    content: str
    assigner: str = Field(description="government, prime_minister or deputy_prime_minister (or their Vietnamese names)")
    assigner_name: str = ""
    lead_agency: str = Field(description="organisation code of the lead agency")
    coordinating_agencies: list[str] = []
    assigned_on: dt.date | None = Field(None, description="default: the source document's issue date, or today")
    deadline: dt.date | None = None
    deadline_days: int | None = Field(None, description="working days after the assignment, instead of a date")
    importance: int = Field(0, description="0 normal, 1 important, 2 key task")
    source: str = Field("document", description="document, meeting or inspection")
    source_document_id: int | None = Field(None, description="an issued decision, directive or conclusion notice of the office")
    source_ref: str = Field("", description="e.g. the notation 123/QĐ-TTg when the document is not in this registry")


class ProgressReportOut(Schema):
    at: dt.datetime
    agency: str
    reported_by: str | None
    channel: str
    note: str
    percent: int | None
    completes: bool


class TaskExtensionOut(Schema):
    id: int
    requested_by: str
    requested_at: dt.datetime
    current_deadline: dt.date
    requested_deadline: dt.date
    reason: str
    state: str
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str


class TaskDeadlineChangeOut(Schema):
    old_deadline: dt.date
    new_deadline: dt.date
    effective_on: dt.date
    extension_id: int | None


class TaskSummary(Schema):
    code: str
    content: str
    assigner: str
    assigner_name: str
    lead_agency: str
    assigned_on: dt.date
    deadline: dt.date | None
    importance: int
    source: str
    source_ref: str
    completed_on: dt.date | None
    status: str | None = Field(description="on the day asked (as_of), default today")


class TaskOut(TaskSummary):
    coordinating_agencies: list[str]
    source_document_id: int | None
    source_document_id_edxml: str | None
    finding_id: int | None
    reports: list[ProgressReportOut]
    extensions: list[TaskExtensionOut]
    deadline_changes: list[TaskDeadlineChangeOut]


class TaskPage(Schema):
    count: int
    items: list[TaskSummary]


class TaskFilter(Schema):
    status: str | None = Field(None, description="completed_on_time, completed_late, unfinished_in_term, unfinished_overdue, no_deadline")
    as_of: dt.date | None = Field(None, description="the day statuses are read on; default today")
    agency: str | None = Field(None, description="lead agency's organisation code")
    assigner: str | None = None
    source: str | None = None
    assigned_from: dt.date | None = None
    assigned_to: dt.date | None = None
    q: str | None = Field(None, description="words of the content or code")
    offset: int = Field(0, ge=0, le=1_000_000)  # past 2**63 the databases refuse the OFFSET
    limit: int = Field(50, ge=1, le=500)


class TaskProgressIn(Schema):
    note: str
    percent: int | None = None
    complete: bool = False


class TaskExtensionIn(Schema):
    requested_deadline: dt.date
    reason: str


class ExtensionDecisionIn(Schema):
    approve: bool
    note: str = ""


class OverdueRateQuery(Schema):
    date_from: dt.date
    date_to: dt.date
    agency: str | None = None
    assigner: str | None = None
    definition: str | None = Field(None, description="name@version; default due-overdue@1")


class TaskCountsOut(Schema):
    completed_on_time: int
    completed_late: int
    unfinished_in_term: int
    unfinished_overdue: int
    no_deadline: int
    completed: int
    unfinished: int
    total: int


class OverdueRateOut(Schema):
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    agency: str | None
    assigner: str | None
    definition: str
    formula: str
    counts: TaskCountsOut
    rate: float | None
    report_id: int | None = None


class RateDefinitionOut(Schema):
    key: str
    label: str
    formula: str
    default: bool


class InspectionMemberIn(Schema):
    full_name: str
    position: str = ""


class InspectionTargetIn(Schema):
    agency: str
    visit_on: dt.date | None = None


class InspectionIn(Schema):
    title: str
    starts_on: dt.date
    ends_on: dt.date
    members: list[InspectionMemberIn]
    targets: list[InspectionTargetIn]


class InspectionRecommendationIn(Schema):
    content: str
    lead_agency: str = ""
    deadline: dt.date | None = None
    importance: int = 0


class InspectionFindingIn(Schema):
    agency: str
    summary: str
    recommendations: list[InspectionRecommendationIn] = []


class InspectionFindingOut(Schema):
    id: int
    agency: str
    summary: str
    recorded_at: dt.datetime
    tasks: list[str]


class InspectionOut(Schema):
    id: int
    code: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    state: str
    members: list[InspectionMemberIn]
    targets: list[InspectionTargetIn]
    findings: list[InspectionFindingOut]
