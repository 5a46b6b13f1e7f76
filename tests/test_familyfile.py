"""The family file: parse, validate, dump; the documented example; canonical round trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guardian.core import familyfile
from guardian.core.familyfile import FamilyFileError
from guardian.core.model import TimeRange

DOCS = Path(__file__).resolve().parents[1] / "docs"


def doc_example() -> str:
    text = (DOCS / "rules-file.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    assert blocks, "docs/rules-file.md has no toml example"
    return blocks[0]


def test_documented_example_parses_with_every_feature() -> None:
    rules = familyfile.loads(doc_example(), source="rules-file.md")
    an, binh = rules.children
    assert rules.settings.day_starts_at == 4 * 60
    assert rules.settings.timezone == "Asia/Ho_Chi_Minh"
    assert an.screen_time.on(5) == 3 * 3600 and an.screen_time.on(0) == 2 * 3600
    assert an.allowed_hours.on(0) == (TimeRange(390, 435), TimeRange(990, 1230))
    assert an.app_limits[0].daily.on(6) == 5400
    assert binh.name == "Bình" and binh.at_limit == "notify"
    assert rules.apps[0].match.paths == ("*/Games/Sleepy/*",)


def test_dump_then_load_gives_the_same_rules_and_text() -> None:
    rules = familyfile.loads(doc_example())
    text = familyfile.dumps(rules)
    again = familyfile.loads(text)
    assert again == rules
    assert familyfile.dumps(again) == text


def test_short_forms_and_whole_day_range() -> None:
    rules = familyfile.loads('[[child]]\nname = "A"\nallowed_hours = ["00:00-24:00"]\nscreen_time = 0\n')
    child = rules.children[0]
    assert child.allowed_hours.on(3) == (TimeRange(0, 1440),)
    assert child.screen_time.on(3) == 0
    assert '"00:00-24:00"' in familyfile.dumps(rules)


def test_crossing_midnight_range_is_kept() -> None:
    rules = familyfile.loads('[[child]]\nname = "A"\nallowed_hours = { fri = ["21:00-01:00"] }\n')
    (rng,) = rules.children[0].allowed_hours.on(4) or ()
    assert rng.crosses_midnight and rng.minutes == 240


BAD = {
    "bad duration": ('[[child]]\nname = "A"\nscreen_time = "2x"\n', 3, "child[0].screen_time"),
    "unknown weekday": ('[[child]]\nname = "A"\n\nscreen_time = { funday = "2h" }\n', 4, "funday"),
    "25:00": ('[[child]]\nname = "A"\nallowed_hours = ["20:00-25:00"]\n', 3, "allowed_hours[0]"),
    "unknown app": ('[[child]]\nname = "A"\nblocked = ["calculator", "no-such-app"]\n', 3, "blocked[1]"),
    "same name": ('[[child]]\nname = "An"\n[[child]]\nname = "an"\n', 4, "child[1].name"),
    "shared account": (
        '[[child]]\nname = "A"\naccounts = ["kid"]\n[[child]]\nname = "B"\naccounts = ["kid"]\n',
        6,
        "child[1].accounts",
    ),
    "at_limit": ('[[child]]\nname = "A"\nat_limit = "explode"\n', 3, "at_limit"),
    "future version": ("version = 2\n", 1, "version"),
    "invalid toml": ('[[child]]\nname = "A\n', 2, ""),
    "unknown key": ('[settings]\ngrace = "1m"\nwarn_befor = ["5m"]\n', 3, "settings.warn_befor"),
    "bad timezone": ('[settings]\ntimezone = "Mars/Base"\n', 2, "settings.timezone"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_name_the_line_and_field(case: str) -> None:
    text, line, field = BAD[case]
    with pytest.raises(FamilyFileError) as err:
        familyfile.loads(text, source="family.toml", known_ref=lambda ref: ref == "calculator")
    message = str(err.value)
    assert message.startswith(f"family.toml, line {line}"), message
    assert field in message
    assert "\n" not in message


def test_non_utf8_bytes_are_refused_with_their_line() -> None:
    with pytest.raises(FamilyFileError, match=r"^f\.toml, line 3: the file is not UTF-8"):
        familyfile.decode(b"version = 1\n\n# caf\xe9\n", "f.toml")


def test_byte_order_mark_is_accepted() -> None:
    assert familyfile.decode("\ufeffversion = 1\n".encode(), "f.toml") == "version = 1\n"


def test_apps_defined_in_the_file_are_known_refs() -> None:
    text = doc_example()
    rules = familyfile.loads(
        text, known_ref=lambda ref: ref in {"calculator", "youtube", "tiktok"} or ref.startswith("category:")
    )
    assert "sleepy-game" in rules.children[0].blocked


def test_child_rules_from_table_reads_a_preset_table() -> None:
    values = familyfile.child_rules_from_table(
        {"screen_time": {"default": "1h", "sat": "2h"}, "at_limit": "notify"}, "presets.toml"
    )
    assert values["screen_time"].on(5) == 7200 and values["at_limit"] == "notify"
    with pytest.raises(FamilyFileError, match=r"presets\.toml"):
        familyfile.child_rules_from_table({"screen_time": "soon"}, "presets.toml")
