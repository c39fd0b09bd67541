"""The project's common library: events, event store, bus, auth, config, logging.

Every service imports from here; nothing here imports from a service.
"""
