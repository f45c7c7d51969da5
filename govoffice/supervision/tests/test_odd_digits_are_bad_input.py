"""Characters Python calls digits but int() refuses (²) are bad input in an import line and in the
new-task page's document number: a message or a plain page, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from govoffice.supervision.models import Task
from govoffice.supervision.tests.test_import_tasks_command import _file


def test_an_importance_of_odd_digits_is_named_by_its_line(tmp_path: Path, ministry) -> None:
    path = _file(tmp_path, f"Nhiệm vụ,Thủ tướng,{ministry.code},,02/01/2025,28/02/2025,²,1/QĐ-TTg\n")
    with pytest.raises(CommandError) as caught:
        call_command("supervision", "import", str(path))
    assert "dòng 2:" in str(caught.value) and "²" in str(caught.value)
    assert Task.objects.count() == 0


@pytest.mark.parametrize("document", ["²", "١٢", "99999999999999999999999"])
def test_the_new_task_page_ignores_a_document_number_that_is_no_number(login, officer, document: str) -> None:
    response = login(officer).get("/supervision/tasks/new/", {"document": document})
    assert response.status_code == 200
    assert response.context["document"] is None
