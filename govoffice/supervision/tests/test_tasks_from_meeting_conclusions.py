"""A closed cabinet meeting's conclusion tasks become tasks, once each (the e-cabinet's signal)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from govoffice.cabinet.models import Meeting
from govoffice.cabinet.signals import conclusion_tasks_issued
from govoffice.supervision.models import Source, Task

TODAY = timezone.localdate()


def _send(chair, ministry, home_affairs, deadline) -> None:
    meeting = SimpleNamespace(title="Phiên họp Chính phủ thường kỳ tháng 11", closed_at=timezone.now(), notice=None)
    item = SimpleNamespace(title="Tình hình kinh tế - xã hội")
    tasks = [
        {"content": "Đẩy nhanh giải ngân vốn đầu tư công", "lead_agency_code": ministry.code,
         "coordinating_agency_codes": [home_affairs.code], "deadline": deadline, "assigner": chair, "ref": "cabinet-item-7-1"},
        {"content": "Rà soát biên chế", "lead_agency_code": home_affairs.code, "coordinating_agency_codes": [],
         "deadline": None, "assigner": chair, "ref": "cabinet-item-7-2"},
        {"content": "Cơ quan không có", "lead_agency_code": "000.00.00.G98", "coordinating_agency_codes": [],
         "deadline": None, "assigner": chair, "ref": "cabinet-item-7-3"},
    ]
    conclusion_tasks_issued.send_robust(sender=Meeting, meeting=meeting, item=item, tasks=tasks)


def test_the_receiver_is_connected_and_makes_each_task_once(make_user, office, ministry, home_affairs) -> None:
    assert conclusion_tasks_issued.has_listeners(Meeting)
    chair = make_user("government_leader", agency=office, full_name="Nguyễn Xuân Phúc")
    deadline = TODAY + dt.timedelta(days=30)
    _send(chair, ministry, home_affairs, deadline)
    _send(chair, ministry, home_affairs, deadline)  # a re-run sees the same refs
    tasks = list(Task.objects.order_by("pk"))
    assert [t.content for t in tasks] == ["Đẩy nhanh giải ngân vốn đầu tư công", "Rà soát biên chế"]  # the unknown agency is skipped
    first = tasks[0]
    assert (first.source, first.assigner, first.assigner_name, first.deadline) == (Source.MEETING, "government", "Nguyễn Xuân Phúc", deadline)
    assert first.source_ref == "Phiên họp Chính phủ thường kỳ tháng 11 – Tình hình kinh tế - xã hội"
    assert list(first.coordinating_agencies.values_list("code", flat=True)) == [home_affairs.code]
