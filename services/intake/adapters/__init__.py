"""Intake's I/O adapters: data keys, the payload cipher, the name index (blind index),
the regional pseudonym index, the access log and the person repository."""
