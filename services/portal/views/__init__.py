"""The screens, one module per kind of work (who uses them in each module's docstring);
every module of this package that defines a blueprint `blp` is registered."""
from __future__ import annotations

import importlib
import pkgutil

from flask import Flask


def register(app: Flask) -> None:
    from services.portal.views import menu
    menu.install(app)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "blp"):
            app.register_blueprint(module.blp)
