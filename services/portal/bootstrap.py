"""The portal's configuration and its one I/O dependency (the services' APIs), wired
once per process; tests call `bootstrap` with their own URLs."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from shared.config import secret


@dataclass(frozen=True)
class PortalConfig:
    centre: str
    intake_url: str
    pathway_url: str
    partners_url: str
    reporting_url: str
    oidc_url: str                    # the provider's base: /.well-known/openid-configuration
    client_id: str
    client_secret: str = field(repr=False, default="")
    secret_key: str = field(repr=False, default="")
    public_base_url: str = ""
    secure_cookies: bool = True      # off only on plain-http localhost (make run, tests)

    @staticmethod
    def from_env() -> "PortalConfig":
        base = os.environ.get("CRI_PUBLIC_BASE_URL", "")
        return PortalConfig(
            centre=os.environ["CRI_CENTRE"], intake_url=os.environ["CRI_INTAKE_URL"],
            pathway_url=os.environ["CRI_PATHWAY_URL"],
            partners_url=os.environ["CRI_PARTNERS_URL"],
            reporting_url=os.environ["CRI_REPORTING_URL"],
            oidc_url=os.environ["CRI_OIDC_URL"], client_id=os.environ["CRI_OIDC_CLIENT_ID"],
            client_secret=secret("CRI_OIDC_CLIENT_SECRET"),
            secret_key=secret("CRI_PORTAL_SECRET_KEY"), public_base_url=base,
            secure_cookies=os.environ.get(
                "CRI_PORTAL_SECURE_COOKIES",
                "0" if base.startswith("http://127.0.0.1") else "1") == "1")

    def service_url(self, service: str) -> str:
        return {"intake": self.intake_url, "pathway": self.pathway_url,
                "partners": self.partners_url, "reporting": self.reporting_url}[service]
