"""``helpdesk config export/import``: the service model as YAML files (issue 4).

The contract: exported files round-trip exactly; import validates every part
against the others and the desk's records first and writes all or nothing; bad
input is one line naming the file, the line and the field; only admins may.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import as_user
from typer.testing import CliRunner

from helpdesk_tui.cli import app
from helpdesk_tui.desk import Desk, Forbidden, InvalidInput, NotFound, TicketDraft
from helpdesk_tui.desk.config_docs import FILE_NAMES, duration, weekly_ranges
from helpdesk_tui.desk.starter import data_file

NAMES = sorted(FILE_NAMES.values())


def read_dir(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def exported(desk: Desk, tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    desk.export_config(folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


# -- round trip ------------------------------------------------------------------------------------


def test_export_writes_six_readable_files(desk: Desk, exported: Path) -> None:
    assert sorted(p.name for p in exported.iterdir()) == NAMES
    tiers = (exported / "tiers.yaml").read_text(encoding="utf-8")
    assert tiers.startswith("# Customer tiers")
    assert "  - name: basic\n" in tiers and "channels: [email, portal, walk-in, social]" in tiers
    calendars = (exported / "calendars.yaml").read_text(encoding="utf-8")
    assert "mon-fri: ['08:00-18:00']" in calendars and "always_open: true" in calendars
    sla = (exported / "sla.yaml").read_text(encoding="utf-8")
    assert "first_response: 30m" in sla and "business_critical: concierge-critical" in sla


def test_import_then_export_gives_identical_files(
    desk: Desk, exported: Path, tmp_path: Path
) -> None:
    report = desk.import_config(exported)
    assert not report.changed
    again = tmp_path / "again"
    desk.export_config(again)
    assert read_dir(again) == read_dir(exported)


def test_an_edited_model_round_trips_into_another_database(
    desk: Desk, exported: Path, tmp_path: Path, clock: object
) -> None:
    edit(exported / "tiers.yaml", "channels: [email, portal, walk-in, social]", "channels: [email]")
    edit(
        exported / "calendars.yaml",
        "      - 2026-12-25\n",
        "      - 2026-12-24\n      - 2026-12-25\n",
    )
    edit(exported / "sla.yaml", "first_response: 16h", "first_response: 90")
    text = (exported / "catalogue.yaml").read_text(encoding="utf-8")
    (exported / "catalogue.yaml").write_text(
        text + '  - key: ampli\n    name: "Amp \\u2028 [b]x[/b]"\n    category: general\n'
        "    support_start: 2020-01-01\n    end_of_support: 2027-01-31\n",
        encoding="utf-8",
    )
    report = desk.import_config(exported)
    assert report.changes["tiers"].changed == ("basic",)
    assert report.changes["catalogue"].added == ("ampli",)
    assert report.changes["calendars"].changed == ("extended",)
    assert report.changes["sla"].changed == ("basic-low",)
    first = tmp_path / "first"
    desk.export_config(first)
    assert "first_response: 1h30m" in (first / "sla.yaml").read_text(encoding="utf-8")

    other = Desk.open(tmp_path / "other.db", login="admin", clock=desk.clock)
    other.init()
    other.import_config(first)
    second = tmp_path / "second"
    other.export_config(second)
    other.close()
    assert read_dir(second) == read_dir(first)


def test_the_starter_data_directory_imports_without_change(desk: Desk) -> None:
    report = desk.import_config(data_file("tiers.yaml").parent)
    assert not report.changed
    assert {p.name for p in report.files} == set(NAMES)
    assert "desk.yaml" in {p.name for p in report.skipped}


def test_edits_are_applied(desk: Desk, exported: Path) -> None:
    edit(
        exported / "tiers.yaml", "channels: [email, portal, walk-in, social, chat]", "channels: all"
    )
    edit(exported / "catalogue.yaml", "  - key: macbook_pro\n", "  - key: macbook_pro\n")
    edit(
        exported / "catalogue.yaml",
        "    support_start: 2021-10-26\n",
        "    support_start: 2021-10-26\n    end_of_support: 2026-12-31\n",
    )
    edit(
        exported / "calendars.yaml",
        "      mon-fri: ['08:00-18:00']",
        "      mon-thu: [08:00-18:00]\n      fri: ['08:00-14:00']",
    )
    edit(exported / "sla.yaml", "    urgent: basic-urgent\n", "    urgent: basic-high\n")
    desk.import_config(exported)
    assert desk.tier("premium").all_channels
    assert desk.product("macbook_pro").end_of_support == date(2026, 12, 31)
    office = desk.calendar("office")
    assert office.weekly[4] == ((office.weekly[4][0][0], office.weekly[4][0][1]),)
    assert str(office.weekly[4][0][1]) == "14:00:00"
    assert desk.store.sla.plan_for("basic", "urgent", True) == "basic-high"


def test_entries_left_out_are_removed_and_a_category_is_retired(desk: Desk, exported: Path) -> None:
    edit(exported / "catalogue.yaml", "  - key: cisco_8845\n", "  - key: cisco_8865\n")
    edit(exported / "catalogue.yaml", "    category: printer\n", "    category: general\n")
    text = (exported / "categories.yaml").read_text(encoding="utf-8")
    start = text.index("  - key: printer")
    end = text.index("  - key: account")
    (exported / "categories.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    edit(
        exported / "tiers.yaml",
        "categories: [general, account, email, printer]",
        "categories: [general]",
    )
    report = desk.import_config(exported)
    assert report.changes["catalogue"].removed == ("cisco_8845",)
    assert report.changes["catalogue"].added == ("cisco_8865",)
    assert report.changes["categories"].removed == ("printer",)
    assert "printer" not in {c.key for c in desk.categories()}
    with pytest.raises(NotFound):
        desk.product("cisco_8845")


def test_one_file_may_be_imported_by_itself_under_any_name(
    desk: Desk, exported: Path, tmp_path: Path
) -> None:
    single = tmp_path / "my-hours.yml"
    single.write_text(
        (exported / "calendars.yaml")
        .read_text(encoding="utf-8")
        .replace("timezone: Europe/Madrid", "timezone: Europe/Lisbon", 1),
        encoding="utf-8",
    )
    report = desk.import_config(single)
    assert report.kinds == ("calendars",)
    assert report.changes["calendars"].changed == ("24x7",)
    assert desk.calendar("24x7").timezone == "Europe/Lisbon"


def test_check_validates_and_writes_nothing(desk: Desk, exported: Path, tmp_path: Path) -> None:
    edit(
        exported / "tiers.yaml", "categories: [general, account, email, printer]", "categories: all"
    )
    report = desk.import_config(exported, check=True)
    assert report.changes["tiers"].changed == ("basic",)
    assert not desk.tier("basic").all_categories


# -- bad input: one line naming the file, the line and the field; nothing written ------------------

CASES = [
    # (file, old, new, needle on the reported line, words in the message)
    (
        "sla.yaml",
        "  basic:\n    low: basic-low",
        "  gold:\n    low: basic-low",
        "  gold:",
        "matrix: gold: unknown tier 'gold'",
    ),
    (
        "sla.yaml",
        "    urgent: basic-urgent",
        "    urgent: basic-urgnt",
        "urgent: basic-urgnt",
        "matrix: basic: 'urgent': unknown plan 'basic-urgnt'",
    ),
    (
        "sla.yaml",
        "    calendar: office\n    first_response: 4h",
        "    calendar: ofice\n    first_response: 4h",
        "  - name: basic-high",
        "plan 1 (basic-high): 'calendar': unknown calendar 'ofice'",
    ),
    (
        "tiers.yaml",
        "categories: [general, account, email, printer]",
        "categories: [general, acount]",
        "  - name: basic",
        "tier 1 (basic): 'categories': unknown category 'acount'",
    ),
    (
        "catalogue.yaml",
        "    category: computer\n",
        "    category: computr\n",
        "  - key: macbook_pro",
        "'category': unknown category 'computr'",
    ),
    (
        "catalogue.yaml",
        "    support_start: 2021-10-26\n",
        "    support_start: 2021-10-26\n    end_of_support: 2021-10-25\n",
        "  - key: macbook_pro",
        "(macbook_pro): 'end_of_support' 2021-10-25 is before 'support_start' 2021-10-26",
    ),
    (
        "catalogue.yaml",
        "    support_start: 2021-10-26\n",
        "    support_start: 2021-13-26\n",
        "  - key: macbook_pro",
        "'support_start' '2021-13-26' is not a date",
    ),
    (
        "calendars.yaml",
        "mon-fri: ['08:00-18:00']",
        "mon-fri: ['08:00-13:00', '12:00-18:00']",
        "  - name: office",
        "'hours': calendar 'office': Monday intervals 08:00-13:00 and 12:00-18:00 overlap",
    ),
    (
        "calendars.yaml",
        "    hours:\n      mon-fri: ['08:00-18:00']",
        "    hours: {}",
        "  - name: office",
        "calendar 'office': empty hours",
    ),
    (
        "calendars.yaml",
        "mon-fri: ['08:00-18:00']",
        "mon-fri: ['09:00-09:00']",
        "  - name: office",
        "interval 09:00-09:00 starts at or after its end",
    ),
    (
        "calendars.yaml",
        "  - name: office\n    timezone: Europe/Madrid",
        "  - name: office\n    timezone: Europe/Madird",
        "  - name: office",
        "'timezone': calendar 'office': unknown time zone 'Europe/Madird'",
    ),
    (
        "tiers.yaml",
        "    channels: [email, portal, walk-in, social]",
        "    chanels: [email, portal, walk-in, social]",
        "    chanels:",
        "tier 1 (basic): unknown field 'chanels'",
    ),
    (
        "catalogue.yaml",
        "    category: computer\n",
        "    category: computer\n    colour: grey\n",
        "    colour: grey",
        "unknown field 'colour'",
    ),
    (
        "sla.yaml",
        "    courtesy: 8h\n",
        "    courtesy: 8h\n    courtesey: 4h\n",
        "    courtesey:",
        "plan 1 (basic-high): unknown field 'courtesey'",
    ),
    (
        "tiers.yaml",
        "tiers:\n",
        "tier:\n",
        "tier:",
        "unknown section 'tier'",
    ),
    (
        "tiers.yaml",
        "    channels: [email, portal, walk-in, social]",
        "    channels: [email, portal, walk-in, social\n",
        "    categories: [general, account, email, printer]",
        "cannot read it as YAML (expected ',' or ']'",
    ),
    (
        "tiers.yaml",
        "    channels: [email, portal, walk-in, social]",
        "    channels: [email, portal, walk-in, social]\n    channels: all",
        "    channels: all",
        "the key 'channels' is given twice",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "needle", "words"), CASES)
def test_bad_input_is_one_line_naming_file_line_and_field_and_writes_nothing(
    desk: Desk, exported: Path, name: str, old: str, new: str, needle: str, words: str
) -> None:
    # a good change in another file first: it must not be written either
    edit(exported / "departments.yaml", "description: Phones and voicemail", "description: Phones")
    edit(exported / name, old, new)
    path = exported / name
    before = desk.config_texts()
    with pytest.raises(InvalidInput) as refused:
        desk.import_config(exported)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line_of(path, needle)}: "), message
    assert words in message, message
    assert desk.config_texts() == before


def test_a_file_that_is_not_utf8_names_its_line(desk: Desk, exported: Path) -> None:
    path = exported / "tiers.yaml"
    raw = path.read_bytes().replace(b"Every kind of case, with live chat.", b"Caf\xe9", 1)
    path.write_bytes(raw)
    before = desk.config_texts()
    with pytest.raises(InvalidInput) as refused:
        desk.import_config(exported)
    line = raw[: raw.index(b"\xe9")].count(b"\n") + 1
    assert str(refused.value).startswith(f"{path}:{line}: cannot read it as YAML (not UTF-8")
    assert desk.config_texts() == before


def test_the_same_part_in_two_files_is_refused(desk: Desk, exported: Path) -> None:
    text = (exported / "departments.yaml").read_text(encoding="utf-8")
    (exported / "tiers.yaml").write_text(
        (exported / "tiers.yaml").read_text(encoding="utf-8") + text[text.index("departments:") :],
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match=r"tiers\.yaml:\d+: 'departments' is also in"):
        desk.import_config(exported)


def test_a_part_imported_alone_is_checked_against_the_database(
    desk: Desk, exported: Path, tmp_path: Path
) -> None:
    single = tmp_path / "tiers.yaml"
    single.write_text(
        (exported / "tiers.yaml").read_text(encoding="utf-8")
        + "  - name: gold\n    channels: all\n    categories: all\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as refused:
        desk.import_config(single)
    assert str(refused.value) == (
        "sla.yaml (as in the database): matrix: no plans for tier 'gold': add a row for it"
    )
    with pytest.raises(NotFound):
        desk.tier("gold")


REMOVALS = [
    # (file, entry to cut: its first line, what uses it, the words of the refusal)
    (
        "tiers.yaml",
        "  - name: concierge\n",
        "tier 'concierge' is left out, but it is still used by 1 customer",
    ),
    (
        "catalogue.yaml",
        "  - key: legacy_crm\n",
        "product 'legacy_crm' is left out, but it is still used by 1 asset",
    ),
    (
        "sla.yaml",
        "  - name: concierge-standard\n",
        "plan 'concierge-standard' is left out, but it is still used by 1 open ticket",
    ),
    (
        "departments.yaml",
        "  - name: Service Desk\n",
        "department 'Service Desk' is left out, but it is still used by 3 users",
    ),
]


@pytest.mark.parametrize(("name", "entry", "words"), REMOVALS)
def test_removing_what_records_still_use_is_refused(
    desk: Desk, exported: Path, name: str, entry: str, words: str
) -> None:
    marta = desk.resolve_customer("Marta Jones")
    desk.add_asset(marta.id, "legacy_crm", "CRM-1")
    desk.open_ticket(marta.id, TicketDraft("Question", "general"))
    path = exported / name
    text = path.read_text(encoding="utf-8")
    start = text.index(entry)
    following = re.search(r"\n  - ", text[start + len(entry) :])
    end = start + len(entry) + following.start() + 1 if following else len(text)
    if name == "sla.yaml":  # the matrix names the plan too: point concierge at another one
        text = text.replace("normal: concierge-standard", "normal: concierge-low")
    if name == "tiers.yaml":  # and the matrix row of the tier goes with it
        sla = exported / "sla.yaml"
        sla_text = sla.read_text(encoding="utf-8")
        sla.write_text(sla_text[: sla_text.index("  concierge:\n")], encoding="utf-8")
    if name == "departments.yaml":  # categories and users name it: move the category
        edit(exported / "categories.yaml", "department: Service Desk", "department: Desktop")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    before = desk.config_texts()
    with pytest.raises(InvalidInput) as refused:
        desk.import_config(exported)
    section = {"catalogue.yaml": "products", "sla.yaml": "plans"}.get(name, name[:-5])
    assert str(refused.value).startswith(f"{path}:{line_of(path, section + ':')}: '{section}': ")
    assert words in str(refused.value)
    assert desk.config_texts() == before


def test_an_unused_tier_can_be_removed(desk: Desk, exported: Path) -> None:
    desk.set_customer_tier(desk.resolve_customer("Marta Jones").id, "premium")
    tiers = exported / "tiers.yaml"
    text = tiers.read_text(encoding="utf-8")
    tiers.write_text(text[: text.index("  - name: concierge\n")], encoding="utf-8")
    sla = exported / "sla.yaml"
    text = sla.read_text(encoding="utf-8")
    sla.write_text(text[: text.index("  concierge:\n")], encoding="utf-8")
    report = desk.import_config(exported)
    assert report.changes["tiers"].removed == ("concierge",) and report.matrix_changed
    assert [t.name for t in desk.tiers()] == ["basic", "premium"]


def test_no_such_path_and_an_empty_directory(desk: Desk, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such file or directory"):
        desk.import_config(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInput, match="none of departments.yaml, categories.yaml"):
        desk.import_config(tmp_path / "empty")


# -- admins only -----------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["alice", "lee"])
def test_only_admins_may_export_or_import(
    desk: Desk, exported: Path, tmp_path: Path, login: str
) -> None:
    other = as_user(desk, login)
    try:
        with pytest.raises(
            Forbidden, match=f"only admins may administer the service model; {login}"
        ):
            other.export_config(tmp_path / "theirs")
        assert not (tmp_path / "theirs").exists()
        edit(exported / "tiers.yaml", "channels: [email, portal, walk-in, social]", "channels: all")
        with pytest.raises(Forbidden, match="only admins may"):
            other.import_config(exported)
        assert not desk.tier("basic").all_channels
    finally:
        other.close()


# -- the command line ------------------------------------------------------------------------------


def cli(desk: Desk, *args: str, login: str = "admin") -> object:
    return CliRunner().invoke(app, ["--db", desk.store.path, "--as", login, *args])


def test_cli_export_and_import(desk: Desk, tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    result = cli(desk, "config", "export", str(folder))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"exported to {folder}: {', '.join(FILE_NAMES.values())}\n"
    edit(folder / "tiers.yaml", "channels: [email, portal, walk-in, social]", "channels: [email]")
    result = cli(desk, "config", "import", str(folder), "--check")
    assert result.exit_code == 0 and "tiers: changed basic" in result.stdout
    assert "nothing written" in result.stdout
    result = cli(desk, "config", "import", str(folder))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"read {', '.join(FILE_NAMES.values())}",
        "tiers: changed basic",
    ]
    result = cli(desk, "config", "import", str(folder))
    assert result.stdout.splitlines()[-1] == "no changes: the database already matches"


def test_cli_bad_input_is_one_error_line(desk: Desk, exported: Path) -> None:
    edit(exported / "tiers.yaml", "channels: [email, portal, walk-in, social]", "channels: [fax]")
    result = cli(desk, "config", "import", str(exported))
    assert result.exit_code == 1
    assert result.stdout == ""
    path = exported / "tiers.yaml"
    assert result.stderr == (
        f"error: {path}:{line_of(path, '- name: basic')}: tier 1 (basic): 'channels': unknown "
        "channel 'fax' (use chat, email, phone, portal, social, walk-in)\n"
    )


def test_cli_refuses_an_agent(desk: Desk, tmp_path: Path) -> None:
    result = cli(desk, "config", "export", str(tmp_path / "x"), login="alice")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: only admins may administer the service model; alice is an agent\n"
    )


def test_init_says_what_it_loaded(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    first = CliRunner().invoke(app, ["--db", str(db), "--as", "boss", "init"])
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        f"database {db} ready",
        "loaded: 6 departments, 7 categories, 3 tiers, 13 products (13 new), 3 calendars, "
        "12 SLA plans, 12 knowledge articles (12 published now)",
        "user boss added as its first admin",
    ]
    again = CliRunner().invoke(app, ["--db", str(db), "--as", "boss", "init"])
    assert again.stdout.splitlines()[1].endswith(
        "(0 new), 3 calendars, 12 SLA plans, 12 knowledge articles (0 published now)"
    )


# -- the canonical forms ---------------------------------------------------------------------------


def test_durations_and_weekly_ranges_read_back_the_same() -> None:
    assert [duration(m) for m in (30, 60, 90, 480, 6000, 1)] == [
        "30m",
        "1h",
        "1h30m",
        "8h",
        "100h",
        "1m",
    ]
    weekly = {
        0: (("08:00", "18:00"),),
        1: (("08:00", "18:00"),),
        2: (("08:00", "18:00"),),
        4: (("08:00", "14:00"),),
        5: (("10:00", "12:00"), ("13:00", "24:00")),
        6: (("10:00", "12:00"), ("13:00", "24:00")),
    }
    assert weekly_ranges(weekly) == [
        ("mon-wed", ["08:00-18:00"]),
        ("fri", ["08:00-14:00"]),
        ("sat-sun", ["10:00-12:00", "13:00-24:00"]),
    ]
