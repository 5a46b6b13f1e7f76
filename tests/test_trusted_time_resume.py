"""Resuming trusted time in the same boot follows the monotonic clock, not a wall clock moved meanwhile."""

from __future__ import annotations

from guardian.core.trusted_time import TrustedTime, resume

W = 1_764_000_000.0
DAY = 86_400.0


def test_a_restart_in_the_same_boot_with_the_clock_a_day_ahead_keeps_trusted_time() -> None:
    persisted = TrustedTime(wall=W, mono=1000.0)
    result = resume(persisted, W + 60 + DAY, 1060.0, same_boot=True)
    assert result.trusted_now == W + 60
    assert result.gap is not None and result.gap.seconds == 60
    assert result.clock_change is not None and result.clock_change.delta == DAY
    assert result.state.offset == -DAY


def test_a_restart_in_the_same_boot_with_an_honest_clock_is_no_clock_change() -> None:
    result = resume(TrustedTime(wall=W, mono=1000.0), W + 600.5, 1600.0, same_boot=True)
    assert result.trusted_now == W + 600 and result.clock_change is None


def test_after_a_reboot_the_wall_clock_is_all_there_is() -> None:
    result = resume(TrustedTime(wall=W, mono=1000.0), W + DAY, 5.0, same_boot=True)
    assert result.trusted_now == W + DAY  # the monotonic clock restarted: it cannot be followed
    assert resume(TrustedTime(wall=W, mono=1000.0), W + DAY, 2000.0).trusted_now == W + DAY
