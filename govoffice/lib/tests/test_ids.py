import time
import uuid

from govoffice.lib.ids import uuid7


def test_version_variant_and_time_prefix():
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert isinstance(value, uuid.UUID)
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert before <= value.int >> 80 <= after
    assert uuid.UUID(str(value)) == value  # a valid textual UUID, as the API shows it


def test_later_milliseconds_sort_after_earlier_ones_and_values_differ():
    first = [uuid7() for _ in range(2000)]
    time.sleep(0.003)
    second = [uuid7() for _ in range(2000)]
    assert len(set(first + second)) == 4000
    assert max(first) < min(second)
    assert max(str(u) for u in first) < min(
        str(u) for u in second
    )  # also as SQLite stores them (hex text)
