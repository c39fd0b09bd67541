"""The partners service's pure domain (only attendance reports so far)."""
