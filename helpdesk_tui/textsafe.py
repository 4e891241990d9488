"""Making user text safe to put on a terminal.

Text that users typed is stored exactly as typed. Before it reaches a
terminal, control characters (an ESC that starts an ANSI sequence, a bell, a
carriage return that overwrites a line) are replaced by their visible
Unicode "control pictures", so they show instead of acting. Rich markup is a
separate concern: UI code wraps user text in ``Text(...)``/``markup=False``.
"""

from __future__ import annotations

import re

#: C0 and C1 controls, DEL, and lone surrogates (undecodable bytes from a terminal
#: or file that is not UTF-8: they cannot even be encoded for output).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n|\n|\t")
#: For ``Input(restrict=...)``: typing or pasting a control character into a box
#: is refused (a pasted ESC would otherwise be echoed raw to the terminal).
NO_CONTROLS = r"[^\x00-\x1f\x7f-\x9f\ud800-\udfff]*"


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ .. ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if code > 0xFF:
        return f"\\u{code:04x}"  # a lone surrogate
    return f"\\x{code:02x}"


def printable(text: str, *, single_line: bool = False) -> str:
    """Show every character; keep newlines and tabs unless ``single_line``."""
    text = text.replace("\r\n", "\n")
    if single_line:
        text = _NEWLINES.sub(lambda m: " " if m.group() == "\t" else " \u21b5 ", text)
    return _CONTROL.sub(_picture, text)


def clip(text: str, width: int) -> str:
    """One line of at most ``width`` characters, ending in an ellipsis if cut."""
    if width <= 0:
        return ""
    line = printable(text, single_line=True)
    return line if len(line) <= width else line[: max(width - 1, 0)] + "\u2026"
