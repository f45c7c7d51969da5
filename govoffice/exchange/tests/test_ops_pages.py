"""The hub's operations pages: figures from real traffic, the permission matrix, filters, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import socket
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from govoffice.directory.models import Agency, Role, User
from govoffice.directory.services import create_agency, create_user
from govoffice.exchange.charts import Series, bar_chart, column_chart, nice_ticks
from govoffice.exchange.models import Delivery, Member, Message
from govoffice.exchange.services.members import enroll_member, revoke_member
from govoffice.exchange.services.push import push_once
from govoffice.exchange.templatetags.hub_ops import grouped, left, vnd, waited
from govoffice.exchange.tests.conftest import Party
from govoffice.testing import PASSWORD

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PAGES = ["/hub/", "/hub/members/", "/hub/traffic/", "/hub/alerts/", "/hub/traffic.csv"]
HOME_AFFAIRS = "000.00.00.G09"
HCMC = "000.00.00.H29"
HANOI = "000.00.00.H01"


def closed_port() -> int:
    """A local port nobody listens on: a push there is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HCM)


def backdate(message_id: str, at: dt.datetime) -> None:
    """Move a message and its deliveries back in time, as if the hub had taken it then."""
    Message.objects.filter(id=message_id).update(received_at=at)
    Delivery.objects.filter(message_id=message_id).update(created_at=at)


@dataclass
class Hub:
    today: dt.date
    finance: Party
    office: Party
    nghe_an: Party
    home_affairs: Party
    hcmc_expires: dt.datetime
    contact: dt.datetime


@pytest.fixture
def hub(agencies: dict[str, Agency], enroll, finance, office, nghe_an, signed, send, status_of, client: Client) -> Hub:
    """Six members, three documents over three local days, a status, stuck, failed and expiring things.

    G12 sends; G22 pulls and acknowledges and answers with a status; H41 never calls (its
    copies get stuck); G09 takes pushes at a URL that refuses them; H29's certificate expires
    in 10 days; H01 was enrolled and revoked.
    """
    today = timezone.localdate()
    home_affairs = enroll(HOME_AFFAIRS, push_url=f"http://127.0.0.1:{closed_port()}/hub")
    hcmc = enroll_member(actor=None, agency=agencies[HCMC], days=10)
    hanoi = create_agency(actor=None, code=HANOI, name_vi="Ủy ban nhân dân Thành phố Hà Nội", kind="province")
    enroll_member(actor=None, agency=hanoi)
    revoke_member(actor=None, agency=hanoi, reason="thử")

    doc1 = send(finance, signed(finance, [office.code, nghe_an.code], number="1")).json()["message_id"]
    doc2 = send(finance, signed(finance, [office.code, home_affairs.code], number="2")).json()["message_id"]
    doc3 = send(finance, signed(finance, [nghe_an.code], number="3")).json()["message_id"]
    backdate(doc1, local(today - dt.timedelta(days=2), 10))
    # 00:30 in Hà Nội is 17:30 UTC the day before: it must count on the local day.
    backdate(doc2, local(today - dt.timedelta(days=2), 0, 30))
    backdate(doc3, local(today - dt.timedelta(days=1), 15))

    # The office pulls and acknowledges. (Where the office's own records app runs in the same
    # deployment it may have taken them in already, once transactions commit; an ack is idempotent.)
    assert client.get("/api/v1/hub/inbox", **office.headers()).status_code == 200
    for doc in (doc1, doc2):
        assert client.post(f"/api/v1/hub/messages/{doc}/ack", **office.headers()).status_code == 200
    registered = status_of(office, "000.00.00.G12,2019/09/20,1/BTC-VP", "03", "Đã vào sổ")
    assert send(office, registered, path="/api/v1/hub/statuses").status_code == 201

    pushed = Delivery.objects.get(message_id=doc2, recipient=home_affairs.agency)
    assert push_once(pushed.pk) is False

    # The finance ministry's software last called at 17:30 UTC: 00:30 the next day in Hà Nội.
    contact = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)
    Member.objects.filter(agency=finance.agency).update(last_contact_at=contact)
    client.logout()
    return Hub(today, finance, office, nghe_an, home_affairs, hcmc.certificate.not_after, contact)


@pytest.fixture
def operator(agencies: dict[str, Agency]) -> Client:
    # Not the shared make_user: here it would enrol the office (this folder's `office` fixture).
    user = create_user(actor=None, username="quantri", password=PASSWORD, agency=agencies["000.00.00.G22"],
                       roles=[Role.ADMINISTRATOR], full_name="Đặng Văn Khoa")
    page_client = Client()
    page_client.force_login(user)
    return page_client


def text(response: Any) -> str:
    return response.content.decode()


# Permission matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR, Role.OFFICE_LEADER])
def test_administrators_auditors_and_office_leaders_see_every_page(
    path: str, role: str, make_user: Callable[..., User], agencies: dict[str, Agency]
) -> None:
    client = Client()
    client.force_login(make_user(role, agency=agencies["000.00.00.G22"]))
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", [Role.CLERK, Role.SPECIALIST, Role.CITIZEN, Role.AGENCY_SYSTEM])
def test_clerks_specialists_citizens_and_machines_get_a_403_page_that_says_why(
    path: str, role: str, make_user: Callable[..., User], agencies: dict[str, Agency]
) -> None:
    client = Client()
    client.force_login(make_user(role, agency=agencies["000.00.00.G22"]))
    response = client.get(path)
    assert response.status_code == 403
    body = text(response)
    assert "<h1>Không có quyền truy cập</h1>" in body
    assert "Chỉ người vận hành trục liên thông" in body


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR, Role.OFFICE_LEADER])
def test_the_same_roles_in_a_ministry_or_a_province_get_a_403_page(
    path: str, role: str, make_user: Callable[..., User], agencies: dict[str, Agency]
) -> None:
    """The hub's pages show other agencies' traffic and push addresses: only the office that runs it."""
    for code in ("000.00.00.G12", HCMC):
        client = Client()
        client.force_login(make_user(role, agency=agencies[code]))
        assert client.get(path).status_code == 403, code


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(path: str, db: Any) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_the_header_links_to_the_hub_only_for_its_operators(
    make_user: Callable[..., User], agencies: dict[str, Agency]
) -> None:
    office = agencies["000.00.00.G22"]
    leader, clerk = Client(), Client()
    leader.force_login(make_user(Role.OFFICE_LEADER, agency=office))
    clerk.force_login(make_user(Role.CLERK, agency=office))
    link = '<a href="/hub/">Trục liên thông</a>'
    assert link in text(leader.get("/"))
    assert link not in text(clerk.get("/"))


# Overview ------------------------------------------------------------------------------------


def test_the_overview_shows_members_connected_documents_paper_saved_and_alerts(
    hub: Hub, operator: Client, settings: Any
) -> None:
    # Five copies delivered at 240 million đồng each: the figure the brief gives as an example.
    settings.EXCHANGE = {**settings.EXCHANGE, "paper_cost_vnd": 240_000_000}
    body = text(operator.get("/hub/"))
    assert '<dd class="figure" id="members-connected">2/5</dd>' in body  # G12 and G22 called; H01 revoked
    assert '<dd class="figure" id="documents-exchanged">3</dd>' in body
    assert "5 bản đã chuyển" in body
    assert '<dd class="figure" id="paper-saved">1.200.000.000\u00a0₫</dd>' in body
    assert "240.000.000\u00a0₫" in body
    # 3 stuck (H41 twice, G09 once), 1 failed push, 1 certificate near expiry, 1 revoked member.
    assert '<a href="/hub/alerts/">6</a>' in body
    assert "3 bị tắc, 1 lần đẩy lỗi, 1 chứng thư sắp hết hạn, 1 thành viên bị thu hồi" in body
    assert 'href="/api/v1/hub/stats?days=30"' in body
    for group in ("Xác thực", "Quản lý gói tin gửi, nhận", "Quản lý kết nối", "Thống kê, báo cáo", "Quản trị", "Cảnh báo, giám sát"):
        assert f"<h3>{group}</h3>" in body
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-days"' in body


def test_the_json_figures_the_overview_links_to_answer_a_signed_in_operator(hub: Hub, operator: Client) -> None:
    response = operator.get("/api/v1/hub/stats?days=30")
    assert response.status_code == 200
    assert response.json()["members"] == {"active": 5, "connected": 2, "total": 6}


def test_the_overview_of_an_empty_hub_says_there_is_no_traffic(operator: Client) -> None:
    body = text(operator.get("/hub/"))
    assert '<dd class="figure" id="members-connected">0/0</dd>' in body
    assert '<dd class="figure" id="paper-saved">0\u00a0₫</dd>' in body
    assert "Không có gói tin nào trong khoảng thời gian này." in body


def test_the_overview_in_english_groups_thousands_with_commas(hub: Hub, operator: Client, settings: Any) -> None:
    settings.EXCHANGE = {**settings.EXCHANGE, "paper_cost_vnd": 240_000_000}
    operator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = text(operator.get("/hub/"))
    assert '<dd class="figure" id="paper-saved">1,200,000,000\u00a0₫</dd>' in body
    assert "Members connected" in body


# Members -------------------------------------------------------------------------------------


def rows_of(body: str) -> list[str]:
    table = body.split('<table class="data" id="members">', 1)[1].split("</table>", 1)[0]
    return [chunk.split("</tr>", 1)[0] for chunk in table.split("<tr>")[2:]]


def test_the_members_page_lists_each_member_with_delivery_contact_state_and_certificate(hub: Hub, operator: Client) -> None:
    body = text(operator.get("/hub/members/"))
    rows = rows_of(body)
    assert [r.split('<td class="code">', 1)[1].split("<", 1)[0] for r in rows] == sorted(
        ["000.00.00.G09", "000.00.00.G12", "000.00.00.G22", "000.00.00.H01", "000.00.00.H29", "000.00.00.H41"]
    )
    assert "6 / 6 thành viên" in body
    by_code = {r.split('<td class="code">', 1)[1].split("<", 1)[0]: r for r in rows}
    finance = by_code["000.00.00.G12"]
    assert "<th scope=\"row\">Bộ Tài chính</th>" in finance
    assert ">02/03/2026 00:30</time>" in finance  # 17:30 UTC shown in Hà Nội time
    assert "Kéo" in finance and '<span class="ok">Đang hoạt động</span>' in finance
    assert "Đẩy" in by_code[HOME_AFFAIRS] and "http://127.0.0.1:" in by_code[HOME_AFFAIRS]
    assert "chưa bao giờ" in by_code["000.00.00.H41"]
    expires = timezone.localtime(hub.hcmc_expires, HCM).strftime("%d/%m/%Y")
    assert f'class="bad">{expires}</time> <span class="tag">sắp hết hạn</span>' in by_code[HCMC]
    assert '<span class="bad">Đã thu hồi</span>' in by_code[HANOI]
    assert "sắp hết hạn" not in finance


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("nghe an", ["000.00.00.H41"]),
        ("NGHỆ AN", ["000.00.00.H41"]),
        ("thanh pho ho chi minh", [HCMC]),
        ("uy ban", [HANOI, HCMC, "000.00.00.H41"]),
        ("bo", [HOME_AFFAIRS, "000.00.00.G12"]),
        ("van phong chinh phu", ["000.00.00.G22"]),
        ("G12", ["000.00.00.G12"]),
        ("không có", []),
    ],
)
def test_the_members_filter_folds_vietnamese_on_both_sides(
    hub: Hub, operator: Client, query: str, codes: list[str]
) -> None:
    body = text(operator.get("/hub/members/", {"q": query}))
    found = [r.split('<td class="code">', 1)[1].split("<", 1)[0] for r in rows_of(body)] if codes else []
    assert found == sorted(codes)
    if not codes:
        assert "Không có thành viên nào phù hợp." in body


@pytest.mark.parametrize(
    ("state", "codes"),
    [
        ("active", ["000.00.00.G09", "000.00.00.G12", "000.00.00.G22", HCMC, "000.00.00.H41"]),
        ("revoked", [HANOI]),
        ("not_connected", ["000.00.00.G09", HCMC, "000.00.00.H41"]),
    ],
)
def test_the_members_filter_by_state(hub: Hub, operator: Client, state: str, codes: list[str]) -> None:
    body = text(operator.get("/hub/members/", {"state": state}))
    assert [r.split('<td class="code">', 1)[1].split("<", 1)[0] for r in rows_of(body)] == codes


# Traffic -------------------------------------------------------------------------------------


def test_the_traffic_page_counts_by_local_day_and_by_agency(hub: Hub, operator: Client) -> None:
    start, end = hub.today - dt.timedelta(days=2), hub.today
    body = text(operator.get("/hub/traffic/", {"start": start.isoformat(), "end": end.isoformat()}))
    day_table = body.split('id="by-day"', 1)[1].split("</table>", 1)[0]
    def day_row(day: dt.date) -> str:
        return day_table.split(f">{day.strftime('%d/%m/%Y')}</time></th>", 1)[1].split("</tr>", 1)[0]
    assert day_row(start) == "<td>2</td><td>0</td><td>0</td><td>2</td>"
    assert day_row(start + dt.timedelta(days=1)) == "<td>1</td><td>0</td><td>0</td><td>1</td>"
    assert day_row(end) == "<td>0</td><td>1</td><td>0</td><td>1</td>"
    assert f"Từ {start.strftime('%d/%m/%Y')} đến {end.strftime('%d/%m/%Y')}: 3 văn bản, 1 trạng thái" in body
    agency_table = body.split('id="by-agency"', 1)[1].split("</table>", 1)[0]
    order = [chunk.split("<", 1)[0] for chunk in agency_table.split('<td class="code">')[1:]]
    assert order == ["000.00.00.G12", "000.00.00.G22", "000.00.00.H41", "000.00.00.G09"]
    finance = agency_table.split('<td class="code">000.00.00.G12</td>', 1)[1].split("</tr>", 1)[0]
    assert finance == '<th scope="row">Bộ Tài chính</th><td>3</td><td>0</td><td>0</td><td>0</td>'
    office = agency_table.split('<td class="code">000.00.00.G22</td>', 1)[1].split("</tr>", 1)[0]
    assert office.endswith("<td>0</td><td>2</td><td>1</td><td>0</td>")
    assert 'id="chart-days"' in body and 'id="chart-agencies"' in body


def test_a_message_after_midnight_in_hanoi_is_not_counted_on_the_utc_day_before(hub: Hub, operator: Client) -> None:
    before = hub.today - dt.timedelta(days=3)
    body = text(operator.get("/hub/traffic/", {"start": before.isoformat(), "end": before.isoformat()}))
    assert "0 văn bản, 0 trạng thái" in body
    assert "Không có gói tin nào trong khoảng thời gian này." in body


def test_the_traffic_page_defaults_to_the_last_30_days_and_accepts_dd_mm_yyyy(hub: Hub, operator: Client) -> None:
    body = text(operator.get("/hub/traffic/"))
    first = hub.today - dt.timedelta(days=29)
    assert f'value="{first.strftime("%d/%m/%Y")}"' in body and f'value="{hub.today.strftime("%d/%m/%Y")}"' in body
    assert '<a href="?start=' + first.isoformat() + "&amp;end=" + hub.today.isoformat() + '" aria-current="true">30 ngày qua</a>' in body
    assert "3 văn bản, 1 trạng thái" in body
    day = hub.today - dt.timedelta(days=1)
    body = text(operator.get("/hub/traffic/", {"start": day.strftime("%d/%m/%Y"), "end": day.strftime("%d/%m/%Y")}))
    assert "1 văn bản, 0 trạng thái" in body


def test_a_period_that_ends_before_it_starts_is_refused_beside_the_field(operator: Client) -> None:
    response = operator.get("/hub/traffic/", {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 400
    body = text(response)
    assert 'aria-describedby="period-hint id_end-error" aria-invalid="true"' in body
    assert '<span class="field-error" id="id_end-error">Ngày kết thúc trước ngày bắt đầu.</span>' in body
    assert 'id="by-day"' not in body


def test_a_period_longer_than_a_year_and_a_date_that_is_not_one_are_refused(operator: Client) -> None:
    assert operator.get("/hub/traffic/", {"start": "2024-01-01", "end": "2026-01-01"}).status_code == 400
    response = operator.get("/hub/traffic/", {"start": "31/02/2026"})
    assert response.status_code == 400
    assert 'id="id_start-error"' in text(response)


def test_the_csv_by_day_has_a_row_per_local_day(hub: Hub, operator: Client) -> None:
    start, end = hub.today - dt.timedelta(days=2), hub.today
    response = operator.get("/hub/traffic.csv", {"start": start.isoformat(), "end": end.isoformat(), "by": "day"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="hub-traffic-by-day-{start.isoformat()}-{end.isoformat()}.csv"'
    )
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows == [
        ["Ngày", "Văn bản", "Trạng thái", "Thu hồi, cập nhật, thay thế", "Tổng"],
        [start.strftime("%d/%m/%Y"), "2", "0", "0", "2"],
        [(start + dt.timedelta(days=1)).strftime("%d/%m/%Y"), "1", "0", "0", "1"],
        [end.strftime("%d/%m/%Y"), "0", "1", "0", "1"],
    ]


def test_the_csv_by_agency_has_a_row_per_agency_with_its_vietnamese_name(hub: Hub, operator: Client) -> None:
    start, end = hub.today - dt.timedelta(days=2), hub.today
    response = operator.get("/hub/traffic.csv", {"start": start.isoformat(), "end": end.isoformat(), "by": "agency"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows == [
        ["Mã định danh", "Cơ quan", "Văn bản đã gửi", "Văn bản đã nhận", "Trạng thái đã gửi", "Thu hồi, cập nhật, thay thế"],
        ["000.00.00.G12", "Bộ Tài chính", "3", "0", "0", "0"],
        ["000.00.00.G22", "Văn phòng Chính phủ", "0", "2", "1", "0"],
        ["000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An", "0", "2", "0", "0"],
        [HOME_AFFAIRS, "Bộ Nội vụ", "0", "1", "0", "0"],
    ]


def test_a_csv_asked_for_by_something_else_is_refused(operator: Client) -> None:
    response = operator.get("/hub/traffic.csv", {"by": "hour"})
    assert response.status_code == 400
    assert "by=day" in text(response)


# Alerts --------------------------------------------------------------------------------------


def section(body: str, name: str) -> str:
    return body.split(f'<section aria-labelledby="{name}-h" id="{name}">', 1)[1].split("</section>", 1)[0]


def test_the_alerts_page_lists_stuck_deliveries_past_the_threshold(hub: Hub, operator: Client) -> None:
    stuck = section(text(operator.get("/hub/alerts/")), "stuck")
    assert '<span class="count">3</span>' in stuck
    assert "60 phút" in stuck
    assert stuck.count("000.00.00.H41</span>") == 2 and stuck.count("000.00.00.G09</span>") == 1
    assert "000.00.00.G22</span>" not in stuck  # it acknowledged; its status to G12 is recent
    assert stuck.index("2/BTC-VP") < stuck.index("1/BTC-VP") < stuck.index("3/BTC-VP")  # oldest first


def test_a_higher_threshold_leaves_fewer_deliveries_stuck(hub: Hub, operator: Client, settings: Any) -> None:
    # An hour older than yesterday's document, whatever the time of day the test runs at.
    yesterdays_age = timezone.now() - local(hub.today - dt.timedelta(days=1), 15)
    settings.EXCHANGE = {**settings.EXCHANGE, "stuck_after_minutes": int(yesterdays_age.total_seconds() // 60) + 60}
    stuck = section(text(operator.get("/hub/alerts/")), "stuck")
    assert '<span class="count">2</span>' in stuck  # the two from two days ago; not yesterday's
    assert "3/BTC-VP" not in stuck


def test_the_alerts_page_lists_failed_pushes_with_the_last_error(hub: Hub, operator: Client) -> None:
    failed = section(text(operator.get("/hub/alerts/")), "failed")
    assert '<span class="count">1</span>' in failed
    assert "000.00.00.G09</span> Bộ Nội vụ" in failed
    assert '<td class="num">1</td>' in failed
    assert "ConnectError" in failed
    delivery = Delivery.objects.get(recipient=hub.home_affairs.agency)
    assert timezone.localtime(delivery.next_push_at, HCM).strftime("%d/%m/%Y %H:%M") in failed


def test_the_alerts_page_says_pushes_are_tried_until_acknowledged(hub: Hub, operator: Client) -> None:
    failed = section(text(operator.get("/hub/alerts/")), "failed")
    assert "cho đến khi thành viên xác nhận đã nhận" in failed and "tổng cộng" not in failed


def test_a_push_that_gave_up_says_the_member_can_still_pull(settings, hub: Hub, operator: Client) -> None:
    settings.EXCHANGE = {**settings.EXCHANGE, "push_max_attempts": 10}
    Delivery.objects.filter(recipient=hub.home_affairs.agency).update(push_attempts=10, next_push_at=None)
    failed = section(text(operator.get("/hub/alerts/")), "failed")
    assert "tổng cộng 10 lần" in failed
    assert "đã dừng; chờ cơ quan tự lấy về" in failed


def test_the_alerts_page_lists_certificates_expiring_within_30_days_and_revoked_members(hub: Hub, operator: Client) -> None:
    body = text(operator.get("/hub/alerts/"))
    certificates = section(body, "certificates")
    assert '<span class="count">1</span>' in certificates
    assert "000.00.00.H29</span> Ủy ban nhân dân Thành phố Hồ Chí Minh" in certificates
    assert timezone.localtime(hub.hcmc_expires, HCM).strftime("%d/%m/%Y %H:%M") in certificates
    assert "000.00.00.G12" not in certificates
    revoked = section(body, "revoked")
    assert '<td class="code">000.00.00.H01</td><th scope="row">Ủy ban nhân dân Thành phố Hà Nội</th>' in revoked


def test_the_alerts_page_of_a_quiet_hub_says_so_for_each_kind(operator: Client) -> None:
    body = text(operator.get("/hub/alerts/"))
    for message in ("Không có văn bản nào bị tắc.", "Không có lần đẩy nào bị lỗi.",
                    "Không có chứng thư nào sắp hết hạn.", "Chưa thu hồi thành viên nào."):
        assert message in body


# Number formatting ---------------------------------------------------------------------------


def test_amounts_are_written_the_vietnamese_way_and_the_english_way() -> None:
    with translation.override("vi"):
        assert vnd(1_200_000_000) == "1.200.000.000\u00a0₫"
        assert grouped(95) == "95"
    with translation.override("en"):
        assert vnd(1_200_000_000) == "1,200,000,000\u00a0₫"


def test_waits_and_time_left_are_written_in_vietnamese_words() -> None:
    now = timezone.now()
    with translation.override("vi"):
        assert waited(now - dt.timedelta(hours=18, minutes=20), now) == "18 giờ 20 phút"
        assert waited(now - dt.timedelta(days=2, hours=3, minutes=5), now) == "2 ngày 3 giờ"
        assert waited(now - dt.timedelta(seconds=20), now) == "0 phút"
        assert left(now + dt.timedelta(days=9, hours=23, minutes=59), now) == "9 ngày 23 giờ"
    with translation.override("en"):
        assert waited(now - dt.timedelta(days=1, minutes=1), now) == "1 day"
        assert waited(now - dt.timedelta(hours=1, minutes=2), now) == "1 hour 2 minutes"


# The chart helper ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [(0, [0, 1]), (1, [0, 1]), (7, [0, 2, 4, 6, 8]), (395, [0, 100, 200, 300, 400]), (1234, [0, 500, 1000, 1500])],
)
def test_the_value_axis_has_round_marks_that_reach_the_largest_value(largest: int, ticks: list[int]) -> None:
    assert nice_ticks(largest) == ticks


def test_a_chart_is_a_named_picture_whose_texts_are_escaped() -> None:
    svg = bar_chart(
        ["Bộ <Tài chính> & “Kho bạc”"], [Series("Văn bản", [3])], title="Gửi & nhận", description="Bảng bên dưới", chart_id="c1"
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="c1"')
    assert 'role="img" aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Gửi &amp; nhận</title>' in svg
    assert "Bộ &lt;Tài chính&gt; &amp; “Kho bạc”" in svg and "<Tài chính>" not in svg


def test_stacked_columns_are_as_tall_as_their_values() -> None:
    svg = column_chart(["01/03", "02/03"], [Series("a", [100, 50]), Series("b", [0, 50])], title="t", description="d")
    rects = re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)
    heights = [float(h) for h in rects[2:]]  # after the legend's two swatches
    assert heights == [224.0, 112.0, 112.0]  # a 224-unit plot: 100 fills it; 50 + 50 stack to the same


@pytest.mark.parametrize("query", [{"end": "01/01/0001"}, {"start": "31/12/9999", "end": "31/12/9999"}, {"start": "01/01/1999"}])
def test_a_date_out_of_range_is_refused_beside_its_field(operator: Client, query: dict[str, str]) -> None:
    response = operator.get("/hub/traffic/", query)  # a 500 before: the date arithmetic overflowed
    assert response.status_code == 400
    assert "Hãy chọn một ngày từ 01/01/2000 đến 31/12/2099." in text(response)
    csv = operator.get("/hub/traffic.csv", query)
    assert csv.status_code == 400 and "01/01/2000" in csv.content.decode()
