"""Words for the demo year's documents: Vietnamese subjects of the kind the office handled in 2019."""

from __future__ import annotations

import random

# What a letter asks or reports (the start of a trích yếu).
ACTIONS = (
    "V/v triển khai", "V/v báo cáo tình hình thực hiện", "V/v đề nghị hướng dẫn", "V/v góp ý dự thảo",
    "V/v xin ý kiến về", "V/v đôn đốc thực hiện", "V/v kiến nghị tháo gỡ vướng mắc trong",
    "V/v đề xuất điều chỉnh", "V/v tổng kết", "V/v kế hoạch thực hiện", "V/v bổ sung kinh phí cho",
    "V/v phối hợp thực hiện", "V/v giải trình", "V/v đẩy mạnh",
)

# Matters of 2019 (the year's themes: public investment, e-government, African swine fever, …).
TOPICS = (
    "giải ngân vốn đầu tư công năm 2019", "Chính phủ điện tử và Trục liên thông văn bản quốc gia",
    "phòng, chống bệnh dịch tả lợn châu Phi", "cải cách thủ tục hành chính", "Cổng Dịch vụ công quốc gia",
    "xây dựng nông thôn mới giai đoạn 2016 - 2020", "bảo đảm trật tự, an toàn giao thông dịp Tết Canh Tý 2020",
    "phòng, chống thiên tai và tìm kiếm cứu nạn", "sắp xếp, đổi mới doanh nghiệp nhà nước",
    "thu ngân sách nhà nước năm 2019", "Luật Đầu tư công (sửa đổi)", "Nghị định quy định chi tiết Luật Quy hoạch",
    "cắt giảm điều kiện kinh doanh", "phát triển kinh tế tập thể, hợp tác xã", "quản lý thị trường bất động sản",
    "xuất khẩu nông sản sang thị trường Trung Quốc", "phòng, chống buôn lậu, gian lận thương mại",
    "chương trình mục tiêu quốc gia giảm nghèo bền vững", "dự án đường cao tốc Bắc - Nam phía Đông",
    "ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước", "chỉnh lý tài liệu lưu trữ",
    "tinh giản biên chế", "tổ chức kỳ thi trung học phổ thông quốc gia năm 2019", "phòng, chống sốt xuất huyết",
    "bảo vệ môi trường làng nghề", "ổn định giá cả thị trường cuối năm", "hội nhập kinh tế quốc tế",
    "thực hiện Hiệp định CPTPP", "quy hoạch tỉnh thời kỳ 2021 - 2030", "an toàn thực phẩm",
)

PERIODS = ("", "", "", " năm 2019", " quý I năm 2019", " 6 tháng đầu năm 2019", " 9 tháng năm 2019", " năm 2020")

SUBMISSION_STARTS = (
    "Phiếu trình về", "Tờ trình phê duyệt", "Phiếu trình xin ý kiến Thủ tướng Chính phủ về",
    "Phiếu trình giải quyết công việc về", "Tờ trình ban hành",
)

DIRECTIONS = (
    "Giao đơn vị chủ trì nghiên cứu, đề xuất, báo cáo Lãnh đạo Văn phòng.",
    "Đề nghị xử lý theo quy định, báo cáo kết quả trước thời hạn.",
    "Tổng hợp ý kiến các bộ, ngành, trình Thủ tướng Chính phủ.",
    "Theo dõi, đôn đốc việc thực hiện.",
)


def subject(rng: random.Random) -> str:
    """A trích yếu such as `V/v đôn đốc thực hiện giải ngân vốn đầu tư công năm 2019`."""
    return f"{rng.choice(ACTIONS)} {rng.choice(TOPICS)}{rng.choice(PERIODS)}"


def submission_title(rng: random.Random) -> str:
    return f"{rng.choice(SUBMISSION_STARTS)} {rng.choice(TOPICS)}{rng.choice(PERIODS)}"


def body(subject_line: str, rng: random.Random) -> str:
    """A short body for an issued document."""
    return (
        f"Xét đề nghị của các bộ, cơ quan liên quan {subject_line[4:] if subject_line.startswith('V/v ') else subject_line}, "
        f"Thủ tướng Chính phủ có ý kiến như sau:\n\n{rng.choice(DIRECTIONS)}\n\n"
        "Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./."
    )
