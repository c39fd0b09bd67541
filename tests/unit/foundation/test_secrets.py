"""Secrets: created atomically with mode 0600, read from `*_FILE` paths, never in a
repr, and handed only to the process that uses them (intake)."""
from __future__ import annotations

import base64
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from shared.config import Config
from shared.infra import processes, secrets
from shared.infra.stack import Stack

ENDPOINTS = {"kafka_bootstrap_servers": "127.0.0.1:1", "mongodb_uri": "mongodb://127.0.0.1:1"}


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_secret_files_are_created_0600_even_under_a_permissive_umask(tmp_path):
    old = os.umask(0)
    try:
        master = secrets.master_key_file(tmp_path, "cripel")
        regional = secrets.regional_secret_file(tmp_path)
        priv, pubdir = secrets.centre_keypair(tmp_path, "cripel")
    finally:
        os.umask(old)
    for path in (master, regional, priv):
        assert mode(path) == 0o600, path
        assert mode(path.parent) & 0o077 == 0, path.parent
    assert len(base64.b64decode(master.read_text())) == 32
    assert (pubdir / "cripel.pub.pem").read_text().startswith("-----BEGIN PUBLIC KEY")


def test_a_secret_is_created_once_whoever_races_for_it(tmp_path):
    target = tmp_path / "secrets" / "x"
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def create(i: int) -> None:
        barrier.wait()
        results.append(secrets.write_new(target, f"value-{i}".encode()))
    threads = [threading.Thread(target=create, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1 and len(results) == 8
    assert target.read_text().startswith("value-") and mode(target) == 0o600
    assert secrets.master_key(tmp_path, "c") == secrets.master_key(tmp_path, "c")


def test_secrets_are_read_from_file_paths_and_never_shown(tmp_path, monkeypatch):
    master = secrets.master_key_file(tmp_path, "cripel")
    regional = secrets.regional_secret_file(tmp_path)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "k:9092")
    monkeypatch.setenv("MONGODB_URI", "mongodb://m")
    monkeypatch.setenv("CRI_CENTRE", "cripel")
    monkeypatch.setenv("CRI_MASTER_KEY_FILE", str(master))
    monkeypatch.setenv("CRI_REGIONAL_SECRET_FILE", str(regional))
    monkeypatch.setenv("CRI_REGIONAL_SECRET", "ignored-when-a-file-is-given")
    config = Config.from_env("intake")
    assert config.master_key == master.read_text().strip()
    assert config.regional_secret == regional.read_text().strip()
    shown = repr(config) + str(config)
    for value in (config.master_key, config.regional_secret):
        assert value not in shown
    monkeypatch.delenv("CRI_MASTER_KEY_FILE")
    monkeypatch.setenv("CRI_MASTER_KEY", "from-the-variable")
    assert Config.from_env("intake").master_key == "from-the-variable"


@pytest.mark.parametrize("service", ["pathway", "partners", "reporting"])
def test_only_intake_receives_the_secrets(tmp_path, service):
    stack = Stack(tmp_path, centres=("cripel", "cai"))
    centre = "region" if service == "reporting" else "cripel"
    env = stack.env_for(service, centre, ENDPOINTS)
    own = {"partners": {"CRI_MASTER_KEY_FILE"},
           "pathway": {"CRI_CENTRE_PRIVATE_KEY_FILE", "CRI_SIGNING_KEY_FILE"}}.get(service, set())
    assert set(env) & set(processes.SECRET_VARIABLES) == own
    if service == "pathway":  # its own transfer and signing pairs, never intake's
        intake_priv, intake_pub = secrets.centre_keypair(tmp_path, "cripel")
        intake_sign, intake_sign_pub = secrets.signing_keypair(tmp_path, "cripel")
        mine = {env[k] for k in ("CRI_CENTRE_PRIVATE_KEY_FILE", "CRI_CENTRE_PUBLIC_KEYS_DIR",
                                 "CRI_SIGNING_KEY_FILE", "CRI_SIGNING_PUBLIC_KEYS_DIR")}
        assert not mine & {str(intake_priv), str(intake_pub), str(intake_sign),
                           str(intake_sign_pub)}
        assert Path(env["CRI_CENTRE_PRIVATE_KEY_FILE"]).read_bytes() != intake_priv.read_bytes()
        assert Path(env["CRI_SIGNING_KEY_FILE"]).read_bytes() != intake_sign.read_bytes()
        # every centre's pathway public keys are there before anyone starts
        assert {p.name for p in Path(env["CRI_CENTRE_PUBLIC_KEYS_DIR"]).iterdir()} == \
            {"cripel.pub.pem", "cai.pub.pem"}
        assert {p.name for p in Path(env["CRI_SIGNING_PUBLIC_KEYS_DIR"]).iterdir()} == \
            {"cripel.pub.pem", "cai.pub.pem"}
    if service == "partners":   # its own key (shared cards), never intake's
        assert env["CRI_MASTER_KEY_FILE"] != str(secrets.master_key_file(tmp_path, "cripel"))
        assert secrets.master_key(tmp_path, "cripel") != \
            secrets.master_key_file(tmp_path, "cripel", "partners").read_text().strip()
    intake = stack.env_for("intake", "cripel", ENDPOINTS)
    assert {"CRI_MASTER_KEY_FILE", "CRI_REGIONAL_SECRET_FILE",
            "CRI_CENTRE_PRIVATE_KEY_FILE"} <= set(intake)
    # paths, not values: the environment of a process never holds a secret itself
    master = secrets.master_key(tmp_path, "cripel")
    assert master not in "".join(intake.values())


def test_a_spawned_process_does_not_inherit_the_launchers_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("CRI_MASTER_KEY", "launcher-secret")
    monkeypatch.setenv("CRI_REGIONAL_SECRET_FILE", "/launcher/secret")
    log = tmp_path / "env.log"
    pid = processes.spawn(["env"], log, env={"CRI_SERVICE": "pathway"})
    deadline = time.monotonic() + 30
    while processes.alive(pid) and time.monotonic() < deadline:   # `env` exits at once
        time.sleep(0.01)
    text = log.read_text()
    assert "CRI_SERVICE=pathway" in text
    assert "launcher-secret" not in text and "CRI_REGIONAL_SECRET_FILE" not in text
