"""Demo-like Vietnamese documents for the search benchmark, made fast from word lists.

Each phrase is folded once (lib.vntext), so a document's folded text is the join of its
phrases' folded words: the same as folding the whole text, checked on a sample by the bench.
Subjects are built as real ones are: "V/v" + a verb + a topic + a place or a period;
senders are the real directory's agencies; the body starts with the usual "Căn cứ" lines.
Common words (quyết định, triển khai, ngân sách) and rare ones (a district, a project, a
person's name) both occur, so queries can aim at either.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
CORPUS_VERSION = 1  # raise it when the documents made change: cached corpora are keyed by it
AGENCIES_CSV = Path(__file__).resolve().parent.parent / "govoffice/directory/data/agencies.csv"

# Decree 30 types with how often an office sees them (công văn dominate).
TYPES: list[tuple[str, str, int]] = [
    ("CV", "Công văn", 46), ("QĐ", "Quyết định", 12), ("BC", "Báo cáo", 9), ("TTr", "Tờ trình", 7),
    ("TB", "Thông báo", 6), ("GM", "Giấy mời", 5), ("KH", "Kế hoạch", 4), ("CĐ", "Công điện", 2),
    ("NQ", "Nghị quyết", 2), ("CT", "Chỉ thị", 1), ("HD", "Hướng dẫn", 2), ("ĐA", "Đề án", 1),
    ("CTr", "Chương trình", 1), ("BB", "Biên bản", 1), ("QC", "Quy chế", 1), ("GGT", "Giấy giới thiệu", 1),
]

VERBS = [
    "phê duyệt", "ban hành", "triển khai", "thực hiện", "sửa đổi, bổ sung", "hướng dẫn", "đề nghị",
    "góp ý", "báo cáo", "kiểm tra", "tổng kết", "xử lý", "giải quyết", "phân bổ", "điều chỉnh",
    "gia hạn", "tăng cường", "đẩy mạnh", "chấn chỉnh", "rà soát", "đánh giá", "tổ chức",
    "giao nhiệm vụ", "bố trí", "tháo gỡ khó khăn", "chỉ đạo", "đôn đốc", "xin ý kiến",
    "cho phép", "thành lập", "kiện toàn", "quy định chi tiết", "công bố", "tạm ứng", "thẩm định",
]

TOPICS = [
    "dự toán ngân sách nhà nước", "kế hoạch đầu tư công trung hạn", "công tác phòng, chống thiên tai",
    "chuyển đổi số quốc gia", "cải cách thủ tục hành chính", "phòng, chống dịch COVID-19",
    "xây dựng nông thôn mới", "giải phóng mặt bằng", "quy hoạch tỉnh thời kỳ 2021-2030",
    "an toàn giao thông", "giải ngân vốn đầu tư công", "cổ phần hóa doanh nghiệp nhà nước",
    "phòng cháy, chữa cháy", "bảo vệ môi trường", "xuất khẩu nông sản", "quản lý thị trường",
    "chống buôn lậu, gian lận thương mại", "bảo hiểm xã hội", "chính sách tiền lương",
    "tinh giản biên chế", "đào tạo, bồi dưỡng cán bộ", "thi đua, khen thưởng", "công tác dân tộc",
    "giảm nghèo bền vững", "phát triển nhà ở xã hội", "quản lý đất đai", "khai thác khoáng sản",
    "phòng, chống tham nhũng", "tiếp công dân", "giải quyết khiếu nại, tố cáo", "hội nhập quốc tế",
    "ứng phó biến đổi khí hậu", "an ninh lương thực", "phát triển du lịch", "y tế cơ sở",
    "giáo dục phổ thông", "sách giáo khoa", "kỳ thi tốt nghiệp trung học phổ thông",
    "hạ tầng giao thông", "đường cao tốc Bắc - Nam", "sân bay Long Thành", "điện gió ngoài khơi",
    "quy hoạch điện VIII", "thuế thu nhập doanh nghiệp", "thuế giá trị gia tăng", "nợ công",
    "trái phiếu chính phủ", "tín dụng chính sách", "hỗ trợ doanh nghiệp nhỏ và vừa",
    "cơ sở dữ liệu quốc gia về dân cư", "định danh điện tử", "dịch vụ công trực tuyến",
    "hệ thống quản lý văn bản và điều hành", "chữ ký số chuyên dùng", "an toàn thông tin mạng",
    "phòng, chống rửa tiền", "quản lý vật liệu nổ công nghiệp", "sắp xếp đơn vị hành chính cấp huyện, cấp xã",
    "tổ chức Đại hội Đảng bộ", "bầu cử đại biểu Quốc hội", "kỷ niệm ngày Quốc khánh 2/9",
    "Tết Nguyên đán", "chăm sóc người có công", "nước sạch nông thôn", "xâm nhập mặn Đồng bằng sông Cửu Long",
    "sạt lở bờ sông", "cháy rừng", "dịch tả lợn châu Phi", "bình ổn giá xăng dầu", "vốn ODA",
]

PERIODS = [
    "năm 2019", "năm 2020", "năm 2021", "năm 2022", "năm 2023", "năm 2024", "quý I", "quý II",
    "quý III", "quý IV", "6 tháng đầu năm", "giai đoạn 2021-2025", "tháng 12", "đợt 2",
]

# Districts and towns: rarer words ("dong da" finds "Đống Đa").
DISTRICTS = [
    "quận Đống Đa", "quận Hoàn Kiếm", "quận Ba Đình", "quận Hai Bà Trưng", "huyện Gia Lâm",
    "huyện Đông Anh", "huyện Sóc Sơn", "thị xã Sơn Tây", "quận Ninh Kiều", "huyện Côn Đảo",
    "huyện Phú Quốc", "thành phố Thủ Đức", "huyện Mường Tè", "huyện Đồng Văn", "huyện Mèo Vạc",
    "thị xã Cửa Lò", "huyện Kỳ Anh", "huyện Vân Đồn", "thành phố Hạ Long", "huyện Lý Sơn",
    "huyện Bạch Long Vĩ", "huyện Cô Tô", "thị xã Sa Pa", "huyện Ea H'leo", "huyện Krông Pắc",
    "thành phố Buôn Ma Thuột", "huyện Tân Uyên", "huyện Cần Giờ", "huyện Nhà Bè", "huyện Củ Chi",
]

# Rare words: names of people and projects, as they appear in a few documents each.
PEOPLE = [
    "ông Nguyễn Văn Thắng", "bà Trần Thị Hương", "ông Lê Quốc Hùng", "bà Phạm Thu Trang",
    "ông Hoàng Đức Thịnh", "bà Vũ Ngọc Ánh", "ông Đặng Xuân Trường", "bà Bùi Thanh Nhàn",
    "ông Đỗ Mạnh Cường", "bà Ngô Thị Thủy", "ông Dương Quang Khải", "bà Lý Hoài Thương",
]
PROJECTS = [
    "dự án cầu Mỹ Thuận 2", "dự án cảng Liên Chiểu", "dự án hồ chứa nước Ka Pét",
    "dự án đường Vành đai 4", "dự án metro Bến Thành - Suối Tiên", "dự án thủy điện Hòa Bình mở rộng",
    "dự án Nhà máy lọc dầu Dung Quất", "dự án Khu công nghệ cao Hòa Lạc", "dự án cao tốc Cam Lâm - Vĩnh Hảo",
]

# The usual opening lines of a body (very common words) and closings.
BASES = [
    "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Căn cứ Luật Đầu tư công ngày 13 tháng 6 năm 2019;",
    "Căn cứ Nghị quyết số 01/NQ-CP của Chính phủ về nhiệm vụ, giải pháp chủ yếu;",
    "Thực hiện chỉ đạo của Thủ tướng Chính phủ tại văn bản số 1234/VPCP-KTTH;",
]
SENTENCES = [
    "Đề nghị các bộ, ngành, địa phương khẩn trương {verb} {topic}, báo cáo kết quả trước ngày {day}.",
    "Giao {agency} chủ trì, phối hợp với các cơ quan liên quan {verb} {topic}.",
    "Trong {period}, tình hình {topic} tại {place} có nhiều chuyển biến tích cực.",
    "Kính trình Thủ tướng Chính phủ xem xét, quyết định việc {verb} {topic}.",
    "Văn phòng Chính phủ thông báo ý kiến kết luận của Phó Thủ tướng về {topic} tại {place}.",
    "Kinh phí thực hiện từ nguồn ngân sách trung ương bố trí trong {period}.",
    "Tổ chức kiểm tra việc {verb} {topic} đối với {person}.",
    "Báo cáo tiến độ {project} và kiến nghị tháo gỡ vướng mắc.",
]
CLOSINGS = [
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện.",
    "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Văn phòng Chính phủ để tổng hợp.",
    "Nơi nhận: như trên; lưu: VT.",
]

URGENCY = [(0, 85), (1, 10), (2, 4), (3, 1)]
SECRECY = [(0, 970), (1, 20), (2, 8), (3, 2)]
INCOMING_STATES = [("registered", 10), ("assigned", 15), ("processing", 15), ("done", 58), ("returned", 2)]
OUTGOING_STATES = [("issued", 90), ("approved", 4), ("review", 3), ("draft", 3)]


@dataclass
class Phrase:
    text: str
    folded: str


@dataclass
class Agency:
    code: str
    name: str
    short: str


def load_agencies() -> list[Agency]:
    with AGENCIES_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # The notation carries an agency's short name; a province's People's Committee signs "UBND".
    return [
        Agency(r["code"], r["name_vi"], "UBND" if r["kind"] == "province" else r["short_name"] or r["code"])
        for r in rows
        if r["kind"] != "unit"
    ]


def terms(text: str) -> str:
    """The indexed form: folded words joined by single spaces (the same as records.search.terms)."""
    from govoffice.records.search_text import index_text

    return index_text(text)


def _phrases(texts: list[str]) -> list[Phrase]:
    return [Phrase(t, terms(t)) for t in texts]


HANDLERS = 200  # people of the office who handle documents
OTHER_AGENCY_SHARE = 0.05  # entries of a second registry on the same installation (Bộ Tài chính)
OFFICE_CODE, OTHER_CODE = "000.00.00.G22", "000.00.00.G12"


@dataclass
class Doc:
    kind: str
    doc_type: str
    number: int
    number_notation: str
    subject: str
    sender_index: int
    body: str
    head: str  # folded number, subject, sender
    folded: str  # folded everything
    urgency: int
    confidentiality: int
    state: str
    date: dt.datetime
    handler_index: int
    other_agency: bool


class Corpus:
    """A seeded generator of documents; `docs(n)` yields them oldest first."""

    def __init__(self, seed: int = 2019, *, start: dt.datetime | None = None, years: float = 7.0) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self._tables: dict[int, tuple[list[Any], list[int]]] = {}
        self.agencies = load_agencies()
        self.agency_folded = [terms(a.name) for a in self.agencies]
        self.types = [(abbr, Phrase(name, terms(name)), w) for abbr, name, w in TYPES]
        self.type_weights = [(t, t[2]) for t in self.types]
        self.office_index = next(i for i, a in enumerate(self.agencies) if a.code == OFFICE_CODE)
        self.verbs = _phrases(VERBS)
        self.topics = _phrases(TOPICS)
        self.periods = _phrases(PERIODS)
        self.districts = _phrases(DISTRICTS)
        self.people = _phrases(PEOPLE)
        self.projects = _phrases(PROJECTS)
        self.bases = _phrases(BASES)
        self.closings = _phrases(CLOSINGS)
        self.slots = {
            "verb": self.verbs, "topic": self.topics, "period": self.periods,
            "person": self.people, "project": self.projects,
        }
        # Each sentence template split once into folded literals and slot names.
        self.sentences = []
        for template in SENTENCES:
            parsed = list(string.Formatter().parse(template))
            self.sentences.append(
                (_phrases([lit for lit, _, _, _ in parsed]), [name or "" for _, name, _, _ in parsed])
            )
        self.provinces = [
            Phrase(a.name.replace("Ủy ban nhân dân ", ""), terms(a.name.replace("Ủy ban nhân dân ", "")))
            for a in self.agencies if a.name.startswith("Ủy ban nhân dân")
        ]
        self.start = start or dt.datetime(2019, 1, 2, 1, 0, tzinfo=dt.UTC)
        self.span = dt.timedelta(days=365 * years)

    def _pick(self, weighted: Sequence[tuple[T, int]]) -> T:
        table = self._tables.get(id(weighted))
        if table is None:
            values: list[Any] = []
            cum: list[int] = []
            total = 0
            for value, weight in weighted:
                total += weight
                values.append(value)
                cum.append(total)
            table = self._tables[id(weighted)] = (values, cum)
        return self.rng.choices(table[0], cum_weights=table[1])[0]

    def _place(self) -> Phrase:
        return self.rng.choice(self.districts) if self.rng.random() < 0.15 else self.rng.choice(self.provinces)

    def _slot(self, name: str) -> Phrase:
        r = self.rng
        if name == "agency":
            i = int(r.random() * len(self.agencies))
            return Phrase(self.agencies[i].name, self.agency_folded[i])
        if name == "day":
            day = f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}"
            return Phrase(day, day.replace("/", " "))
        if name == "place":
            return self._place()
        options = self.slots[name]
        return options[int(r.random() * len(options))]

    def _sentence(self) -> tuple[str, str]:
        literals, fields = self.rng.choice(self.sentences)
        text: list[str] = []
        folded: list[str] = []
        for literal, name in zip(literals, fields, strict=True):
            text.append(literal.text)
            folded.append(literal.folded)
            if name:
                slot = self._slot(name)
                text.append(slot.text)
                folded.append(slot.folded)
        return "".join(text), " ".join(f for f in folded if f)

    def docs(self, total: int, start: int = 0, count: int | None = None) -> Iterator[Doc]:
        """Documents start .. start+count-1 of `total`, oldest first; the same for the same
        seed and start, so chunks can be made in parallel."""
        count = total - start if count is None else count
        r = self.rng = random.Random(f"{self.seed}:{start}")
        step = self.span / max(total, 1)
        for i in range(start, start + count):
            abbr, type_phrase, _ = self._pick(self.type_weights)
            kind = "outgoing" if r.random() < 0.15 else "incoming"
            sender_index = self.office_index if kind == "outgoing" else int(r.random() * len(self.agencies))
            sender = self.agencies[sender_index]
            date = self.start + step * i + dt.timedelta(seconds=r.randrange(0, 3600))
            number = date.timetuple().tm_yday * 40 + r.randrange(40)
            notation = f"{number}/{abbr}-{sender.short}" if abbr != "CV" else f"{number}/{sender.short}-TH"
            verb, topic = r.choice(self.verbs), r.choice(self.topics)
            pieces: list[Phrase] = []
            if abbr == "CV":
                pieces.append(Phrase("V/v", "v v"))
            elif r.random() < 0.5:
                pieces.append(type_phrase)
            pieces += [verb, topic]
            roll = r.random()
            if roll < 0.35:
                pieces += [Phrase("tại", "tai"), self._place()]
            elif roll < 0.6:
                pieces.append(r.choice(self.periods))
            elif roll < 0.64:
                pieces.append(r.choice(self.projects))
            elif roll < 0.67:
                pieces += [Phrase("của", "cua"), r.choice(self.people)]
            subject = " ".join(p.text for p in pieces)
            subject_folded = " ".join(p.folded for p in pieces if p.folded)
            body_pieces = [r.choice(self.bases), r.choice(self.bases)]
            body_text = [p.text for p in body_pieces]
            body_folded = [p.folded for p in body_pieces]
            for _ in range(r.randint(2, 4)):
                text, folded = self._sentence()
                body_text.append(text)
                body_folded.append(folded)
            closing = r.choice(self.closings)
            body_text.append(closing.text)
            body_folded.append(closing.folded)
            head = " ".join(x for x in (terms(notation), subject_folded, self.agency_folded[sender_index]) if x)
            states = OUTGOING_STATES if kind == "outgoing" else INCOMING_STATES
            yield Doc(
                kind=kind, doc_type=abbr, number=number, number_notation=notation, subject=subject,
                sender_index=sender_index, body=" ".join(body_text), head=head,
                folded=head + " " + " ".join(body_folded),
                urgency=self._pick(URGENCY),
                confidentiality=self._pick(SECRECY),
                state=self._pick(states),
                date=date, handler_index=int(r.random() * HANDLERS),
                other_agency=r.random() < OTHER_AGENCY_SHARE,
            )
