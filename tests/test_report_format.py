"""JSON reports: the same data as ``json.dumps``, one line per day."""

from __future__ import annotations

import json

from guardian import report_format


def test_json_report_is_the_same_data_with_one_line_per_day() -> None:
    day = {"date": "2026-11-27", "apps": {"minecraft": 60}, "events": {}}
    report = {
        "from": "a",
        "to": "b",
        "children": [{"name": "An", "active": True, "days": [day, day]}, {"name": "B", "days": []}],
        "language": "vi",
    }
    text = report_format.as_json(report)
    assert json.loads(text) == report
    assert text.count('"date"') == 2 and f"        {json.dumps(day, ensure_ascii=False)},\n" in text
    assert json.loads(report_format.as_json({"children": []})) == {"children": []}
