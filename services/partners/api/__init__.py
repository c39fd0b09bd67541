"""The partners API (/api/v1)."""
