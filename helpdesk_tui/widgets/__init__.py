"""Reusable console widgets; they render records, they never query."""
