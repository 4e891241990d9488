"""Users (agents, leads, admins) and the reference tables: departments, categories, meta."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .base import Repo
from .records import Category, Department, User


class Users(Repo):
    def get(self, login: str) -> User | None:
        row = self.s.row("SELECT * FROM users WHERE login = ?", [login])
        return User.from_row(row) if row else None

    def list(self) -> list[User]:
        return [User.from_row(r) for r in self.s.rows("SELECT * FROM users ORDER BY login")]

    def count(self) -> int:
        return self.s.scalar("SELECT count(*) FROM users")

    def add(
        self,
        login: str,
        name: str,
        role: str,
        level: int,
        department: str | None,
        created_at: str,
    ) -> None:
        self.s.execute(
            "INSERT INTO users (login, name, role, level, department, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [login, name, role, level, department, created_at],
        )


class Reference(Repo):
    """Departments, categories and key/value facts about the file."""

    def departments(self) -> list[Department]:
        return [
            Department(r["name"], r["description"])
            for r in self.s.rows("SELECT name, description FROM departments ORDER BY name")
        ]

    def upsert_departments(self, departments: Iterable[Department]) -> None:
        for d in departments:
            self.s.execute(
                "INSERT INTO departments (name, description) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET description = excluded.description",
                [d.name, d.description],
            )

    def categories(self) -> list[Category]:
        rows = self.s.rows("SELECT * FROM categories WHERE active = 1 ORDER BY position, key")
        return [Category.from_row(r) for r in rows]

    def category(self, key: str) -> Category | None:
        row = self.s.row("SELECT * FROM categories WHERE key = ?", [key])
        return Category.from_row(row) if row else None

    def upsert_categories(self, categories: Iterable[Category]) -> None:
        for c in categories:
            fields = [
                {
                    "key": f.key,
                    "label": f.label,
                    "required": f.required,
                    "help": f.help,
                    "choices": list(f.choices),
                }
                for f in c.fields
            ]
            self.s.execute(
                "INSERT INTO categories (key, name, department, fields, position) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                "name = excluded.name, department = excluded.department, "
                "fields = excluded.fields, position = excluded.position, active = 1",
                [c.key, c.name, c.department, json.dumps(fields), c.position],
            )

    # -- helpdesk config import (issue 4): the file is the whole truth --------------------
    def retire_categories(self, keep: Iterable[str]) -> None:
        """Deactivate every category not in ``keep``: tickets still name them, so rows stay."""
        keys = list(keep)
        marks = ", ".join("?" for _ in keys) or "NULL"
        self.s.execute(f"UPDATE categories SET active = 0 WHERE key NOT IN ({marks})", keys)

    def delete_departments(self, names: Iterable[str]) -> None:
        for name in names:
            self.s.execute("DELETE FROM departments WHERE name = ?", [name])

    def department_usage(self, name: str, keep_categories: Iterable[str]) -> dict[str, int]:
        """What still names a department: users, tickets, and categories not in ``keep``."""
        keys = list(keep_categories)
        marks = ", ".join("?" for _ in keys) or "NULL"
        return {
            "user": self.s.scalar("SELECT count(*) FROM users WHERE department = ?", [name]),
            "ticket": self.s.scalar("SELECT count(*) FROM tickets WHERE department = ?", [name]),
            "retired category": self.s.scalar(
                f"SELECT count(*) FROM categories WHERE department = ? AND key NOT IN ({marks})",
                [name, *keys],
            ),
        }

    def get_meta(self, key: str) -> str | None:
        return self.s.scalar("SELECT value FROM meta WHERE key = ?", [key])

    def set_meta(self, key: str, value: str) -> None:
        self.s.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
