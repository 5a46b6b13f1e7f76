"""The pure web decision: suffix matching, the parent's lists, SafeSearch, list files, the family-file table."""

from __future__ import annotations

import pytest

from guardian.core.webfilter import (
    CATEGORIES,
    ChildFilter,
    Decision,
    DomainLists,
    WebRules,
    check_web_table,
    decide,
    parse_list,
    web_table,
)
from guardian.resources import resource_path

LISTS = DomainLists(
    {"adult": ["bad.example"], "gambling": ["fb88.com", "bad.example"], "video": ["youtube.com"]}
)


def child(**kwargs: object) -> ChildFilter:
    return ChildFilter.of(WebRules(**kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad.example", Decision("block", "adult")),
        ("WWW.Bad.Example.", Decision("block", "adult")),
        ("a.b.bad.example", Decision("block", "adult")),
        ("notbad.example", Decision("allow")),
        ("example", Decision("allow")),
        ("fb88.com", Decision("block", "gambling")),
        ("", Decision("allow")),
    ],
)
def test_blocked_categories_match_a_name_and_everything_under_it(name: str, expected: Decision) -> None:
    assert decide(name, child(categories=("adult", "gambling")), LISTS) == expected


def test_only_the_childs_categories_block() -> None:
    assert decide("fb88.com", child(categories=("adult",)), LISTS).action == "allow"
    assert decide("bad.example", child(categories=("gambling",)), LISTS) == Decision("block", "gambling")


def test_the_parents_allow_list_wins_then_their_block_list() -> None:
    kid = child(categories=("adult",), allow=("ok.bad.example",), block=("homework-cheats.example",))
    assert decide("ok.bad.example", kid, LISTS).action == "allow"
    assert decide("x.ok.bad.example", kid, LISTS).action == "allow"
    assert decide("bad.example", kid, LISTS).action == "block"
    assert decide("www.homework-cheats.example", kid, LISTS) == Decision("block", "custom")


def test_safesearch_rewrites_exact_names_only() -> None:
    kid = child()
    assert decide("www.google.com", kid, LISTS) == Decision("rewrite", target="forcesafesearch.google.com")
    assert decide("google.com.vn", kid, LISTS).target == "forcesafesearch.google.com"
    assert decide("mail.google.com", kid, LISTS).action == "allow"
    assert decide("www.bing.com", kid, LISTS).target == "strict.bing.com"
    assert decide("duckduckgo.com", kid, LISTS).target == "safe.duckduckgo.com"
    assert decide("www.youtube.com", kid, LISTS).target == "restrictmoderate.youtube.com"
    assert decide("m.youtube.com", child(youtube="strict"), LISTS).target == "restrict.youtube.com"
    assert decide("www.youtube.com", child(youtube="off", safesearch=False), LISTS).action == "allow"
    assert decide("google.com", child(safesearch=False), LISTS).action == "allow"
    # a blocked video category wins over Restricted Mode
    assert decide("youtube.com", child(categories=("video",)), LISTS) == Decision("block", "video")


def test_doh_names_are_blocked_for_every_filtered_child() -> None:
    assert decide("dns.google", child(), LISTS) == Decision("block", "bypass")
    assert decide("use-application-dns.net", child(), LISTS).action == "block"
    assert decide("dns.google", child(allow=("dns.google",)), LISTS).action == "allow"


def test_list_files_plain_and_hosts_format() -> None:
    text = "# comment\n0.0.0.0 a.example b.example\n127.0.0.1 localhost\nc.example # tail\n\n::1 d.example\nnot_a name!\n1.2.3.4\n"
    assert parse_list(text) == ["a.example", "b.example", "c.example", "d.example"]


def test_bundled_lists_parse_and_hold_the_vietnamese_betting_sites() -> None:
    for category in CATEGORIES:
        names = parse_list(resource_path(f"web/{category}.txt").read_text(encoding="utf-8"))
        assert len(names) >= 5, category
    gambling = DomainLists(
        {"gambling": parse_list(resource_path("web/gambling.txt").read_text(encoding="utf-8"))}
    )
    assert decide("www.fb88.com", child(categories=("gambling",)), gambling).category == "gambling"


def test_web_table_round_trip_and_errors() -> None:
    rules = WebRules(
        categories=("adult", "games"), safesearch=False, youtube="strict", allow=("a.vn",), block=("b.vn",)
    )
    assert check_web_table(web_table(rules)) == rules
    assert check_web_table({}) == WebRules()
    for bad, key in [
        ({"categories": ["porn"]}, "categories"),
        ({"safesearch": "yes"}, "safesearch"),
        ({"youtube": "loose"}, "youtube"),
        ({"allow": ["has space.vn"]}, "allow"),
        ({"block": "x.vn"}, "block"),
        ({"colour": 1}, "colour"),
    ]:
        with pytest.raises(ValueError) as info:
            check_web_table(bad)
        assert info.value.args[0] == key


def test_unknown_category_in_lists_is_refused() -> None:
    with pytest.raises(ValueError, match="not a web category"):
        DomainLists({"porn": ["x.example"]})
