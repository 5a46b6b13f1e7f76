"""The built-in app catalog and process / window-title matching."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from guardian.core.catalog import CATEGORIES, Catalog, CatalogError, load_catalog_text
from guardian.core.model import App, AppMatch

APPS_TOML = Path(__file__).resolve().parents[1] / "resources" / "apps.toml"

REQUIRED_IDS = (
    "roblox", "minecraft", "league-of-legends", "valorant", "genshin-impact", "garena", "zalo",
    "messenger", "discord", "telegram", "youtube", "facebook", "tiktok", "coc-coc", "chrome", "edge",
    "firefox", "bluestacks", "unikey", "evkey",
)  # fmt: skip

HASH = "ab" * 32
ROBLOX_EXE = r"C:\Users\an\AppData\Local\Roblox\Versions\v1\RobloxPlayerBeta.exe"
JAVA_RUNTIME = r"C:\Users\an\AppData\Roaming\.minecraft\runtime\java-runtime-gamma\bin\javaw.exe"


@cache
def shipped() -> tuple[App, ...]:
    return load_catalog_text(APPS_TOML.read_text(encoding="utf-8"))


def app(app_id: str, category: str = "games", **match: tuple[str, ...]) -> App:
    return App(id=app_id, name=app_id.title(), category=category, match=AppMatch(**match))


class CountingHash:
    def __init__(self, digest: str | None) -> None:
        self.digest = digest
        self.calls = 0

    def __call__(self) -> str | None:
        self.calls += 1
        return self.digest


# ── the shipped catalog ──


def test_shipped_catalog_loads_with_at_least_sixty_builtin_apps() -> None:
    apps = shipped()
    assert len(apps) >= 60
    assert all(a.builtin for a in apps)


def test_shipped_catalog_uses_every_category() -> None:
    assert {a.category for a in shipped()} == set(CATEGORIES)


def test_shipped_catalog_ids_are_unique() -> None:
    ids = [a.id for a in shipped()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("app_id", REQUIRED_IDS)
def test_shipped_catalog_has_required_app(app_id: str) -> None:
    assert Catalog(shipped()).get(app_id) is not None


def test_vietnamese_input_methods_are_utilities() -> None:
    catalog = Catalog(shipped())
    assert catalog.category_of("unikey") == "utilities"
    assert catalog.category_of("evkey") == "utilities"


def test_android_emulators_have_their_own_category() -> None:
    catalog = Catalog(shipped())
    assert {"bluestacks", "ldplayer", "noxplayer", "memu"} <= catalog.expand("category:emulators")
    assert catalog.category_of("garena") == "games"


def test_vietnamese_names_keep_diacritics() -> None:
    coc_coc = Catalog(shipped()).get("coc-coc")
    assert coc_coc is not None and coc_coc.name == "Cốc Cốc"


@pytest.mark.parametrize(
    ("name", "exe", "expected"),
    [
        ("RobloxPlayerBeta.exe", ROBLOX_EXE, "roblox"),
        ("Minecraft.Windows.exe", None, "minecraft"),
        ("LeagueClient.exe", None, "league-of-legends"),
        ("Zalo.exe", None, "zalo"),
        ("HD-Player.exe", None, "bluestacks"),
        ("dnplayer.exe", None, "ldplayer"),
        ("chrome.exe", None, "chrome"),
        ("msedge", "/opt/microsoft/msedge/msedge", "edge"),
        ("Google Chrome", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "chrome"),
        ("browser.exe", r"C:\Program Files\CocCoc\Browser\Application\browser.exe", "coc-coc"),
        ("UniKeyNT.exe", None, "unikey"),
        ("javaw.exe", JAVA_RUNTIME, "minecraft"),
    ],
)  # fmt: skip
def test_shipped_catalog_recognises_real_processes(name: str, exe: str | None, expected: str) -> None:
    assert Catalog(shipped()).match_process(name, exe) == expected


def test_generic_browser_exe_outside_coc_coc_folder_is_not_coc_coc() -> None:
    other = r"C:\Users\an\AppData\Local\Yandex\YandexBrowser\Application\browser.exe"
    assert Catalog(shipped()).match_process("browser.exe", other) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Học Toán lớp 3 - YouTube - Google Chrome", "youtube"),
        ("(3) Facebook — Mozilla Firefox", "facebook"),
        ("Facebook tips for parents - YouTube - Cốc Cốc", "youtube"),
        ("Lo-fi beats - YouTube Music - Google Chrome", "youtube-music"),
        ("Duolingo - Personal - Microsoft Edge", "duolingo"),
        ("Luyện tập | olm.vn - Google Chrome", "olm"),
        ("Untitled design - Canva - Google Chrome", "canva"),
        ("Bài tập về nhà - Google Docs - Google Chrome", "google-docs"),
        ("New Tab - Google Chrome", None),
    ],
)
def test_shipped_catalog_recognises_browser_titles(title: str, expected: str | None) -> None:
    assert Catalog(shipped()).match_title(title) == expected


# ── loading ──


def test_loading_merges_per_os_exe_names_in_order_without_duplicates() -> None:
    text = """
    [[app]]
    id = "demo"
    name = "Demo"
    category = "games"
    exe = { windows = ["Demo.exe", "DemoHelper.exe"], macos = ["Demo"], linux = ["demo", "demo-bin"] }
    """
    (loaded,) = load_catalog_text(text)
    assert loaded.match.exe_names == ("Demo.exe", "DemoHelper.exe", "demo-bin")
    assert loaded.builtin is True


def test_loading_keeps_titles_paths_and_lowercases_hashes() -> None:
    text = f"""
    [[app]]
    id = "web"
    name = "Web"
    category = "video"
    window_titles = ["* - Web*"]
    paths = ["*/Web/web.exe"]
    sha256 = ["{HASH.upper()}"]
    """
    (loaded,) = load_catalog_text(text)
    assert loaded.match.window_titles == ("* - Web*",)
    assert loaded.match.paths == ("*/Web/web.exe",)
    assert loaded.match.sha256 == (HASH,)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('id = "a"\nname = "A"\ncategory = "games"\nexe = { windows = ["a.exe"] }\n'
         '[[app]]\nid = "a"\nname = "B"\ncategory = "games"\nexe = { windows = ["b.exe"] }', "duplicate id"),
        ('id = "a"\nname = "A"\ncategory = "toys"\nexe = { windows = ["a.exe"] }', "unknown category"),
        ('id = "a"\nname = "A"\ncategory = "games"', "at least one of"),
        ('id = "A B"\nname = "A"\ncategory = "games"\nexe = ["a"]', "slug"),
        ('id = "a"\nname = "A"\ncategory = "games"\nexe = { dos = ["a.com"] }', "unknown system"),
        ('id = "a"\nname = "A"\ncategory = "games"\nsha256 = ["xyz"]', "SHA-256"),
        ('id = "a"\nname = "A"\ncategory = "games"\nexe = ["a"]\ntitle = "oops"', "unknown key"),
        ('id = "a"\nname = "A"\ncategory = "games"\nexe = "a.exe"', "list"),
    ],
)  # fmt: skip
def test_loading_rejects_malformed_entries(body: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        load_catalog_text("[[app]]\n" + body)


def test_loading_rejects_invalid_toml() -> None:
    with pytest.raises(CatalogError, match="TOML"):
        load_catalog_text("[[app]\nid=")


# ── lookup and references ──


def sample() -> Catalog:
    return Catalog(
        [
            app("roblox", exe_names=("RobloxPlayerBeta.exe",)),
            app("minecraft", exe_names=("Minecraft.exe",)),
            app("zalo", "social", exe_names=("Zalo.exe",)),
            app("calculator", "utilities", exe_names=("CalculatorApp.exe",)),
        ]
    )


def test_custom_app_with_builtin_id_replaces_it() -> None:
    custom = app("roblox", "education", exe_names=("roblox-edu",))
    catalog = Catalog(sample().apps(), [custom])
    assert catalog.get("roblox") == custom
    assert catalog.category_of("roblox") == "education"
    assert catalog.match_process("RobloxPlayerBeta.exe", None) is None
    assert catalog.match_process("roblox-edu", None) == "roblox"
    assert len(catalog.ids()) == len(set(catalog.ids())) == 4


def test_custom_apps_come_first_in_catalog_order() -> None:
    catalog = Catalog(sample().apps(), [app("sleepy-game", exe_names=("sleepy",))])
    assert catalog.ids()[0] == "sleepy-game"
    assert "sleepy-game" in catalog
    assert "nope" not in catalog


def test_category_ref_expands_to_every_app_of_that_category() -> None:
    catalog = Catalog(sample().apps(), [app("sleepy-game", exe_names=("sleepy",))])
    assert catalog.expand("category:games") == {"roblox", "minecraft", "sleepy-game"}
    assert catalog.expand("zalo") == {"zalo"}
    assert catalog.expand("unknown-app") == frozenset()
    assert catalog.expand("category:toys") == frozenset()


def test_known_refs_are_catalog_ids_and_known_categories() -> None:
    catalog = sample()
    assert catalog.is_known_ref("zalo")
    assert catalog.is_known_ref("category:music")
    assert not catalog.is_known_ref("category:toys")
    assert not catalog.is_known_ref("sleepy-game")


def test_contains_matches_direct_ids_and_categories() -> None:
    catalog = sample()
    assert catalog.contains(["calculator"], "calculator")
    assert catalog.contains(["category:games"], "minecraft")
    assert not catalog.contains(["category:games"], "zalo")
    assert not catalog.contains([], "zalo")


def test_unknown_app_has_no_category() -> None:
    assert sample().category_of("nope") is None
    assert sample().get("nope") is None


# ── process matching ──


@pytest.mark.parametrize("name", ["Minecraft", "minecraft.exe", "MINECRAFT.EXE", "Minecraft.exe"])
def test_exe_names_match_ignoring_case_and_exe_suffix(name: str) -> None:
    assert sample().match_process(name, None) == "minecraft"


def test_exe_basename_is_tried_when_process_name_differs() -> None:
    assert sample().match_process("java", "/home/an/games/Minecraft.exe") == "minecraft"
    assert sample().match_process("javaw", r"D:\Games\MINECRAFT.EXE") == "minecraft"


def test_unknown_process_matches_nothing() -> None:
    assert sample().match_process("notepad.exe", r"C:\Windows\notepad.exe") is None
    assert sample().match_process("", None) is None


def test_path_glob_matches_backslashes_and_any_case() -> None:
    catalog = Catalog([app("coc-coc", "browsers", paths=("*/CocCoc/Browser/Application/browser.exe",))])
    path = r"C:\Program Files\COCCOC\Browser\Application\Browser.exe"
    assert catalog.match_process("browser.exe", path) == "coc-coc"
    assert catalog.match_process("browser.exe", r"C:\Other\browser.exe") is None
    assert catalog.match_process("browser.exe", None) is None


def test_path_match_beats_exe_name_match() -> None:
    catalog = Catalog(
        [
            app("generic", exe_names=("browser.exe",)),
            app("coc-coc", "browsers", paths=("*/CocCoc/*",)),
        ]
    )
    assert catalog.match_process("browser.exe", "C:/CocCoc/browser.exe") == "coc-coc"
    assert catalog.match_process("browser.exe", "C:/Elsewhere/browser.exe") == "generic"


def test_sha256_match_beats_path_and_name() -> None:
    catalog = Catalog(
        [
            app("by-name", exe_names=("renamed.exe",)),
            app("by-path", paths=("*/games/*",)),
            app("by-hash", sha256=(HASH,)),
        ]
    )
    digest = CountingHash(HASH.upper())
    assert catalog.match_process("renamed.exe", "C:/games/renamed.exe", digest) == "by-hash"
    assert digest.calls == 1


def test_hash_is_computed_at_most_once_and_only_when_needed() -> None:
    without_hashes = sample()
    digest = CountingHash(HASH)
    assert not without_hashes.needs_hash
    assert without_hashes.match_process("Zalo.exe", None, digest) == "zalo"
    assert digest.calls == 0

    with_hashes = Catalog([*sample().apps(), app("hashed", sha256=(HASH,))])
    other = CountingHash("cd" * 32)
    assert with_hashes.needs_hash
    assert with_hashes.match_process("Zalo.exe", "C:/Zalo/Zalo.exe", other) == "zalo"
    assert other.calls == 1


def test_missing_hash_falls_back_to_name() -> None:
    catalog = Catalog([*sample().apps(), app("hashed", sha256=(HASH,))])
    assert catalog.match_process("Zalo.exe", None, CountingHash(None)) == "zalo"


def test_custom_app_wins_an_exe_name_tie_with_builtin() -> None:
    builtin = [app("minecraft", exe_names=("Minecraft.exe",))]
    custom = [app("my-launcher", exe_names=("minecraft",))]
    assert Catalog(builtin, custom).match_process("Minecraft.exe", None) == "my-launcher"


def test_custom_app_wins_when_name_and_basename_point_to_different_apps() -> None:
    builtin = [app("launcher", exe_names=("launcher",))]
    custom = [app("my-game", exe_names=("my-game.exe",))]
    catalog = Catalog(builtin, custom)
    assert catalog.match_process("launcher", "/opt/my-game/my-game.exe") == "my-game"


def test_custom_app_wins_a_path_tie_with_builtin() -> None:
    builtin = [app("builtin", paths=("*/games/*",))]
    custom = [app("custom", paths=("*/GAMES/*.exe",))]
    assert Catalog(builtin, custom).match_process("x.exe", r"D:\Games\x.exe") == "custom"


# ── window titles ──


def test_title_glob_is_case_insensitive() -> None:
    catalog = Catalog([app("youtube", "video", window_titles=("* - YouTube*",))])
    assert catalog.match_title("cartoon - youtube - Google Chrome") == "youtube"
    assert catalog.match_title("YouTube") is None


def test_first_title_match_in_catalog_order_wins_and_custom_comes_first() -> None:
    builtin = [
        app("youtube-music", "music", window_titles=("* - YouTube Music*",)),
        app("youtube", "video", window_titles=("* - YouTube*",)),
    ]
    assert Catalog(builtin).match_title("Song - YouTube Music - Edge") == "youtube-music"
    custom = [app("school-channel", "education", window_titles=("Lớp 5A*",))]
    catalog = Catalog(builtin, custom)
    assert catalog.match_title("Lớp 5A: bài giảng - YouTube - Chrome") == "school-channel"
    assert catalog.match_title("Other - YouTube - Chrome") == "youtube"
