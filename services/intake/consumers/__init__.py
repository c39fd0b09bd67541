"""Intake's Kafka consumers: the regional pseudonym index and both sides of transfers."""
