"""The pathway's application layer: load a stream, decide with the pure domain, append,
and keep the read model in step. Called by the API and by the worker's consumers."""
