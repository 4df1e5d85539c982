"""Text lines with the typography the author-block parser needs: size, weight,
position and superscript link markers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MARKER_CHARS = "*†‡§¶‖#♯♭♮⋆∗★☆♠♣♥♦✝✉"
# TeX math fonts map some footnote symbols to arrows (CMSY7 prints "⇤", "⇧"): any symbol
# character in a raised or small span is a marker, so the set above is only the common core.
_MARKER_TEXT = re.compile(r"^[\s\d(),a-z\W\u0370-\u03ff]{1,12}$")
# Greek letters are link markers too in long author lists ("Zhenghao Lin⋆χϕ", "χXiamen University").
_GREEK = "\u0370-\u03ff"
_TRAILING_SYMBOLS = re.compile(rf"[{re.escape(MARKER_CHARS)}]+$")
_LEADING_SYMBOLS = re.compile(rf"^([{re.escape(MARKER_CHARS)}]+)(?=[\s,])")
_LEADING_PLAIN_MARKER = re.compile(rf"^\s*\(?([\d{re.escape(MARKER_CHARS)}]{{1,3}})[.)]?\s*(?=[A-Z])")


@dataclass(slots=True)
class Piece:
    """A run of text or a link marker inside a line, in reading order."""

    text: str
    is_marker: bool
    bold: bool = False
    x1: float = 0.0  # right edge of the span it came from


@dataclass(slots=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Plain text without markers."""
        return fix_accents(re.sub(r"\s+", " ", "".join(p.text for p in self.pieces if not p.is_marker)).strip())

    @property
    def full_text(self) -> str:
        return re.sub(r"\s+", " ", "".join(p.text if not p.is_marker else f" {p.text} " for p in self.pieces)).strip()

    @property
    def marked_text(self) -> str:
        """Text with link markers written as '^1,3' ("Li Na^1,3"), for the LLM prompt."""
        parts = (f"^{p.text.strip()} " if p.is_marker else p.text for p in self.pieces)
        return fix_accents(re.sub(r"\s+", " ", "".join(parts)).strip())

    @property
    def markers(self) -> list[str]:
        return [m for p in self.pieces if p.is_marker for m in split_markers(p.text)]

    @property
    def leading_marker(self) -> str:
        """The marker a line opens with ("1Google Research", "†MIT"), else ''."""
        first = next((p for p in self.pieces if p.text.strip()), None)
        if first is not None and first.is_marker:
            return next(iter(split_markers(first.text)), "")
        opening = ""  # "1." and "Department ..." may be separate spans
        for piece in self.pieces:
            if piece.is_marker:
                break
            opening += piece.text
        found = _LEADING_PLAIN_MARKER.match(opening)
        return found.group(1) if found else ""

    @property
    def trailing_marker(self) -> str:
        """The marker a line ends with ("Microsoft Research ⇧"), else ''."""
        last = next((p for p in reversed(self.pieces) if p.text.strip()), None)
        if last is None or not last.is_marker or self.leading_marker:
            return ""
        return next(iter(split_markers(last.text)), "")

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


# Old TeX fonts print accents as separate spacing characters: "G´erard", "M¨uller".
_SPACING_ACCENTS = {
    "´": "\u0301",
    "`": "\u0300",
    "¨": "\u0308",
    "ˆ": "\u0302",
    "˜": "\u0303",
    "¸": "\u0327",
    "ˇ": "\u030c",
    "˘": "\u0306",
    "˚": "\u030a",
    "^": "\u0302",
    "~": "\u0303",
}
_ACCENT_BEFORE_LETTER = re.compile(r"([´`¨ˆ˜¸ˇ˘˚])\s?([A-Za-zı])")


def fix_accents(text: str) -> str:
    """Compose detached TeX accents with the letter that follows them."""
    if not _ACCENT_BEFORE_LETTER.search(text):
        return text
    composed = _ACCENT_BEFORE_LETTER.sub(lambda m: m.group(2).replace("ı", "i") + _SPACING_ACCENTS[m.group(1)], text)
    return unicodedata.normalize("NFC", composed)


def split_markers(text: str) -> list[str]:
    """'1,2*' -> ['1', '2', '*']."""
    return re.findall(rf"\d+|[a-z{_GREEK}]|[^\w\s(),.]", text)


def _is_symbol(ch: str) -> bool:
    return ch in MARKER_CHARS or unicodedata.category(ch).startswith("S") or unicodedata.category(ch) == "Po"


def _is_bold(span: dict) -> bool:
    font = span["font"].lower()
    return bool(span["flags"] & 16) or any(w in font for w in ("bold", "medi", "semibold", "black", ".b"))


def _span_is_marker(span: dict, base_size: float) -> bool:
    text = span["text"].strip()
    if not text or not _MARKER_TEXT.match(text):
        return False
    superscript = bool(span["flags"] & 1)
    small = span["size"] < 0.82 * base_size
    if re.fullmatch(
        rf"[a-z{_GREEK}]{{1,2}}(?:\s*[,\s]\s*[a-z{_GREEK}]{{1,2}})*", text
    ):  # letters only when raised or small
        return superscript or small
    if not any(ch.isdigit() or _is_symbol(ch) for ch in text if ch not in ",.()"):
        return False  # a lone comma or space between names is punctuation, not a marker
    return superscript or small or all(ch in MARKER_CHARS + ", " for ch in text)


def build_line(raw: dict) -> Line | None:
    spans = [s for s in raw["spans"] if s["text"]]
    if not spans or raw.get("dir", (1, 0))[0] < 0.9:  # skip rotated text (arXiv side stamp)
        return None
    sizes = [s["size"] for s in spans if s["text"].strip()]
    if not sizes:
        return None
    base = max(sizes)
    pieces: list[Piece] = []
    prev_x1 = None
    for span in spans:
        marker = _span_is_marker(span, base)
        bold = _is_bold(span)
        text = span["text"]
        gap = prev_x1 is not None and span["bbox"][0] - prev_x1 > 0.2 * span["size"]
        if gap and not marker and pieces and not pieces[-1].text.endswith(" ") and not text.startswith(" "):
            text = " " + text
        leading = _LEADING_SYMBOLS.match(text) if pieces and not marker else None
        if leading:  # "Yi Xu" "1" "*, Shenghuo Zhu": the star is a marker glued to the next name
            pieces.append(Piece(leading.group(1), True, bold, span["bbox"][0]))
            text = text[leading.end(1) :]
        if not marker:
            trailing = _TRAILING_SYMBOLS.search(text.rstrip())
            if trailing and text.strip() != trailing.group():
                pieces.append(Piece(text.rstrip()[: trailing.start()], False, bold, span["bbox"][2]))
                pieces.append(Piece(trailing.group(), True, bold, span["bbox"][2]))
                prev_x1 = span["bbox"][2]
                continue
        pieces.append(Piece(text, marker, bold, span["bbox"][2]))
        prev_x1 = span["bbox"][2]
    main = [s for s in spans if s["text"].strip() and not _span_is_marker(s, base)] or spans
    size = max(s["size"] for s in main)
    bold = sum(len(s["text"]) for s in main if _is_bold(s)) > 0.5 * sum(len(s["text"]) for s in main)
    x0, y0, x1, y1 = raw["bbox"]
    return Line(x0, y0, x1, y1, round(size, 1), bold, pieces)


def page_lines(text_dict: dict) -> list[Line]:
    """All horizontal lines of a page, top to bottom, left to right."""
    lines = [
        line
        for block in text_dict["blocks"]
        if block.get("type", 0) == 0
        for raw in block["lines"]
        if (line := build_line(raw)) is not None and line.text
    ]
    lines.sort(key=lambda ln: (round(ln.y0 / 3), ln.x0))
    return lines
