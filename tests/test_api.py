"""GuardianAPI: status, report data, PINs with back-off, roles and grants, on a real SQLite file."""

from __future__ import annotations

from datetime import date

import pytest

from guardian.api import GuardianAPI, week_range
from guardian.core.clock import FakeClock
from guardian.errors import InvalidInput, NotAllowed, PinLocked, PinRequired, WrongPin
from tests.helpers import ts

FAMILY = """
[settings]
timezone = "Asia/Ho_Chi_Minh"

[[child]]
name = "An"
age = 9
accounts = ["an"]
screen_time = { default = "2h", sat = "3h" }
always_allowed = ["calculator"]

  [[child.app_limit]]
  apps = ["category:games"]
  daily = "1h"

[[child]]
name = "Bình"
accounts = ["binh"]
"""


@pytest.fixture
def family(api: GuardianAPI) -> GuardianAPI:
    api.import_rules(FAMILY, "family.toml")
    an = api.store.children.id_for("An")
    assert an is not None
    api.store.usage.write(
        [
            (an, "@screen", int(ts("2026-11-27 16:00")), int(ts("2026-11-27 17:00"))),
            (an, "minecraft", int(ts("2026-11-27 16:00")), int(ts("2026-11-27 16:40"))),
            (an, "roblox", int(ts("2026-11-27 16:30")), int(ts("2026-11-27 16:50"))),
            (an, "youtube", int(ts("2026-11-27 16:50")), int(ts("2026-11-27 17:00"))),
            (an, "@screen", int(ts("2026-11-26 19:00")), int(ts("2026-11-26 19:30"))),
        ]
    )
    api.store.events.add("blocked_launch", ts=int(ts("2026-11-27 16:55")), child_id=an, app="roblox")
    return api


def clock_of(api: GuardianAPI) -> FakeClock:
    assert isinstance(api.clock, FakeClock)
    return api.clock


def test_status_shows_used_and_left_today_per_child_and_app(family: GuardianAPI) -> None:
    status = family.status()
    assert status["agent"] == {"running": False}
    an = next(c for c in status["children"] if c["child"] == "An")
    assert an["screen"]["used_s"] == 3600 and an["screen"]["left_s"] == 3600
    assert an["apps_used"]["minecraft"] == 2400
    (games,) = an["app_limits"]
    assert games["used_s"] == 50 * 60 and games["left_s"] == 10 * 60  # union of overlapping games
    binh = next(c for c in status["children"] if c["child"] == "Bình")
    assert binh["screen"]["left_s"] is None


def test_report_has_the_documented_shape(family: GuardianAPI) -> None:
    report = family.report(date(2026, 11, 26), date(2026, 11, 28))
    an = next(c for c in report["children"] if c["name"] == "An")
    assert [d["date"] for d in an["days"]] == ["2026-11-26", "2026-11-27", "2026-11-28"]
    day = an["days"][1]
    assert set(day) >= {"date", "screen_time_s", "limit_s", "apps", "categories", "events"}
    assert day["screen_time_s"] == 3600 and day["limit_s"] == 7200
    assert day["apps"] == {"minecraft": 2400, "roblox": 1200, "youtube": 600}
    assert day["categories"] == {"games": 3000, "video": 600}
    assert day["events"] == {"blocked_launch": 1}
    assert an["days"][0]["screen_time_s"] == 1800
    assert an["days"][2]["limit_s"] == 3 * 3600  # Saturday


def test_report_for_one_child_and_unknown_child(family: GuardianAPI) -> None:
    assert [c["name"] for c in family.report(date(2026, 11, 27), date(2026, 11, 27), "an")["children"]] == [
        "An"
    ]
    with pytest.raises(InvalidInput, match="no child named"):
        family.report(date(2026, 11, 27), date(2026, 11, 27), "Zed")
    with pytest.raises(InvalidInput):
        family.report(date(2026, 11, 28), date(2026, 11, 27))


def test_grant_extends_today_and_keeps_used_plus_left_equal_to_limit_plus_grants(family: GuardianAPI) -> None:
    family.grant("An", 900, reason="homework")
    family.grant("An", 600, app="category:games")
    an = family.evaluate("An")["An"]
    assert an.screen.granted_s == 900 and an.screen.used_s + an.screen.left_s == 7200 + 900
    assert an.app_left("minecraft") == 20 * 60
    with pytest.raises(InvalidInput):
        family.grant("An", 0)
    with pytest.raises(InvalidInput):
        family.grant("Nobody", 60)


def test_wrong_pins_back_off_and_a_right_pin_resets(api: GuardianAPI) -> None:
    api.set_pin("parent", "2468")
    for _ in range(2):
        with pytest.raises(WrongPin):
            api.verify_pin("0000")
    with pytest.raises(WrongPin, match="wait 5 seconds"):
        api.verify_pin("0000")
    with pytest.raises(PinLocked) as locked:
        api.verify_pin("2468")  # even the right PIN waits
    assert locked.value.retry_after == 5
    clock_of(api).advance(5)
    with pytest.raises(WrongPin, match="wait 10 seconds"):
        api.verify_pin("1111")
    clock_of(api).advance(10)
    assert api.verify_pin("2468") == "parent"
    for _ in range(2):
        with pytest.raises(WrongPin):
            api.verify_pin("0000")  # the count started again


def test_backoff_survives_a_restart(api: GuardianAPI) -> None:
    api.set_pin("parent", "2468")
    for _ in range(3):
        with pytest.raises(WrongPin):
            api.verify_pin("9999")
    again = GuardianAPI(api.store, api.clock)
    with pytest.raises(PinLocked):
        again.verify_pin("2468")


def test_pins_are_stored_only_as_scrypt_hashes(api: GuardianAPI) -> None:
    api.set_pin("parent", "2468")
    record = api.store.parents.get("parent")
    assert record is not None and b"2468" not in record.hash and len(record.salt) == 16
    assert record.n >= 2**14


def test_caregiver_pin_cannot_change_rules_but_can_grant(api: GuardianAPI) -> None:
    with pytest.raises(InvalidInput, match="parent PIN first"):
        api.set_pin("caregiver", "5678")
    api.set_pin("parent", "2468")
    with pytest.raises(PinRequired):
        api.set_pin("caregiver", "5678")
    api.set_pin("caregiver", "5678", current_pin="2468")
    with pytest.raises(NotAllowed):
        api.import_rules(FAMILY, "family.toml", pin="5678")
    with pytest.raises(PinRequired):
        api.import_rules(FAMILY, "family.toml")
    api.import_rules(FAMILY, "family.toml", pin="2468")
    assert api.grant("An", 600, pin="5678", role="caregiver").by == "caregiver"
    with pytest.raises(PinRequired):
        api.grant("An", 600)


def test_bad_pin_format_is_refused(api: GuardianAPI) -> None:
    for bad in ("12", "abcd", "1234567890123"):
        with pytest.raises(InvalidInput):
            api.set_pin("parent", bad)
    assert not api.has_pin()


def test_iso_week_range() -> None:
    assert week_range("2026-W48") == (date(2026, 11, 23), date(2026, 11, 29))
    with pytest.raises(InvalidInput):
        week_range("last week")


def test_requests_are_listed_approved_once_and_denied(family: GuardianAPI) -> None:
    an = family.store.children.id_for("An")
    assert an is not None
    first = family.store.requests.add(an, 900, ts=int(family.clock.now()), reason="homework")
    second = family.store.requests.add(an, 600, ts=int(family.clock.now()), reason="one more level")
    assert [(r.child, r.seconds) for r in family.pending_requests()] == [("An", 900), ("An", 600)]
    grant = family.answer_request(first, approve=True, seconds=1200)
    assert grant is not None and grant.seconds == 1200
    with pytest.raises(InvalidInput, match="already answered"):
        family.answer_request(first, approve=True, seconds=60)
    assert family.answer_request(second, approve=False) is None
    assert family.pending_requests() == []
    assert family.evaluate("An")["An"].screen.granted_s == 1200


def test_pin_wait_follows_the_back_off(api: GuardianAPI) -> None:
    api.set_pin("parent", "2468")
    for _ in range(3):
        with pytest.raises(WrongPin):
            api.verify_pin("0000")
    assert api.pin_wait() == 5
    clock_of(api).advance(5)
    assert api.pin_wait() == 0


def test_ui_language_is_remembered_and_unknown_codes_are_refused(api: GuardianAPI) -> None:
    assert api.ui_language() is None
    api.set_ui_language("en")
    assert api.ui_language() == "en"
    api.set_ui_language("vi")
    assert GuardianAPI(api.store, api.clock).ui_language() == "vi"
    with pytest.raises(InvalidInput, match="not a supported language"):
        api.set_ui_language("klingon")
    assert api.ui_language() == "vi"


def test_an_unknown_stored_language_reads_as_unset(api: GuardianAPI) -> None:
    api.store.meta.set("ui_language", "xx")
    assert api.ui_language() is None


def test_totp_enrolment_flag_round_trips_without_the_secret(api: GuardianAPI) -> None:
    assert not api.totp_enrolled()
    api.set_totp_enrolled(True)
    assert api.totp_enrolled()
    assert api.store.meta.get_json("totp") == {"enrolled": True}
    api.set_totp_enrolled(False)
    assert not api.totp_enrolled()
    assert api.store.meta.get("totp") is None


def test_data_dir_is_the_database_folder(api: GuardianAPI) -> None:
    assert (api.data_dir() / "guardian.db").is_file()


def test_catalog_is_built_once_per_rules_version(family: GuardianAPI) -> None:
    first = family.catalog()
    assert family.catalog() is first
    family.import_rules(FAMILY + '\n[[app]]\nid = "mygame"\nmatch = { exe_names = ["mygame"] }\n', "v2.toml")
    assert family.catalog() is not first and "mygame" in family.catalog()
    assert family.catalog() is family.catalog()


def test_long_report_equals_day_reports(family: GuardianAPI) -> None:
    year = family.report(date(2026, 11, 1), date(2026, 12, 15))
    for child in year["children"]:
        for day in child["days"]:
            (one,) = [
                c
                for c in family.report(date.fromisoformat(day["date"]), date.fromisoformat(day["date"]))[
                    "children"
                ]
                if c["name"] == child["name"]
            ]
            assert one["days"] == [day]
