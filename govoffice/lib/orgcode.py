"""Organisation codes (mã định danh) of Decision 20/2020/QĐ-TTg: NNN.NN.NN.Xnn."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Level 1 is X (G central, H province) plus two digits; lower levels fill the leading groups.
PATTERN = re.compile(r"^(?P<l4>\d{3})\.(?P<l3>\d{2})\.(?P<l2>\d{2})\.(?P<l1>[GH]\d{2})$")


@dataclass(frozen=True)
class OrgCode:
    level1: str
    level2: str
    level3: str
    level4: str

    @property
    def is_province(self) -> bool:
        return self.level1.startswith("H")

    @property
    def depth(self) -> int:
        """1 for a ministry or province itself, 2-4 for the units below it."""
        if self.level4 != "000":
            return 4
        if self.level3 != "00":
            return 3
        if self.level2 != "00":
            return 2
        return 1

    @property
    def top(self) -> str:
        """The code of the ministry or province this code belongs to."""
        return f"000.00.00.{self.level1}"

    def __str__(self) -> str:
        return f"{self.level4}.{self.level3}.{self.level2}.{self.level1}"


def parse(code: str) -> OrgCode:
    """Parse an organisation code; ValueError with the reason when it does not fit the pattern."""
    match = PATTERN.match(code.strip()) if isinstance(code, str) else None
    if match is None:
        raise ValueError(f"'{code}' is not an organisation code of the form NNN.NN.NN.Xnn (X = G or H)")
    groups = match.groupdict()
    parsed = OrgCode(groups["l1"], groups["l2"], groups["l3"], groups["l4"])
    # A lower level only exists under a filled upper one: 000.01.00.G12 names no level-2 unit.
    if parsed.level3 != "00" and parsed.level2 == "00":
        raise ValueError(f"'{code}' has a level-3 group without a level-2 group")
    if parsed.level4 != "000" and parsed.level3 == "00":
        raise ValueError(f"'{code}' has a level-4 group without a level-3 group")
    return parsed


def is_valid(code: str) -> bool:
    try:
        parse(code)
    except ValueError:
        return False
    return True
