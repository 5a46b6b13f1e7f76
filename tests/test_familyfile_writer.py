"""The family-file writer: any text the reader accepts is written so that it loads back, canonically."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardian.api import GuardianAPI
from guardian.core import familyfile
from guardian.core.model import App, AppLimit, AppMatch, Child, Rules, Settings, TimeRange, Weekly

AWKWARD = [
    "An\u0001b",
    "tab\there",
    "bell\a",
    "del\x7f",
    'quote " and \\ back',
    "line\nbreak",
    "cr\rx",
    "\u2028ls",
]


@pytest.mark.parametrize("name", AWKWARD)
def test_imported_name_with_a_control_character_leaves_the_rules_readable(
    api: GuardianAPI, name: str
) -> None:
    text = f"[[child]]\nname = {familyfile_string(name)}\naccounts = [{familyfile_string(name)}]\n"
    assert api.check_rules(text).children[0].name == name.strip()
    api.import_rules(text, "family.toml")
    assert api.rules().children[0].name == name.strip()
    assert api.rules().children[0].accounts == (name,)


def familyfile_string(text: str) -> str:
    """A TOML basic string for ``text``, every character as a \\u escape (so the test needs no writer)."""
    return '"' + "".join(f"\\U{ord(c):08x}" for c in text) + '"'


# -- arbitrary text round trips ------------------------------------------------------------------

texts = st.text(min_size=1, max_size=20).filter(lambda s: bool(s.strip()))
slugs = st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,12}\Z")
durations = st.integers(min_value=1, max_value=48 * 60).map(lambda m: m * 60)
ranges = (
    st.tuples(st.integers(0, 1439), st.integers(0, 1439))
    .filter(lambda se: se[0] != se[1])
    .map(lambda se: TimeRange(*se))
)


@st.composite
def apps(draw: st.DrawFn) -> App:
    match = AppMatch(
        exe_names=tuple(draw(st.lists(texts, max_size=3))),
        paths=tuple(draw(st.lists(texts, max_size=3))),
        sha256=tuple(draw(st.lists(st.from_regex(r"\A[0-9a-f]{64}\Z"), max_size=1))),
        window_titles=tuple(draw(st.lists(texts, min_size=1, max_size=3))),
    )
    return App(id=draw(slugs), name=draw(texts), category=draw(slugs), match=match)


@st.composite
def children(draw: st.DrawFn, index: int) -> Child:
    refs = st.lists(texts, max_size=3, unique=True).map(tuple)
    weekly = st.builds(
        Weekly,
        default=durations,
        days=st.dictionaries(st.sampled_from(["mon", "sat", "sun"]), durations, max_size=2),
    )
    return Child(
        name=f"{draw(texts).strip()} {index}",
        age=draw(st.none() | st.integers(0, 25)),
        accounts=tuple(f"{a}{index}" for a in draw(st.lists(texts, max_size=2, unique=True))),
        preset=draw(st.none() | texts),
        screen_time=draw(weekly),
        allowed_hours=Weekly(default=tuple(draw(st.lists(ranges, max_size=2)))),
        always_allowed=draw(refs),
        blocked=draw(refs),
        app_limits=tuple(
            AppLimit(apps=draw(refs.filter(bool)), daily=draw(weekly)) for _ in range(draw(st.integers(0, 2)))
        ),
    )


@st.composite
def family_rules(draw: st.DrawFn) -> Rules:
    app_list = draw(st.lists(apps(), max_size=3, unique_by=lambda a: a.id))
    kids = tuple(draw(children(i)) for i in range(draw(st.integers(0, 3))))
    hotlines = tuple(draw(st.lists(texts, min_size=1, max_size=2)))
    return Rules(settings=Settings(hotlines=hotlines), apps=tuple(app_list), children=kids)


@settings(max_examples=300, deadline=None)
@given(family_rules())
def test_any_text_round_trips_canonically(rules: Rules) -> None:
    text = familyfile.dumps(rules)
    loaded = familyfile.loads(text)
    assert familyfile.dumps(loaded) == text
    assert [c.name for c in loaded.children] == [c.name.strip() for c in rules.children]
    assert [c.accounts for c in loaded.children] == [c.accounts for c in rules.children]
    assert [(a.id, a.name, a.match.exe_names, a.match.paths, a.match.window_titles) for a in loaded.apps] == [
        (a.id, a.name, a.match.exe_names, a.match.paths, a.match.window_titles) for a in rules.apps
    ]
    assert loaded.settings.hotlines == rules.settings.hotlines
    for before, after in zip(rules.children, loaded.children, strict=True):
        assert after.always_allowed == before.always_allowed and after.blocked == before.blocked
        assert after.preset == before.preset
        assert [limit.apps for limit in after.app_limits] == [limit.apps for limit in before.app_limits]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=texts, account=texts)
def test_any_imported_name_is_stored_readable(api: GuardianAPI, name: str, account: str) -> None:
    text = f"[[child]]\nname = {familyfile_string(name)}\naccounts = [{familyfile_string(account)}]\n"
    api.import_rules(text, "family.toml")
    assert api.rules().children[0].name == name.strip()
    exported = api.export_rules()
    assert familyfile.dumps(familyfile.loads(exported)) == exported


def test_save_refuses_text_that_would_not_load(api: GuardianAPI) -> None:
    surrogate = Rules(children=(Child(name="An\ud800"),))
    with pytest.raises(familyfile.FamilyFileError):
        api.save_rules(surrogate, "console")
    assert api.rules_version() == 0


def test_written_file_keeps_the_documented_layout() -> None:
    rules = Rules(
        apps=(App("g", "G", "games", AppMatch(exe_names=("g",))),),
        children=(Child(name="An", screen_time=Weekly(default=3600, days={"sat": 7200})),),
    )
    lines = familyfile.dumps(rules).splitlines()
    assert 'match = { exe_names = ["g"], paths = [], sha256 = [], window_titles = [] }' in lines
    assert 'screen_time = { default = "1h", sat = "2h" }' in lines
    assert all(c in string.printable for c in "\n".join(lines))
