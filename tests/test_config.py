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
    ],
)
def test_an_unusable_setting_is_refused_by_name(name, value):
    with pytest.raises(SettingError, match=name):
        Settings.from_env({name: value})


def test_the_cli_names_an_unusable_setting_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_MIN_INTERVAL", "soon")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "init"])
    assert result.exit_code == 1
    assert "TRACKER_MIN_INTERVAL" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
