"""Settings: read from the environment in one place, passed to child processes rather than written back."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.config import SettingError, Settings


def test_every_setting_has_a_default():
    assert Settings.from_env({}) == Settings()


def test_the_environment_overrides_the_defaults():
    settings = Settings.from_env(
        {
            "TRACKER_DB": "/srv/t.db",
            "TRACKER_CONTACT_URL": "https://paper.example/desk",
            "TRACKER_MIN_INTERVAL": "2.5",
            "TRACKER_RESPONSE_DEADLINE": "12",
            "TRACKER_ALLOW_PRIVATE": "yes",
            "TRACKER_ALLOWED_HOSTS": " intranet.example, ,wiki.example",
            "TRACKER_HTTPS": "1",
            "EDITOR_WORKERS": "3",
        }
    )
    assert settings.db == "/srv/t.db"
    assert settings.user_agent == "NewsroomTracker/0.1 (+https://paper.example/desk)"
    assert settings.fetcher_options() == {
        "allow_private": True,
        "allowed_hosts": {"intranet.example", "wiki.example"},
        "host_map": {},  # only the live demo maps host names (TRACKER_DEMO_HOSTS, tests/test_livedemo.py)
        "min_interval": 2.5,
        "total_timeout": 12.0,
        "max_document_bytes": 100 * 1024 * 1024,
    }
    assert settings.https and settings.editor_workers == 3


def test_alert_links_follow_the_editors_port_unless_the_newsroom_names_its_address():
    assert Settings.from_env({"EDITOR_PORT": "5600"}).editor_url == "http://127.0.0.1:5600"
    named = {"EDITOR_PORT": "5600", "TRACKER_EDITOR_URL": "https://desk.example/"}
    assert Settings.from_env(named).editor_url == "https://desk.example"


def test_an_editor_worker_rebuilds_the_same_settings_from_its_environment():
    settings = Settings.from_env(
        {
            "TRACKER_ALLOW_PRIVATE": "1",
            "TRACKER_ALLOWED_HOSTS": "a.example",
            "TRACKER_SECRET_KEY": "k",
            "TRACKER_DEMO_HOSTS": "b.example=127.0.0.1:8188",
            "DEMO_PACE": "0",
        }
    ).replace(db="/tmp/x.db", public_db="/tmp/p.db")
    rebuilt = Settings.from_env(settings.editor_env())
    assert rebuilt == settings.replace(editor_port=rebuilt.editor_port, public_port=rebuilt.public_port)


@pytest.mark.parametrize(
    "name,value",
    [
        ("TRACKER_MIN_INTERVAL", "soon"),
        ("EDITOR_PORT", "-1"),
        # A port past 65535 is wrapped round by the socket layer (99999 listens on 34463), or overflows.
        ("EDITOR_PORT", "99999"),
        ("PUBLIC_PORT", "65536"),
        ("DEMO_PORT", "70000"),
        # Numbers to float() but to no setting: TRACKER_DOCUMENT_MAX_MB=nan was a traceback at every start.
        ("TRACKER_MIN_INTERVAL", "nan"),
        ("TRACKER_DOCUMENT_MAX_MB", "nan"),
        ("DEMO_PACE", "inf"),
        ("DEMO_PACE", "1e300"),  # as `demo-live --pace`: at most 100
        # Read by the public site's plugin, which fell back to 300 s without a word for either.
        ("TRACKER_PAGE_CACHE_SECONDS", "soon"),
        ("TRACKER_PAGE_CACHE_SECONDS", "-5"),
        # A limit of nothing refused every document ("0.0 MB, over the 0 MB limit"), as if the file were at fault.
        ("TRACKER_DOCUMENT_MAX_MB", "0"),
        ("TRACKER_DOCUMENT_MAX_PAGES", "0"),
    ],
)
def test_an_unusable_setting_is_refused_by_name(name, value):
    with pytest.raises(SettingError, match=name):
        Settings.from_env({name: value})


@pytest.mark.parametrize("name,value", [("TRACKER_MIN_INTERVAL", "soon"), ("TRACKER_DOCUMENT_MAX_MB", "0")])
def test_the_cli_names_an_unusable_setting_in_one_line(tmp_path, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "init"])
    assert result.exit_code == 1
    assert name in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


BOOLEANS = ("TRACKER_HTTPS", "TRACKER_ALLOW_PRIVATE", "TRACKER_BENCH_FLOOR")
FIELD = {"TRACKER_HTTPS": "https", "TRACKER_ALLOW_PRIVATE": "allow_private", "TRACKER_BENCH_FLOOR": "bench_floor"}


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("value", ["1", "true", "yes", "on", "TRUE", " Yes ", "On"])
def test_every_on_off_setting_takes_the_same_words_for_on(name, value):
    """TRACKER_HTTPS=true left session cookies without Secure while the public site (which takes
    true/yes/on) sent HSTS: the same admin's word meant two things."""
    assert getattr(Settings.from_env({name: value}), FIELD[name]) is True


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("value", ["0", "false", "no", "off", "OFF", "", "  "])
def test_every_on_off_setting_takes_the_same_words_for_off(name, value):
    assert getattr(Settings.from_env({name: value}), FIELD[name]) is False


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("value", ["2", "enabled", "y", "ture"])
def test_an_on_off_setting_that_is_neither_is_refused_by_name(name, value):
    with pytest.raises(SettingError, match=name):
        Settings.from_env({name: value})


def test_an_unclear_on_off_setting_is_one_line_at_the_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_HTTPS", "enabled")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "init"])
    assert result.exit_code == 1
    assert "TRACKER_HTTPS" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "t.db").exists()


def test_https_true_makes_the_editor_s_session_cookie_secure(db_path, monkeypatch):
    from tracker.editor import create_app

    monkeypatch.setenv("TRACKER_HTTPS", "true")
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    assert "Strict-Transport-Security" in client.get("/login").headers


def test_an_editor_worker_gets_https_whichever_word_turned_it_on():
    assert Settings.from_env(Settings.from_env({"TRACKER_HTTPS": "yes"}).editor_env()).https is True


@pytest.mark.parametrize("name", ["TRACKER_DB", "TRACKER_PUBLIC_DB"])
def test_an_empty_database_setting_is_refused_like_an_empty_option(tmp_path, monkeypatch, name):
    """TRACKER_DB="" said "Error: . is a folder, not a database file" (the empty path taken as the current folder)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, "")
    result = CliRunner().invoke(cli, ["stories"])
    assert result.exit_code == 1
    assert name in result.output and "empty" in result.output and "is a folder" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "value,live", [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("no", False), ("", False)]
)
def test_make_run_reads_demo_live_by_the_same_rule(value, live):
    """`make run DEMO_LIVE=yes` left the live demo out: only "1" turned it on."""
    import shutil
    import subprocess

    from tracker.config import ROOT

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        ["make", "-n", "run", f"DEMO_LIVE={value}"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert ("--live-demo" in result.stdout) is live


def test_make_run_refuses_a_demo_live_that_is_neither_on_nor_off():
    import shutil
    import subprocess

    from tracker.config import ROOT

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        ["make", "-n", "run", "DEMO_LIVE=maybe"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "DEMO_LIVE" in result.stderr and "tracker serve" not in result.stdout
