"""Persistence on pymongo: the commit store (event store + outbox) and projections."""
