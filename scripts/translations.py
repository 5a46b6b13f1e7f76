"""Guardian's translations: Qt Linguist ``.ts`` files, extracted by ``pyside6-lupdate``, compiled by ``pyside6-lrelease``.

Usage: ``.venv/bin/python scripts/translations.py COMMAND``

- ``update``  re-extract every ``tr()``/``translate()`` string under ``src/guardian`` into
  ``resources/translations/guardian_vi.ts``, keeping the translations already there and dropping strings the
  code no longer uses. New strings arrive as ``type="unfinished"``: translate them (docs/translations.md).
- ``check``   fail (exit 1, one line per problem) unless the ``.ts`` files are up to date with the sources and
  every string has a finished Vietnamese translation that keeps its placeholders.
- ``compile`` compile the ``.ts`` files to ``.qm`` beside them (or into ``--out``), plus the generated
  pseudo-translation; only what is older than its source is redone.

The ``.qm`` files and the pseudo ``.ts`` are build products, never committed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from guardian.ui import linguist as tl  # noqa: E402 - the checkout's package, installed or not

SOURCES = ROOT / "src" / "guardian"
FOLDER = ROOT / "resources" / "translations"


def update(folder: Path = FOLDER) -> int:
    """Refresh ``guardian_vi.ts`` from the sources: new strings unfinished, old ones dropped."""
    target = folder / tl.ts_name("vi")
    tl.lupdate(SOURCES, target)
    unfinished = [m for m in tl.read_ts(target) if not m.finished]
    print(f"{target.relative_to(ROOT)}: {len(tl.read_ts(target))} strings, {len(unfinished)} to translate")
    for message in unfinished:
        print(f"  {message.context}: {message.source!r}")
    return 0


def problems(folder: Path = FOLDER) -> list[str]:
    """Everything wrong with the committed ``.ts`` files, as lines a developer can act on."""
    found: list[str] = []
    committed = folder / tl.ts_name("vi")
    if not committed.is_file():
        return [f"{committed} is missing: run scripts/translations.py update"]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / committed.name
        fresh.write_bytes(committed.read_bytes())
        tl.lupdate(SOURCES, fresh)
        extracted = {m.key for m in tl.read_ts(fresh)}
    messages = tl.read_ts(committed)
    keys = {m.key for m in messages}
    for context, source in sorted(extracted - keys):
        found.append(f"not in {committed.name} (run `update`): {context}: {source!r}")
    for context, source in sorted(keys - extracted):
        found.append(f"no longer in the sources (run `update`): {context}: {source!r}")
    for message in messages:
        found += [f"{message.context}: {message.source!r}: {why}" for why in tl.message_problems(message)]
    qt_own = folder / tl.QT_OWN_TS
    if qt_own.is_file():
        for message in tl.read_ts(qt_own):
            found += [f"{qt_own.name} {message.context}: {message.source!r}: {why}" for why in tl.message_problems(message)]
    else:
        found.append(f"{qt_own} is missing")
    return found


def check(folder: Path = FOLDER) -> int:
    found = problems(folder)
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} translation problem(s); see docs/translations.md", file=sys.stderr)
        return 1
    print("translations complete")
    return 0


def compile_all(out: Path | None) -> int:
    built = tl.build(FOLDER, out or FOLDER)
    for path in built:
        print(f"compiled {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="re-extract strings into guardian_vi.ts")
    commands.add_parser("check", help="fail unless every string has a finished Vietnamese translation")
    compile_parser = commands.add_parser("compile", help="compile .ts to .qm (and the pseudo-translation)")
    compile_parser.add_argument("--out", type=Path, help="folder for the .qm files (default: beside the .ts)")
    args = parser.parse_args(argv)
    try:
        if args.command == "update":
            return update()
        if args.command == "check":
            return check()
        return compile_all(args.out)
    except tl.ToolMissing as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
