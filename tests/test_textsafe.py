"""User text on a terminal: control characters show instead of acting."""

from __future__ import annotations

import pytest

from helpdesk_tui.textsafe import clip, printable

ACTING = {
    "\x1b": "\u241b",  # ESC, starts ANSI sequences: ␛
    "\x07": "\u2407",  # BEL: ␇
    "\r": "\u240d",  # CR, would overwrite the line: ␍
    "\x00": "\u2400",  # NUL: ␀
    "\x08": "\u2408",  # backspace: ␈
    "\x0b": "\u240b",  # vertical tab
    "\x0c": "\u240c",  # form feed
    "\x7f": "\u2421",  # DEL: ␡
}


@pytest.mark.parametrize(("char", "picture"), sorted(ACTING.items()))
@pytest.mark.parametrize("single_line", [False, True])
def test_c0_controls_and_del_become_control_pictures(
    char: str, picture: str, single_line: bool
) -> None:
    assert printable(f"a{char}b", single_line=single_line) == f"a{picture}b"


@pytest.mark.parametrize("code", [0x80, 0x85, 0x8D, 0x9B, 0x9F])
def test_c1_controls_become_visible_escapes(code: int) -> None:
    shown = printable(f"x{chr(code)}y")
    assert shown == f"x\\x{code:02x}y"
    assert chr(code) not in shown


def test_no_control_character_survives() -> None:
    every = "".join(chr(c) for c in range(0x00, 0xA0))
    for single_line in (False, True):
        shown = printable(every, single_line=single_line)
        allowed = set() if single_line else {"\n", "\t"}
        leaked = {c for c in shown if (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) and c not in allowed}
        assert leaked == set(), (single_line, leaked)


def test_ansi_sequence_is_shown_not_run() -> None:
    text = "\x1b[2J\x1b[31mred\x1b[0m \x1b]0;pwned\x07"
    shown = printable(text)
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == "\u241b[2J\u241b[31mred\u241b[0m \u241b]0;pwned\u2407"


def test_multi_line_keeps_newlines_and_tabs() -> None:
    assert printable("line one\nline two\n\tindented") == "line one\nline two\n\tindented"


def test_single_line_marks_newlines_visibly() -> None:
    shown = printable("line one\nline two\r\nline three\tend", single_line=True)
    assert "\n" not in shown and "\r" not in shown and "\t" not in shown
    assert shown == "line one \u21b5 line two \u21b5 line three end"


def test_multi_line_treats_crlf_as_a_line_break() -> None:
    assert printable("pasted from Outlook\r\nsecond line") == "pasted from Outlook\nsecond line"


def test_markup_and_ordinary_unicode_are_left_alone() -> None:
    text = "[red]x[/red] [@click=app.quit]q [0] Zoë 日本語 🙂"
    assert printable(text) == text
    assert printable(text, single_line=True) == text


@pytest.mark.parametrize("width", [1, 2, 5, 10, 40])
def test_clip_never_exceeds_its_width(width: int) -> None:
    for text in ["", "short", "x" * 100, "a\nb\nc\nd\ne\nf", "\x1b[31m" * 20]:
        clipped = clip(text, width)
        assert len(clipped) <= width
        assert "\n" not in clipped and "\x1b" not in clipped


def test_clip_keeps_short_text_and_marks_a_cut() -> None:
    assert clip("Printer jams", 12) == "Printer jams"
    assert clip("Printer jams daily", 12) == "Printer jam\u2026"
    assert clip("two\nlines", 40) == "two \u21b5 lines"


def test_clip_to_zero_width_is_empty() -> None:
    assert clip("anything", 0) == ""
