"""`govoffice supervision import FILE`: all tasks of a CSV, or none, with the bad lines named."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from govoffice.supervision.models import Task

HEADER = "content,assigner,lead_agency_code,coordinating_agency_codes,assigned_on,deadline,importance,source_ref\n"


def _file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "nhiem-vu.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_good_file_creates_every_task(tmp_path, ministry, home_affairs, capsys) -> None:
    path = _file(tmp_path, (
        f'"Xây dựng Đề án, trình Thủ tướng",Thủ tướng,{ministry.code},{home_affairs.code},02/01/2025,28/02/2025,2,12/CT-TTg\n'
        f"Tổng kết thi hành Luật,Chính phủ,{home_affairs.code},,2025-03-01,,,1/NQ-CP\n"
    ))
    call_command("supervision", "import", str(path))
    tasks = list(Task.objects.order_by("code"))
    assert [(t.assigner, t.lead_agency.code, str(t.deadline)) for t in tasks] == [
        ("prime_minister", ministry.code, "2025-02-28"), ("government", home_affairs.code, "None")]
    assert tasks[0].code.startswith("NV-2025-") and tasks[0].importance == 2
    assert "imported 2 tasks" in capsys.readouterr().out


def test_unknown_agencies_and_bad_deadlines_are_named_by_line_and_nothing_is_imported(tmp_path, ministry) -> None:
    path = _file(tmp_path, (
        f"Nhiệm vụ tốt,Thủ tướng,{ministry.code},,02/01/2025,28/02/2025,0,1/QĐ-TTg\n"
        "Nhiệm vụ sai cơ quan,Thủ tướng,000.00.00.G77,,02/01/2025,28/02/2025,0,1/QĐ-TTg\n"
        f"Hạn trước ngày giao,Thủ tướng,{ministry.code},,02/03/2025,28/02/2025,0,1/QĐ-TTg\n"
        f"Phối hợp sai,Phó Thủ tướng Vũ Đức Đam,{ministry.code},000.00.00.H88,02/01/2025,,0,1/QĐ-TTg\n"
    ))
    with pytest.raises(CommandError) as caught:
        call_command("supervision", "import", str(path))
    message = str(caught.value)  # the command speaks the office's language, Vietnamese
    assert "dòng 3:" in message and "000.00.00.G77" in message
    assert "dòng 4:" in message and "28/02/2025" in message
    assert "dòng 5:" in message and "000.00.00.H88" in message
    assert "dòng 2:" not in message
    assert Task.objects.count() == 0


def test_a_file_without_the_required_columns_is_refused(tmp_path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("content,deadline\nA,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 1: thiếu cột assigner, lead_agency_code"):
        call_command("supervision", "import", str(path))
