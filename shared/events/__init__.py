"""Events: the schema registry, the CloudEvents envelope, canonical JSON and hashing."""
