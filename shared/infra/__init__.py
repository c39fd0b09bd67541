"""The local infrastructure launcher: Apache Kafka (KRaft) and FerretDB, without Docker.

`cri infra up` resolves what it needs from the package registries (Kafka jars from Maven
Central with mvn, FerretDB from the Go module proxy), caches it under ~/.cache/cri, starts
both processes with their data in the project's var/, and records what it started so that
`cri infra down` stops exactly that.
"""
