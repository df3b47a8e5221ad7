"""An alert email's List-Unsubscribe link (RFC 2369 and RFC 8058 one-click): real SMTP receiver, the editor's pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import AuthActions, csrf_from, held_still
from tests.test_alerts import STATEMENT, STATEMENT_V2, Clock, everything, statement
from tracker.alerts import destinations, sender, unsubscribe

pytestmark = pytest.mark.usefixtures("alert_settings")

LINK = re.compile(r"^<https://editor\.example(/alerts/unsubscribe/[^>\s]+)>$")


def state(db) -> list[tuple]:
    """Everything an unsubscribe could change: each destination, each subscription, what waits to go out."""
    return [
        *db.execute("SELECT id, active, unsubscribed_at, url_secret FROM alert_destinations ORDER BY id"),
        *db.execute("SELECT * FROM alert_subscriptions ORDER BY id"),
        *db.execute("SELECT id, state, last_error FROM alert_deliveries ORDER BY id"),
        *db.execute("SELECT * FROM alert_queue ORDER BY id"),
    ]


def unsubscribe_path(mail) -> str:
    found = LINK.match(mail.headers["List-Unsubscribe"])
    assert found, mail.headers["List-Unsubscribe"]
    return found.group(1)


@pytest.fixture
def mailed(db, story, accounts, smtp, webhook):
    """A reporter following the story by two email addresses and a webhook, and the first statement sent."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new", "coverage_changed"])
    desk = destinations.add(db, reporter, "Desk email", smtp.url("desk@example.org"))
    home = destinations.add(db, reporter, "Home email", smtp.url("home@example.org"))
    destinations.add(db, reporter, "Hook", webhook.url())
    statement(db, story, STATEMENT)
    clock = Clock()
    assert sender.send_pending(db, clock) == {"sent": 3, "failed": 0}
    mails = {m.path: m for m in smtp.wait_for(2)}
    return {"desk": desk, "home": home, "clock": clock, "mails": mails}


def test_every_alert_email_carries_a_one_click_unsubscribe_link_of_its_own_destination(mailed, webhook):
    """Mail clients show Unsubscribe only for a List-Unsubscribe header, and large mailbox providers want RFC
    8058's one-click POST besides: alert emails carried neither."""
    desk, home = mailed["mails"]["desk@example.org"], mailed["mails"]["home@example.org"]
    for mail in (desk, home):
        assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert LINK.match(mail.headers["List-Unsubscribe"])
    assert unsubscribe_path(desk) != unsubscribe_path(home)
    desk_token = unsubscribe.token(mailed["desk"]["id"], mailed["desk"]["created_at"], "desk@example.org")
    assert unsubscribe_path(desk).endswith(desk_token)
    # A webhook's POST is no email: its HTTP headers are left as they were.
    [post] = webhook.wait_for(1)
    assert not {name.lower() for name in post.headers} & {"list-unsubscribe", "list-unsubscribe-post"}


def test_the_one_click_post_stops_exactly_that_email_destination_and_nothing_else(db, story, mailed, smtp, client):
    """The POST comes from the mailbox provider: no sign-in, no CSRF token. It stops that one destination; the
    person's other address, their webhook and their subscriptions go on."""
    path = unsubscribe_path(mailed["mails"]["desk@example.org"])
    before = state(db)
    opened = client.get(path)  # a link scanner, a preview, or the reader following the link
    assert opened.status_code == 200 and state(db) == before
    page = opened.get_data(as_text=True)
    assert f'action="{path}"' in page and "Stop these emails" in page
    assert "desk@example.org" not in page and "Desk email" not in page

    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert done.headers["Referrer-Policy"] == "no-referrer" and done.headers["Cache-Control"] == "no-store"
    stopped = dict((r[0], r[1:3]) for r in db.execute("SELECT id, active, unsubscribed_at FROM alert_destinations"))
    assert stopped[mailed["desk"]["id"]][0] == 0 and stopped[mailed["desk"]["id"]][1]
    assert stopped[mailed["home"]["id"]] == (1, None)
    assert [r for r in state(db) if r not in before] == [
        (mailed["desk"]["id"], 0, stopped[mailed["desk"]["id"]][1], before[0][3])  # the address kept, sealed
    ]

    statement(db, story, STATEMENT_V2)  # the statement changes: the home address and the hook hear of it
    mailed["clock"].advance(3600)
    assert sender.send_pending(db, mailed["clock"]) == {"sent": 2, "failed": 0}
    assert [m.path for m in smtp.wait_for(3)][2:] == ["home@example.org"]


def test_a_forged_used_or_unknown_token_changes_nothing_and_answers_as_a_valid_one(db, mailed, client):
    """No answer tells a real link from a made-up one, or a used one from a fresh one."""
    path = unsubscribe_path(mailed["mails"]["desk@example.org"])
    home = unsubscribe_path(mailed["mails"]["home@example.org"])
    first = client.post(path)
    after = state(db)
    head, mac = path.rsplit(".", 1)
    home_id = mailed["home"]["id"]
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    forged = [
        path,  # used again
        f"{head}.{flipped}",  # the MAC changed
        home.replace(f"/{home_id}.", f"/{home_id + 100}."),  # another id under a real MAC
        f"{unsubscribe.PATH}{home_id}.{flipped}",  # the other destination's id, the first one's MAC (changed)
        f"{unsubscribe.PATH}999999999999999999.{mac}",  # no such destination
        f"{unsubscribe.PATH}99999999999999999999999.{mac}",  # past what SQLite holds
        f"{head.rsplit('.', 1)[0]}.{home.rsplit('.', 2)[1]}.{mac}",  # the other address's tag, the first one's MAC
        f"{head.rsplit('.', 1)[0]}.{mac}",  # the address left out: a whole-destination token of the first one's MAC
        f"{unsubscribe.PATH}not-a-token",
    ]
    for other in forged:
        answer = client.post(other, data={"List-Unsubscribe": "One-Click"})
        assert (answer.status_code, answer.get_data()) == (first.status_code, first.get_data()), other
        assert state(db) == after, other
    assert db.execute("SELECT active FROM alert_destinations WHERE id = ?", [home_id]).fetchone() == (1,)


def test_its_owner_sees_the_stopped_address_and_can_send_there_again(db, story, accounts, mailed, smtp, client):
    client.post(unsubscribe_path(mailed["mails"]["desk@example.org"]))
    AuthActions(client).login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    assert "Stopped from their own emails" in page and "Unsubscribed" in page
    desk_id = mailed["desk"]["id"]
    resumed = client.post(f"/account/alerts/destinations/{desk_id}/resume", data={"csrf_token": csrf_from(page)})
    assert resumed.status_code == 302
    assert db.execute("SELECT active, unsubscribed_at FROM alert_destinations WHERE id = ?", [desk_id]).fetchone() == (
        1,
        None,
    )
    statement(db, story, STATEMENT_V2)
    mailed["clock"].advance(3600)
    assert sender.send_pending(db, mailed["clock"]) == {"sent": 3, "failed": 0}
    assert sorted(m.path for m in smtp.wait_for(4)[2:]) == ["desk@example.org", "home@example.org"]


def test_someone_else_cannot_send_to_a_stopped_destination_again(db, accounts, mailed, client):
    client.post(unsubscribe_path(mailed["mails"]["desk@example.org"]))
    AuthActions(client).login("editor")
    page = client.get("/account/alerts").get_data(as_text=True)
    answer = client.post(
        f"/account/alerts/destinations/{mailed['desk']['id']}/resume", data={"csrf_token": csrf_from(page)}
    )
    assert answer.status_code == 404
    assert db.execute("SELECT active FROM alert_destinations WHERE id = ?", [mailed["desk"]["id"]]).fetchone() == (0,)


def test_an_editor_at_a_plain_http_address_gets_the_link_without_one_click():
    """RFC 8058 allows one-click only over https: an editor left at http gets List-Unsubscribe alone."""
    made = "2026-12-06T09:00:00Z"
    token = unsubscribe.token(3, made, "desk@example.org")
    assert unsubscribe.headers("http://editor.newsroom.example:5000", 3, made, "desk@example.org") == {
        "List-Unsubscribe": f"<http://editor.newsroom.example:5000/alerts/unsubscribe/{token}>"
    }


@pytest.mark.parametrize(
    "editor", ["http://127.0.0.1:5000", "http://localhost:5000", "https://[::1]:5000", "http://127.0.1.1"]
)
def test_an_editor_at_this_machine_s_own_address_gets_no_unsubscribe_link(editor):
    """A link to the loopback address (the editor's without TRACKER_EDITOR_URL) opens the reader's own machine, or
    the mailbox provider's for a one-click unsubscribe: it stopped nothing, so the email carries no such header."""
    assert unsubscribe.headers(editor, 3, "2026-12-06T09:00:00Z", "desk@example.org") == {}


def from_address(client, address: str):
    """The same test client, its requests coming from another address (each address has a limit of its own)."""
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.mark.parametrize("app_options", [{"rate_clock": held_still}])
def test_one_address_cannot_hammer_the_unsubscribe_link_and_a_refusal_says_nothing_of_the_token(
    db, app, mailed, client
):
    """The one page anyone may POST to without signing in had no limit: one client could send it as fast as it
    liked, each POST checking a MAC and reading the database. Past UNSUBSCRIBE_PER_MINUTE from one address the
    answer is 429 with Retry-After, the same whatever the token, and nothing is stopped; other addresses go on."""
    path = unsubscribe_path(mailed["mails"]["desk@example.org"])
    head, mac = path.rsplit(".", 1)
    forged = f"{head}.{mac[:-1] + ('A' if mac[-1] != 'A' else 'B')}"
    before = state(db)
    hammer = from_address(client, "203.0.113.7")
    allowed = app.config["UNSUBSCRIBE_PER_MINUTE"]
    for _ in range(allowed):
        assert hammer.post(forged).status_code == 200
    refused = hammer.post(path, data={"List-Unsubscribe": "One-Click"})  # a real link, past the limit
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["Referrer-Policy"] == "no-referrer"  # the token is in the address
    assert state(db) == before  # not stopped
    again = hammer.post(forged)
    assert (again.status_code, again.get_data()) == (refused.status_code, refused.get_data())
    assert "Too many" in refused.get_data(as_text=True)
    # Another address is not held to the first one's count: the real link stops the destination from there.
    other = from_address(app.test_client(), "198.51.100.9")
    assert other.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert db.execute("SELECT active FROM alert_destinations WHERE id = ?", [mailed["desk"]["id"]]).fetchone() == (0,)


UNSUBSCRIBE_CLOCK = Clock()


@pytest.mark.parametrize("app_options", [{"rate_clock": UNSUBSCRIBE_CLOCK}])
def test_the_unsubscribe_limit_refills_on_the_clock_its_app_is_given(app, client):
    """The limit reads the clock create_app is given (held still by the test above), not time.monotonic."""
    allowed = app.config["UNSUBSCRIBE_PER_MINUTE"]
    hammer = from_address(client, "203.0.113.8")
    codes = [hammer.post(f"{unsubscribe.PATH}1.{'A' * 24}").status_code for _ in range(allowed + 1)]
    UNSUBSCRIBE_CLOCK.advance(1.5 * 60 / allowed)  # a token and a half
    codes += [hammer.post(f"{unsubscribe.PATH}1.{'A' * 24}").status_code for _ in range(2)]
    assert codes == [200] * allowed + [429, 200, 429]


def test_the_unsubscribe_limit_remembers_a_bounded_number_of_addresses(app, client):
    """A limit kept per address in memory must not grow with every address that ever asked: past
    UNSUBSCRIBE_CLIENTS remembered, the least recently seen are forgotten."""
    app.config["UNSUBSCRIBE_CLIENTS"] = 20
    for n in range(100):
        assert from_address(client, f"192.0.2.{n}").post(f"{unsubscribe.PATH}1.{'A' * 24}").status_code == 200
    assert len(app.extensions["unsubscribe_limit"]) <= 20


def test_the_unsubscribe_limit_is_the_public_site_s_rate_limit_not_a_copy_of_it(app, client):
    """The editor's limit was the public site's token bucket written again, with small differences (a lock, no
    give_back, a rate of 0 read as 1): one rule in two places, free to drift. Both now load the one file."""
    from tests.test_public_abuse import load_plugin

    client.post(f"{unsubscribe.PATH}1.{'A' * 24}")
    editors = type(app.extensions["unsubscribe_limit"])
    publics = load_plugin("query_limits.py").RateLimit
    assert editors.take.__code__.co_filename == publics.take.__code__.co_filename
    assert Path(editors.take.__code__.co_filename).name == "client_rate.py"
    assert Path(editors.take.__code__.co_filename).parent.name == "plugins"


def first_to(mail) -> str:
    """The address a message was sent to (its first recipient; those copied in follow)."""
    return mail.path.split(",")[0]


def whole_destination_link(destination: dict) -> str:
    """The link emails carried before each address had one of its own: it names the destination alone."""
    return unsubscribe.PATH + unsubscribe.token(destination["id"], destination["created_at"])


@pytest.fixture
def desk_list(db, story, accounts, smtp):
    """A reporter's one destination sending to two addresses and copying a third in, and the first statement sent:
    an email to each address, the one copied in included, each to that address alone."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new", "coverage_changed"])
    desk = destinations.add(
        db, reporter, "Desk list", smtp.url("desk@example.org,night@example.org") + "&cc=chief@example.org"
    )
    statement(db, story, STATEMENT)
    clock = Clock()
    assert sender.send_pending(db, clock) == {"sent": 1, "failed": 0}
    mails = {m.path: m for m in smtp.wait_for(3)}
    assert set(mails) == {"desk@example.org", "night@example.org", "chief@example.org"}
    return {"desk": desk, "clock": clock, "mails": mails}


def active_of(db, destination_id: int) -> tuple:
    return db.execute(
        "SELECT active, unsubscribed_at FROM alert_destinations WHERE id = ?", [destination_id]
    ).fetchone()


def test_each_address_of_a_destination_gets_a_link_of_its_own_that_stops_only_that_address(
    db, story, desk_list, smtp, client
):
    """A destination naming several addresses was stopped for all of them by the link of any one: the night
    editor pressing Unsubscribe cut the desk off too. Each address's email now carries a link of its own, which
    stops that address; the destination goes on sending to the others."""
    mails, desk_id = desk_list["mails"], desk_list["desk"]["id"]
    desk_path, night_path = (unsubscribe_path(mails[a]) for a in ("desk@example.org", "night@example.org"))
    assert desk_path != night_path
    assert all(m.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in mails.values())

    page = client.get(desk_path).get_data(as_text=True)
    assert "de…@example.org" in page and "all 3 addresses" not in page, page
    assert "ni…@example.org" not in page and "desk@example.org" not in page
    assert "2 other addresses" in page  # the night editor and the chief go on getting them

    done = client.post(desk_path, data={"List-Unsubscribe": "One-Click"})
    forged = client.post(desk_path[:-1] + ("A" if desk_path[-1] != "A" else "B"))
    assert (done.status_code, done.get_data()) == (forged.status_code, forged.get_data())
    assert active_of(db, desk_id) == (1, None)  # the destination still sends

    statement(db, story, STATEMENT_V2)
    desk_list["clock"].advance(3600)
    assert sender.send_pending(db, desk_list["clock"]) == {"sent": 1, "failed": 0}
    later = {m.path: m for m in smtp.wait_for(5)[3:]}
    assert set(later) == {"night@example.org", "chief@example.org"}
    assert unsubscribe_path(later["night@example.org"]) == night_path


def test_an_address_copied_in_gets_its_own_email_whose_link_stops_only_that_address(db, story, desk_list, smtp, client):
    """An address copied in (cc=) got a copy of each To address's email, with that address's link: the chief
    pressing Unsubscribe stopped the desk editor's alerts and went on getting the night editor's copies (and got
    each alert twice). Each address copied in now gets an email of its own, with the link of its own address."""
    mails, desk_id = desk_list["mails"], desk_list["desk"]["id"]
    chief = mails["chief@example.org"]
    assert "Cc" not in chief.headers and chief.headers["To"] == "chief@example.org"
    chief_path = unsubscribe_path(chief)
    assert chief_path.endswith(unsubscribe.token(desk_id, desk_list["desk"]["created_at"], "chief@example.org"))
    page = client.get(chief_path).get_data(as_text=True)
    assert "ch…@example.org" in page and "2 other addresses" in page, page
    client.post(chief_path)
    assert active_of(db, desk_id) == (1, None)
    statement(db, story, STATEMENT_V2)
    desk_list["clock"].advance(3600)
    assert sender.send_pending(db, desk_list["clock"]) == {"sent": 1, "failed": 0}
    later = {m.path: m for m in smtp.wait_for(5)[3:]}
    assert set(later) == {"desk@example.org", "night@example.org"}  # the chief alone left
    assert all(unsubscribe_path(later[a]) == unsubscribe_path(mails[a]) for a in later)


def test_when_every_address_has_left_the_destination_stops_and_its_owner_can_send_to_all_again(
    db, story, desk_list, smtp, client
):
    mails, desk_id = desk_list["mails"], desk_list["desk"]["id"]
    client.post(unsubscribe_path(mails["desk@example.org"]))
    AuthActions(client).login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    assert "de…@example.org" in page and "Send there again" in page, page  # the owner sees who left
    client.post(unsubscribe_path(mails["night@example.org"]))  # the owner's session changes nothing to it
    assert active_of(db, desk_id) == (1, None)  # the chief, copied in, still gets them
    client.post(unsubscribe_path(mails["chief@example.org"]))
    assert active_of(db, desk_id)[0] == 0 and active_of(db, desk_id)[1]

    page = client.get("/account/alerts").get_data(as_text=True)
    assert "Stopped from their own emails" in page
    resumed = client.post(f"/account/alerts/destinations/{desk_id}/resume", data={"csrf_token": csrf_from(page)})
    assert resumed.status_code == 302 and active_of(db, desk_id) == (1, None)
    statement(db, story, STATEMENT_V2)
    desk_list["clock"].advance(3600)
    assert sender.send_pending(db, desk_list["clock"]) == {"sent": 1, "failed": 0}
    everyone = sorted(m.path for m in smtp.wait_for(6)[3:])
    assert everyone == ["chief@example.org", "desk@example.org", "night@example.org"]


def test_the_owner_can_send_to_an_address_that_left_again(db, story, accounts, desk_list, smtp, client):
    mails, desk_id = desk_list["mails"], desk_list["desk"]["id"]
    client.post(unsubscribe_path(mails["desk@example.org"]))
    AuthActions(client).login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    assert "de…@example.org" in page
    resumed = client.post(f"/account/alerts/destinations/{desk_id}/resume", data={"csrf_token": csrf_from(page)})
    assert resumed.status_code == 302
    assert "de…@example.org" not in client.get("/account/alerts").get_data(as_text=True)
    statement(db, story, STATEMENT_V2)
    desk_list["clock"].advance(3600)
    assert sender.send_pending(db, desk_list["clock"]) == {"sent": 1, "failed": 0}
    everyone = sorted(m.path for m in smtp.wait_for(6)[3:])
    assert everyone == ["chief@example.org", "desk@example.org", "night@example.org"]


def test_a_link_of_an_email_sent_before_each_address_had_its_own_still_stops_the_whole_destination(
    db, desk_list, client
):
    """Emails already in mailboxes carry a link naming the destination alone, which said it stops every address:
    it still does what it said."""
    path = whole_destination_link(desk_list["desk"])
    page = client.get(path).get_data(as_text=True)
    assert "all 3 addresses" in page, page
    assert client.post(path).status_code == 200
    assert active_of(db, desk_list["desk"]["id"])[0] == 0


def test_the_old_link_of_a_destination_with_several_addresses_says_plainly_that_all_of_them_stop(
    db, story, accounts, smtp, client
):
    """A link naming the whole destination (as emails carried before each address had its own) stops it for all
    of its addresses, but the page said "no more are sent to the address it reached": the desk's other reader
    lost their alerts without anyone being told. The page of such a link names, masked, every address that
    stops (those copied in blind only counted); the POST's answer, the same for every token, says it too."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    desk = destinations.add(
        db, reporter, "Desk list", smtp.url("desk@example.org,night@example.org") + "&bcc=chief@example.org"
    )
    path = whole_destination_link(desk)
    page = client.get(path).get_data(as_text=True)
    assert "all 3 addresses" in page, page
    assert "de…@example.org" in page and "ni…@example.org" in page and "1 in blind copy" in page
    for address in ("desk@example.org", "night@example.org", "chief"):
        assert address not in page  # masked: whoever holds the link learns no whole address
    done = client.post(path).get_data(as_text=True)
    assert "every address" in done
    assert db.execute("SELECT active FROM alert_destinations").fetchone() == (0,)


def test_the_link_s_page_never_shows_a_short_address_whole(db, story, accounts, smtp, client):
    """The page of a destination with several addresses masks them so that whoever holds a forwarded email's
    link learns no whole address, but a name of three characters or fewer was shown as it is: "ed@example.org"
    and a copied-in "bob@example.org" were printed whole for anyone holding the link."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    desk = destinations.add(
        db, reporter, "Desk list", smtp.url("ed@example.org,night@example.org") + "&cc=bob@example.org"
    )
    page = client.get(whole_destination_link(desk)).get_data(as_text=True)
    assert "all 3 addresses" in page, page
    shown = re.findall(r"<li>([^<]*)</li>", page)
    assert len(shown) == 3 and all("…@example.org" in address for address in shown), shown
    for address in ("ed@example.org", "bob@example.org", "night@example.org"):
        assert address not in page
    statement(db, story, STATEMENT)
    assert sender.send_pending(db, Clock()) == {"sent": 1, "failed": 0}
    ed = next(m for m in smtp.wait_for(2) if first_to(m) == "ed@example.org")
    page = client.get(unsubscribe_path(ed)).get_data(as_text=True)  # the link of ed's own email
    assert "e…@example.org" in page and "ed@example.org" not in page and "bob@example.org" not in page
    assert destinations.mask_address("ed@example.org") == "e…@example.org"
    assert destinations.mask_address("x@example.org") == "…@example.org"
    assert destinations.mask_address("desk@example.org") == "de…@example.org"
