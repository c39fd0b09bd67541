"""`make run`'s demo data goes through the public APIs like a user: seeding a centre on
the running stack answers no error (a 5xx anywhere raises) and leaves attestations.

In a folder named to run after every other e2e test of the session: it adds some 36
people to cai's communes, which would change the small cells the reporting tests check.
"""
from __future__ import annotations

import random

from services import demo


def test_seeding_a_centre_through_the_apis_succeeds(stack):
    urls = {"centres": {c: {s: stack.url(c, s) for s in ("intake", "pathway", "partners")}
                        for c in ("cripel", "cai")}}
    out = demo.seed_centre(urls, stack.stack.issuer(), "cai", random.Random(7))
    assert out["registered"] > 0 and out["conventions"] > 0 and out["attestations"] > 0
