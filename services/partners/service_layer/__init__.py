"""The partners service's use cases (attendance reports), called by the API."""
