"""The HTTP side every service shares: app factory, problem+json, auth, health, metrics."""
