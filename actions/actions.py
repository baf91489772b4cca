"""Thin Rasa SDK adapters over the pure core (triage, cause table, replies)."""
