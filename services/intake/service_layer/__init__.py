"""Intake's use cases: command handlers, file views, exports and transfers."""
