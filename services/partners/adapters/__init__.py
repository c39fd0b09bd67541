"""The partners service's adapters: its streams in the commit store."""
