"""`govoffice agencies import FILE.csv`: all or nothing, bad rows named by line."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govoffice.audit.models import Event
from govoffice.directory.models import Agency

pytestmark = pytest.mark.django_db

HEADER = "code,name_vi,name_en,short_name,kind,parent_code,official\n"
GOOD = (
    HEADER
    + "000.00.18.G12,Tổng cục Thuế,General Department of Taxation,TCT,unit,000.00.00.G12,yes\n"
    + "000.00.00.G12,Bộ Tài chính,Ministry of Finance,BTC,ministry,,yes\n"
    + "000.00.00.H41,Ủy ban nhân dân tỉnh Nghệ An,Nghe An People's Committee,Nghệ An,province,,no\n"
)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agencies.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_loads_agencies_with_their_parents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("agencies", "import", str(_file(tmp_path, GOOD)))
    assert "3 created" in capsys.readouterr().out
    tax = Agency.objects.get(code="000.00.18.G12")
    assert tax.parent is not None and tax.parent.code == "000.00.00.G12"
    assert Agency.objects.get(code="000.00.00.H41").code_official is False


def test_importing_again_updates_only_what_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("agencies", "import", str(_file(tmp_path, GOOD)))
    changed = GOOD.replace("Ủy ban nhân dân tỉnh Nghệ An", "UBND tỉnh Nghệ An")
    call_command("agencies", "import", str(_file(tmp_path, changed)))
    assert "0 created, 1 updated, 2 unchanged" in capsys.readouterr().out
    assert Agency.objects.get(code="000.00.00.H41").name_vi == "UBND tỉnh Nghệ An"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("00.00.00.G12,Bộ,,,ministry,,yes", "line 3: '00.00.00.G12' is not an organisation code"),
        ("000.00.00.G09,,,,ministry,,yes", "line 3: name_vi is required"),
        ("000.00.00.G09,Bộ Nội vụ,,,bureau,,yes", "line 3: kind 'bureau'"),
        ("000.00.00.G12,Bộ Tài chính lần hai,,,ministry,,yes", "line 3: code 000.00.00.G12 already appears on line 2"),
        ("000.00.05.G09,Vụ X,,,unit,000.00.00.G09,yes", "line 3: parent 000.00.00.G09 is neither in the file"),
        ("000.00.00.G09,Bộ Nội vụ,,,ministry,,perhaps", "line 3: official 'perhaps' is not yes/no"),
        ("000.00.00.G09,Bộ Nội vụ,,,ministry,,yes,extra", "line 3: more fields than columns"),
    ],
)
def test_a_bad_row_is_named_by_line_and_nothing_is_imported(tmp_path: Path, row: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = HEADER + "000.00.00.G12,Bộ Tài chính,Ministry of Finance,BTC,ministry,,yes\n" + row + "\n"
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("agencies", "import", str(_file(tmp_path, text)))
    assert message in capsys.readouterr().err
    assert not Agency.objects.exists()
    assert not Event.objects.exists()


def test_a_file_without_the_required_columns_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError):
        call_command("agencies", "import", str(_file(tmp_path, "code,name\n000.00.00.G12,Bộ\n")))
    assert "missing column(s): name_vi, kind" in capsys.readouterr().err


def test_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("agencies", "import", str(tmp_path / "nope.csv"))


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(HEADER.encode() + "000.00.00.G12,Bộ Tài chính,,,ministry,,yes\n".encode("utf-16"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("agencies", "import", str(path))


def test_every_imported_agency_is_audited(tmp_path: Path) -> None:
    call_command("agencies", "import", str(_file(tmp_path, GOOD)))
    assert Event.objects.filter(action="agency.created").count() == 3
    assert Event.objects.filter(action="agency.imported").count() == 1
