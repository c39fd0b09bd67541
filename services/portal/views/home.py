"""The home page: what the signed-in user can do, by role; anonymous users are sent to
sign in."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

from services.portal import auth

blp = Blueprint("home", __name__)


@blp.get("/")
def index():
    auth.user()          # signed in with a live token, else to the sign-in page
    return render_template("home.html", centre=current_app.extensions["portal_config"].centre)
