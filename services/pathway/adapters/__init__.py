"""The pathway service's I/O adapters: streams over the commit store, the read model,
intake's published facts, attestation numbers, the PDF renderer, topic replay."""
