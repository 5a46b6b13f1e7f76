"""Qt Linguist files without Qt: read ``.ts``, run ``pyside6-lupdate``/``pyside6-lrelease``, make the pseudo-translation.

Shared by ``scripts/translations.py`` (update, check, compile), ``scripts/bootstrap.py`` (compile at set-up) and
:mod:`guardian.ui.i18n` (compile on the fly when a ``.qm`` is missing or stale).
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
import string
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

APP = "guardian"
QT_OWN_TS = "qtbase_vi.ts"
"""Qt's own strings (standard dialog buttons, text-field menus) in Vietnamese: PySide6 ships no qtbase_vi.qm."""
PSEUDO = "pseudo"
PSEUDO_GROWTH = 0.4
_ACCENTED = str.maketrans(
    "aeiouyAEIOUYcdnsz",
    "ấệîộữýẤỆÎỘỮÝçđñšž",
)
_KEEP = re.compile(r"\{[^{}]*\}|%\d|<[^<>]*>|&[a-zA-Z]+;|&&|\n")
"""Placeholders, markup, entities and line breaks, which the pseudo-translation leaves as they are."""
_PAD = "ẫ"
_ARGS = re.compile(r"%\d")
_TAGS = re.compile(r"</?([a-zA-Z]+)[^<>]*>")
_SHOWN_ACCELERATOR = re.compile(r"\(&\w\)")
GLOSSARY = {"nội quy": "quy tắc", "người trông trẻ": "người chăm sóc", "phụ huynh": "cha mẹ"}
"""Words Guardian's Vietnamese does not use, and the one it uses instead (docs/translations.md)."""


class ToolMissing(RuntimeError):
    """``pyside6-lupdate``/``pyside6-lrelease`` cannot be found."""


def ts_name(language: str) -> str:
    return f"{APP}_{language}.ts"


def qm_name(language: str) -> str:
    return f"{APP}_{language}.qm"


# -- reading ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    kind: str | None
    """The ``type`` attribute: ``None`` when finished, else ``unfinished``, ``vanished`` or ``obsolete``."""

    @property
    def key(self) -> tuple[str, str]:
        return self.context, self.source

    @property
    def finished(self) -> bool:
        return self.kind is None and bool(self.translation.strip())


def read_ts(path: Path) -> list[Message]:
    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            node = message.find("translation")
            messages.append(
                Message(
                    name,
                    message.findtext("source") or "",
                    (node.text or "") if node is not None else "",
                    node.get("type") if node is not None else "unfinished",
                )
            )
    return messages


def _fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<unbalanced braces>"}


def _accelerators(text: str) -> int:
    return len(re.findall(r"&(?!&)\w", text.replace("&&", "")))


def message_problems(message: Message) -> list[str]:
    """Why this message's translation cannot ship (empty list when it can)."""
    if message.kind is not None:
        return [f"translation is {message.kind}"]
    target, source = message.translation, message.source
    if not target.strip():
        return ["translation is empty"]
    found = []
    if sorted(_ARGS.findall(target)) != sorted(_ARGS.findall(source)):
        found.append(f"%-placeholders differ: {target!r}")
    if _fields(target) != _fields(source):
        found.append(f"{{}}-placeholders differ: {target!r}")
    if sorted(_TAGS.findall(target)) != sorted(_TAGS.findall(source)):
        found.append(f"markup differs: {target!r}")
    if _accelerators(target) > 1:
        found.append(f"more than one & accelerator: {target!r}")
    if _accelerators(source) and not _accelerators(target):
        found.append(f"the accelerator (&) is lost: {target!r}")
    if _SHOWN_ACCELERATOR.search(target):
        found.append(f"accelerator shown as text, put & inside a word instead: {target!r}")
    if any(not key.isascii() for key in re.findall(r"&(\w)", target.replace("&&", ""))):
        found.append(f"accelerator on a letter a keyboard without an input method cannot type: {target!r}")
    found += [f"say '{good}', not '{bad}': {target!r}" for bad, good in glossary_slips(target)]
    return found


def glossary_slips(text: str) -> list[tuple[str, str]]:
    """``(word used, word to use)`` for every :data:`GLOSSARY` word in ``text``."""
    folded = text.replace("&", "").casefold()
    return [(bad, good) for bad, good in GLOSSARY.items() if bad in folded]


# -- the tools --------------------------------------------------------------------------------------


def tool(name: str) -> Path:
    """``lupdate`` or ``lrelease`` from the PySide6 wheel, else ``pyside6-NAME``/``NAME`` on PATH."""
    spec = importlib.util.find_spec("PySide6")
    exe = name + (".exe" if os.name == "nt" else "")
    if spec is not None and spec.origin:
        bundled = Path(spec.origin).parent / exe
        if bundled.is_file():
            return bundled
    for candidate in (f"pyside6-{name}", name):
        found = shutil.which(candidate)
        if found:
            return Path(found)
    raise ToolMissing(f"{name} not found: install pyside6-essentials (python3 scripts/bootstrap.py)")


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed: {(done.stderr or done.stdout).strip()}")


def lupdate(sources: Path, ts: Path) -> None:
    """Extract every string under ``sources`` into ``ts``, keeping its translations, dropping vanished ones."""
    _run(
        [
            str(tool("lupdate")),
            "-silent",
            "-extensions",
            "py",
            "-no-obsolete",
            "-locations",
            "none",
            "-sort-messages",
            "-source-language",
            "en",
            "-target-language",
            ts.stem.rsplit("_", 1)[-1],
            str(sources),
            "-ts",
            str(ts),
        ]
    )


def lrelease(ts: Path, qm: Path) -> Path:
    qm.parent.mkdir(parents=True, exist_ok=True)
    partial = qm.with_name(f"{qm.name}.{os.getpid()}.part")  # two processes may compile into one cache
    _run([str(tool("lrelease")), "-silent", str(ts), "-qm", str(partial)])
    partial.replace(qm)
    return qm


def stale(product: Path, *sources: Path) -> bool:
    if not product.is_file():
        return True
    made = product.stat().st_mtime
    return any(s.is_file() and s.stat().st_mtime > made for s in sources)


# -- the pseudo-translation -------------------------------------------------------------------------


def pseudo_text(source: str) -> str:
    """``Save &settings`` → ``[Šấvệ &šệttîñgš ẫẫẫẫẫ]``: accented, ~40% longer, placeholders kept."""
    core = source.strip()
    if not core:
        return source
    lead, trail = source[: len(source) - len(source.lstrip())], source[len(source.rstrip()) :]
    return lead + _pseudo_core(core) + trail


def _pseudo_core(source: str) -> str:
    parts: list[str] = []
    last = 0
    for match in _KEEP.finditer(source):
        parts.append(source[last : match.start()].translate(_ACCENTED))
        parts.append(match.group())
        last = match.end()
    parts.append(source[last:].translate(_ACCENTED))
    visible = len(_KEEP.sub("", source))
    padding = max(1, math.ceil(visible * PSEUDO_GROWTH) - 3)
    words = [_PAD * min(5, padding - i) for i in range(0, padding, 5)]
    return "[" + "".join(parts) + " " + " ".join(words) + "]"


def write_pseudo_ts(source_ts: Path, out: Path) -> Path:
    """Every string of ``source_ts`` (the extracted sources) as its :func:`pseudo_text`, finished."""
    root = ET.Element("TS", version="2.1", language="en", sourcelanguage="en")
    by_context: dict[str, ET.Element] = {}
    for message in read_ts(source_ts):
        context = by_context.get(message.context)
        if context is None:
            context = by_context[message.context] = ET.SubElement(root, "context")
            ET.SubElement(context, "name").text = message.context
        node = ET.SubElement(context, "message")
        ET.SubElement(node, "source").text = message.source
        ET.SubElement(node, "translation").text = pseudo_text(message.source)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f"{out.name}.{os.getpid()}.part")
    ET.ElementTree(root).write(partial, encoding="utf-8", xml_declaration=True)
    partial.replace(out)
    return out


# -- building -----------------------------------------------------------------------------------------


def build_one(folder: Path, out: Path, language: str) -> Path:
    """``out/guardian_LANGUAGE.qm`` from ``folder``'s ``.ts`` (pseudo: generated from the Vietnamese file's
    sources), compiled only when missing or older than what it is made from."""
    vi = folder / ts_name("vi")
    qm = out / qm_name(language)
    if language == PSEUDO:
        ts = out / ts_name(PSEUDO)
        if stale(ts, vi, Path(__file__)):
            write_pseudo_ts(vi, ts)
    else:
        ts = folder / ts_name(language)
    if stale(qm, ts):
        lrelease(ts, qm)
    return qm


def build(folder: Path, out: Path) -> list[Path]:
    """Compile every ``.ts`` of ``folder`` (and the pseudo-translation) into ``out``; return what was redone."""
    redone = []
    for ts in sorted(folder.glob("*.ts")):
        if ts.name == ts_name(PSEUDO):
            continue
        qm = out / ts.with_suffix(".qm").name
        if stale(qm, ts):
            redone.append(lrelease(ts, qm))
    pseudo_qm = out / qm_name(PSEUDO)
    before = pseudo_qm.stat().st_mtime_ns if pseudo_qm.is_file() else None
    build_one(folder, out, PSEUDO)
    if pseudo_qm.stat().st_mtime_ns != before:
        redone.append(pseudo_qm)
    return redone
