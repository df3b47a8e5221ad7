"""What an alert says, as received by a real SMTP server and a real webhook on 127.0.0.1: the changed words, the
story, who said it, a link to act on."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from tests.test_alerts import Clock, db_path_of, everything
from tracker import claims, coverage
from tracker.alerts import destinations, messages, sender
from tracker.ingest import ingest_page
from tracker.publish_log import publish_and_log

pytestmark = pytest.mark.usefixtures("alert_settings")

OPENING = "The council said on Monday that the fire at the harbour warehouse was under control by 3 am."
SAFETY = "The safety of our residents is our {} priority, and we will review the response, said Mayor Ann Lee."
CLOSING = "Roads around the harbour remain closed until further notice while inspectors examine the building."


def council_page(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    title = "<title>Statement on the harbour fire</title>"
    return f"<html><head>{title}</head><body><article><h1>Harbour fire</h1>{body}</article></body></html>".encode()


def council(db, story, *paragraphs: str) -> dict:
    return ingest_page(db, story, "https://council.example/news/fire", council_page(*paragraphs), kind="statement")


def test_a_changed_word_is_shown_in_its_context_alone_and_in_a_batch(db, story, accounts, smtp, webhook):
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new", "coverage_changed"])
    destinations.add(db, reporter, "Desk email", smtp.url())
    destinations.add(db, reporter, "Desk webhook", webhook.url())
    council(db, story, OPENING, SAFETY.format("first"), CLOSING)
    changed = council(db, story, OPENING, SAFETY.format("top"), CLOSING)
    clock = Clock()
    assert sender.send_pending(db, clock) == {"sent": 2, "failed": 0}
    [batched] = webhook.wait_for(1)  # the new statement and its change, one message
    # The change leads (what a phone's notification shows), then how many more and from which stories.
    lead = "Statement changed: Harbour fire (council.example): “first” → “top”"
    assert batched.title == f"{lead} · and 1 more alert: A test story"
    assert "residents is our [-first-] [+top+] priority" in batched.body  # a webhook reads plain text
    assert "+The safety" not in batched.body and "-The safety" not in batched.body

    council(db, story, OPENING, SAFETY.format("top"), CLOSING.replace("remain closed", "reopened on Tuesday"))
    clock.advance(60)
    assert sender.send_pending(db, clock) == {"sent": 2, "failed": 0}
    mail = smtp.wait_for(2)[1]
    assert mail.title == "Statement changed: Harbour fire (council.example): “remain closed” → “reopened on Tuesday”"
    # An email is plain text: the marks read as they are, not as markdown shown as typed.
    assert "Roads around the harbour [-remain closed-] [+reopened on Tuesday+] until further notice" in mail.body
    assert "What changed ([-…-]: removed, [+…+]: added):" in mail.body
    assert "~~" not in mail.body and "**" not in mail.body
    assert f"/coverage/{changed['coverage_id']}?to=" in mail.body
    assert mail.body.index("Story: A test story") < mail.body.index("[-remain closed-]")


def test_a_huge_or_hostile_revision_makes_a_bounded_message_without_control_characters(db, story, accounts, webhook):
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["coverage_changed"])
    destinations.add(db, reporter, "Hook", webhook.url())
    item = coverage.upsert_item(db, story["id"], "https://acme.example/s", kind="statement", outlet="Acme")
    coverage.add_revision(db, item, "Acme said " + "word " * 200_000 + "end.")
    db.execute("UPDATE alert_events SET routed_at = 'before'")
    db.conn.commit()
    hostile = "\x1b]0;pwned\x07 " + "\u202e" + "new " * 200_000
    coverage.add_revision(db, item, "Acme said " + hostile + "\n" + "\n".join(f"Line {i}." for i in range(2000)))
    assert sender.send_pending(db, Clock())["sent"] == 1
    [post] = webhook.wait_for(1)
    assert len(post.body) < 4000
    assert "\x1b" not in post.body and "\x07" not in post.body
    assert "more changed paragraphs" in post.body


def test_the_publish_alert_names_its_stories_and_claims_with_public_links(db, story, accounts, webhook, monkeypatch):
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://tracker.example.org")
    reporter, editor = accounts["reporter"], accounts["editor"]
    everything(db, reporter, kinds=["publish"])
    destinations.add(db, reporter, "Hook", webhook.url())
    claim = "The fire was under control by 3 am"
    claim_id = claims.log_claim(db, story["id"], claim, "Harbour council", "organization", reporter)
    claims.set_status(db, claim_id, "confirmed", editor, "Fire service log", 1, "The fire service log shows it.")
    claims.set_published(db, claim_id, True, editor, 2)
    publish_and_log(db, db_path_of(db).with_name("public.db"), editor)
    assert sender.send_pending(db, Clock())["sent"] == 1
    [post] = webhook.wait_for(1)
    assert post.title == "Published A test story: 1 claim went public"
    assert "The fire was under control by 3 am" in post.body and "(Harbour council), confirmed" in post.body
    assert f"https://tracker.example.org/public/claims/{claim_id}" in post.body
    assert "https://tracker.example.org/stories/test-story" in post.body
    assert "https://editor.example/publish" in post.body and "By editor." in post.body


def test_each_alert_leads_with_what_happened_who_said_it_and_a_link(db, story, accounts, webhook):
    reporter, editor = accounts["reporter"], accounts["editor"]
    everything(db, reporter)  # every kind
    destinations.add(db, reporter, "Hook", webhook.url())
    clock = Clock()
    posts = []

    def sent() -> tuple[str, str]:
        clock.advance(60)
        assert sender.send_pending(db, clock)["sent"] == 1
        post = webhook.wait_for(len(posts) + 1)[-1]
        posts.append(post)
        return post.title, post.body

    first = council(db, story, OPENING, SAFETY.format("first"))
    title, body = sent()
    assert title == "New statement from council.example: Harbour fire"
    assert "“The council said on Monday" in body  # not the title again

    claim_id = claims.log_claim(db, story["id"], "The fire was under control by 3 am", "Harbour council",
                                "organization", reporter, source_identity="Deputy chief Ray Holm",
                                internal_notes="Call back after 6")  # fmt: skip
    title, body = sent()  # a claim logged reaches the desk before anyone rules on it, its source kept back
    assert title == "New claim logged: The fire was under control by 3 am (Harbour council)"
    assert "Story: A test story" in body and "Not yet reviewed, logged by reporter" in body
    assert f"/claims/{claim_id}" in body and "Ray Holm" not in body and "Call back" not in body
    claims.add_evidence(db, claim_id, first["revision_id"], "under control by 3 am", "supports", reporter)
    changed = council(db, story, OPENING.replace("3 am", "5 am"), SAFETY.format("first"))
    clock.advance(60)
    assert sender.send_pending(db, clock)["sent"] == 1
    [batch] = webhook.wait_for(3)[2:]
    # The claim's quote went, so that comes first, and the subject says it.
    assert batch.title.startswith(f"Evidence changed under claim {claim_id} (Harbour council)")
    assert batch.title.endswith(" · and 1 more alert: A test story")
    assert batch.body.index("Evidence changed") < batch.body.index("Statement changed")
    assert "under control by [-3-] [+5+] am." in batch.body

    claims.set_status(db, claim_id, "confirmed", editor, "Fire service log", 1, "The fire service log shows it.")
    title, body = sent()
    assert title == "Ruled confirmed: The fire was under control by 3 am (Harbour council)"
    assert "unreviewed → confirmed, ruled by editor" in body and "Public reason: The fire service log" in body

    from tracker import extraction

    extraction.extract_waiting(db, story["id"])
    title, body = sent()
    assert re.match(r"\d+ new claim candidates in Harbour fire \(council\.example\)", title)
    assert f"/coverage/{changed['coverage_id']}" in body or "/triage" in body


def test_a_quote_gone_from_a_statement_names_the_statement_shows_the_change_and_links_it(db, story, accounts, webhook):
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["evidence_changed"])
    destinations.add(db, reporter, "Hook", webhook.url())
    first = council(db, story, OPENING, SAFETY.format("first"), CLOSING)
    claim_id = claims.log_claim(db, story["id"], "The fire was under control by 3 am", "Harbour council",
                                "organization", reporter)  # fmt: skip
    claims.add_evidence(db, claim_id, first["revision_id"], "under control by 3 am", "supports", reporter)
    changed = council(db, story, OPENING.replace("3 am", "5 am"), SAFETY.format("top"), CLOSING)
    assert sender.send_pending(db, Clock())["sent"] == 1
    [post] = webhook.wait_for(1)
    assert (
        post.title == f"Evidence changed under claim {claim_id} (Harbour council): The fire was under control by 3 am"
    )
    assert "No longer in “Harbour fire” (council.example): “under control by 3 am”" in post.body
    assert "under control by [-3-] [+5+] am." in post.body and "[-first-]" not in post.body
    assert f"https://editor.example/coverage/{changed['coverage_id']}?to={changed['revision_id']}" in post.body
    assert f"https://editor.example/claims/{claim_id}" in post.body


def test_a_silent_source_says_for_how_long_in_hours_not_a_timestamp(db, story, accounts, webhook):
    from datetime import UTC, datetime, timedelta

    from tracker.alerts import events
    from tracker.db import transaction

    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["source_silent"])
    destinations.add(db, reporter, "Hook", webhook.url())
    last = (datetime.now(UTC) - timedelta(hours=12, minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    source = {"id": 7, "story_id": story["id"], "url": "https://council.example/feed.xml", "outlet": "Harbour council",
              "last_new_at": last, "usual_gap": 7200}  # fmt: skip
    with transaction(db):
        events.source_silent(db, source)
    assert sender.send_pending(db, Clock())["sent"] == 1
    [post] = webhook.wait_for(1)
    assert post.title == "Source silent for 12 h: Harbour council"
    assert f"Nothing new from https://council.example/feed.xml for 12 h (since {last})" in post.body
    assert "usually something every 2 h" in post.body and "https://editor.example/sources/7" in post.body


def test_a_publish_of_two_stories_names_both_and_says_what_went_public_was_ruled_or_withdrawn(
    db, story, accounts, webhook, monkeypatch
):
    from tracker import stories

    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://tracker.example.org")
    reporter, editor = accounts["reporter"], accounts["editor"]
    other = stories.create_story(db, "harbour-fire", "Harbour warehouse fire", keywords_include="fire")
    public = db_path_of(db).with_name("public.db")

    def claim(story_id: int, text: str, status: str) -> int:
        claim_id = claims.log_claim(db, story_id, text, "Harbour council", "organization", reporter)
        claims.set_status(db, claim_id, status, editor, "Checked", 1, "We checked.")
        claims.set_published(db, claim_id, True, editor, 2)
        return claim_id

    kept, dropped = (
        claim(story["id"], "Acme recalled kettles", "confirmed"),
        claim(story["id"], "Acme sold 5", "unclear"),
    )
    ruled = claim(other["id"], "The fire was under control by 3 am", "confirmed")
    publish_and_log(db, public, editor)
    db.execute("UPDATE alert_events SET routed_at = 'before'")  # the first publish went out long ago
    db.conn.commit()
    everything(db, reporter, kinds=["publish"])
    destinations.add(db, reporter, "Hook", webhook.url())

    claims.set_published(db, dropped, False, editor, 3)
    claims.set_status(db, ruled, "unclear", editor, "Disputed", 3, "The fire service now says 5 am.")
    new = claim(other["id"], "Roads reopened on Tuesday", "confirmed")
    publish_and_log(db, public, editor)
    assert sender.send_pending(db, Clock())["sent"] == 1
    [post] = webhook.wait_for(1)
    assert post.title == (
        "Published 2 stories (A test story, Harbour warehouse fire): "
        "1 claim went public, 1 ruling changed (a correction), 1 claim withdrawn"
    )
    assert "A test story: 1 withdrawn\n• “Acme sold 5” (Harbour council), withdrawn\n" in post.body
    # Readers had seen the fire claim's ruling: the new one is a correction, counted and named as readers see it.
    assert "Harbour warehouse fire: 1 went public, 1 ruled (a correction)" in post.body
    assert "“The fire was under control by 3 am” (Harbour council), confirmed → unclear, a correction" in post.body
    assert f"https://tracker.example.org/public/claims/{ruled}" in post.body
    assert f"https://tracker.example.org/public/claims/{new}" in post.body
    assert f"/public/claims/{dropped}" not in post.body and f"/public/claims/{kept}" not in post.body
    assert "https://tracker.example.org/stories/harbour-fire" in post.body


@pytest.mark.parametrize(
    ("status", "corrections", "said"),
    [
        (2, 0, "2 rulings changed"),
        (2, 1, "2 rulings changed (1 of them a correction)"),
        (3, 2, "3 rulings changed (2 of them corrections)"),
        (2, 2, "2 rulings changed (all corrections)"),
    ],
)
def test_a_publish_subject_counts_the_corrections_among_its_changed_rulings(status, corrections, said):
    story = {"title": "Harbour warehouse fire"}
    subject = messages.published_subject([story], {"status": status, "corrections": corrections})
    assert subject == f"Published Harbour warehouse fire: {said}"


def test_a_chat_channel_gets_the_changed_words_marked_in_markdown_it_renders(db, story, accounts, webhook, monkeypatch):
    """Discord (as Mattermost and Zulip) renders ~~struck~~ and **bold**; a page's own markdown stays words."""
    import json

    from apprise.plugins.discord import NotifyDiscord

    monkeypatch.setattr(NotifyDiscord, "notify_url", f"http://127.0.0.1:{webhook.port}/api/webhooks")
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["coverage_changed"])
    destinations.add(db, reporter, "Desk channel", "discord://112233445566/Abc-Token_9")
    council(db, story, OPENING, SAFETY.format("first"), "Rated 4*5 by __inspectors__ [here](https://x.example).")
    db.execute("UPDATE alert_events SET routed_at = 'before'")
    db.conn.commit()
    council(db, story, OPENING, SAFETY.format("top"), "Rated 3*5 by __inspectors__ [here](https://x.example).")
    assert sender.send_pending(db, Clock())["sent"] == 1
    [post] = webhook.wait_for(1)
    content = json.loads(post.raw)["content"]
    assert "residents is our ~~first~~ **top** priority" in content
    assert r"Rated ~~4\*5~~ **3\*5** by \_\_inspectors\_\_" in content  # the page's marks are escaped
    assert "__inspectors__" not in content and "[here]" not in content


def test_slack_gets_its_own_single_marks(db, story, accounts, webhook, monkeypatch):
    """Slack's mrkdwn strikes ~one~ and bolds *one*: ~~two~~ would show the marks."""
    import json

    from apprise.plugins.slack import NotifySlack

    monkeypatch.setattr(NotifySlack, "webhook_url", f"http://127.0.0.1:{webhook.port}/services")
    webhook.answer = b"ok"
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["coverage_changed"])
    destinations.add(db, reporter, "Desk channel", "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ")
    council(db, story, OPENING, SAFETY.format("first"))
    db.execute("UPDATE alert_events SET routed_at = 'before'")
    db.conn.commit()
    council(db, story, OPENING, SAFETY.format("top & *best*"))
    assert sender.send_pending(db, Clock())["sent"] == 1
    [post] = webhook.wait_for(1)
    [attachment] = json.loads(post.raw)["attachments"]
    text = json.dumps(attachment, ensure_ascii=False)
    # Slack has no escape for its marks: the page's own asterisks are ones that mark nothing.
    assert "residents is our ~first~ *top &amp; \u2217best\u2217* priority" in text
    assert "~~" not in text and "**" not in text


def test_each_markup_marks_the_same_change_and_escapes_the_rest():
    """One change, as each kind of destination reads it: plain text, markdown, Slack, HTML (Matrix)."""
    from tracker.alerts import messages

    runs = [["same", "Acme <b>said</b> *not* "], ["del", "first"], ["ins", "top"], ["same", " & more"]]
    event = {"id": 1, "kind": "coverage_changed", "subject": "Changed <i>", "story_title": None,
             "payload": {"changes": [runs], "changes_count": 1, "path": "/coverage/1?to=2"}}  # fmt: skip
    bodies = {
        markup: messages.render([event], internal=False, editor_url="https://e.example", markup=markup).body
        for markup in messages.MARKUPS
    }
    assert "Acme <b>said</b> *not* [-first-] [+top+] & more" in bodies["text"]
    assert r"Acme \<b\>said\</b\> \*not\* ~~first~~ **top** & more" in bodies["markdown"]
    assert "Acme \\<b\\>said\\</b\\> \u2217not\u2217 ~first~ **top** & more" in bodies["slack"]  # ** becomes *: Apprise
    assert "Acme &lt;b&gt;said&lt;/b&gt; *not* <del>first</del> <ins>top</ins> &amp; more" in bodies["html"]
    assert "https://e.example/coverage/1?to=2" in bodies["markdown"]  # a link is left as it is
    # A page cannot write a mark of its own: the characters that stand for them are dropped from what it says.
    sly = {**event, "payload": {**event["payload"], "changes": [[["same", "\ue000fake\ue001 "], ["ins", "x"]]]}}
    assert "[-fake-]" not in messages.render([sly], internal=False, editor_url="", markup="text").body


def test_an_email_s_plain_part_is_the_plain_text_and_its_html_part_the_same_words_marked_up():
    """An email is written once (markup "email") and sent as two parts that say the same: the plain text every
    other plain destination gets, and an HTML page of it, escaped, with its links as links."""
    from tracker.alerts import messages

    runs = [["same", "Acme <b>said</b> *not* "], ["del", "first"], ["ins", "top, see https://x.example/a?b=1&c=2."]]
    event = {"id": 1, "kind": "coverage_changed", "subject": 'Changed <i> "x"', "story_title": None,
             "payload": {"changes": [runs], "changes_count": 1, "path": "/coverage/1?to=2"}}  # fmt: skip
    text = messages.render([event], internal=False, editor_url="https://e.example", markup="text")
    mail = messages.render([event], internal=False, editor_url="https://e.example", markup="email")
    plain, page = messages.email_parts(mail.title, mail.body)
    assert (mail.title, plain) == (text.title, text.body)
    assert "Acme &lt;b&gt;said&lt;/b&gt; *not* <del>first</del> <ins>top, see " in page
    assert '<a href="https://x.example/a?b=1&amp;c=2">https://x.example/a?b=1&amp;c=2</a>.</ins>' in page
    assert '<a href="https://e.example/coverage/1?to=2">' in page and "<br>" in page
    assert '<title>Changed &lt;i&gt; "x"</title>' in page


def test_an_email_s_html_part_of_the_longest_message_of_quotes_and_ampersands_is_sent_whole():
    """Apprise cuts an email's body at 32,768 characters, and a cut HTML page loses its end (and with it the link
    to act on) or splits an entity. The longest message (MAX_BODY) of the characters HTML escapes longest fits."""
    from apprise.plugins.email.base import NotifyEmail

    from tracker.alerts import messages

    for hostile in ('"' * messages.MAX_BODY, "&" * messages.MAX_BODY, "<\n" * (messages.MAX_BODY // 2)):
        mail = messages.Message(title="t", body=hostile, markup="email")
        _, page = messages.email_parts(mail.title, mail.body)
        assert len(page) <= NotifyEmail.body_maxlen, len(page)


def test_a_publish_reaches_a_story_s_followers_with_that_story_s_lines_alone(db, story, accounts, webhook, monkeypatch):
    """Whoever follows one story hears of a publish only when it changed that story, and only of that story;
    whoever follows every story hears of all of it, in one message."""
    from tests.conftest import PASSWORD
    from tracker import stories, users
    from tracker.alerts import subscriptions

    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://tracker.example.org")
    reporter, editor = accounts["reporter"], accounts["editor"]
    fire = stories.create_story(db, "harbour-fire", "Harbour warehouse fire", keywords_include="fire")
    quiet = stories.create_story(db, "quiet-story", "A quiet story", keywords_include="quiet")
    people = {name: users.add_user(db, f"person-{name}", PASSWORD, "reporter") for name in ("acme", "all", "quiet")}
    subscriptions.save(db, people["acme"], {"story_id": story["id"], "kinds": ["publish"]})
    subscriptions.save(db, people["all"], {"kinds": ["publish"]})
    subscriptions.save(db, people["quiet"], {"story_id": quiet["id"], "kinds": ["publish"]})
    for name, person in people.items():
        destinations.add(db, person, "Hook", webhook.url(f"/{name}"))

    def claim(story_id: int, text: str) -> int:
        claim_id = claims.log_claim(db, story_id, text, "Harbour council", "organization", reporter)
        claims.set_status(db, claim_id, "confirmed", editor, "Checked", 1, "We checked.")
        claims.set_published(db, claim_id, True, editor, 2)
        return claim_id

    acme, fire_claim = claim(story["id"], "Acme recalled kettles"), claim(fire["id"], "The fire was out by 3 am")
    publish_and_log(db, db_path_of(db).with_name("public.db"), editor)
    assert sender.send_pending(db, Clock()) == {"sent": 2, "failed": 0}  # the quiet story's follower: nothing
    posts = {post.path: post for post in webhook.wait_for(2)}
    assert set(posts) == {"/acme", "/all"}
    mine = posts["/acme"]
    assert mine.title == "Published A test story: 1 claim went public"
    assert f"/public/claims/{acme}" in mine.body and "Acme recalled kettles" in mine.body
    assert "fire" not in mine.body.lower() and f"/public/claims/{fire_claim}" not in mine.body
    assert mine.body.startswith("A test story (its first publish): 1 went public\n")  # as a publish always read
    everyone = posts["/all"]
    assert everyone.title.startswith("Published 2 stories (") and everyone.title.endswith("): 2 claims went public")
    assert "A test story" in everyone.title and "Harbour warehouse fire" in everyone.title
    assert "A test story (its first publish): 1 went public" in everyone.body
    assert "Harbour warehouse fire (its first publish): 1 went public" in everyone.body
    assert f"/public/claims/{acme}" in everyone.body and f"/public/claims/{fire_claim}" in everyone.body


def test_every_message_ends_with_where_to_change_or_stop_these_alerts(db, story, accounts, smtp, webhook):
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new", "coverage_changed"])
    destinations.add(db, reporter, "Desk email", smtp.url())
    destinations.add(db, reporter, "Desk webhook", webhook.url())
    settings = "Change or stop these alerts: https://editor.example/account/alerts"
    council(db, story, OPENING, SAFETY.format("first"), CLOSING)
    clock = Clock()
    assert sender.send_pending(db, clock) == {"sent": 2, "failed": 0}
    [single], [mail] = webhook.wait_for(1), smtp.wait_for(1)
    # A batch of many changes ends the same way.
    for i in range(12):
        council(db, story, OPENING, SAFETY.format(f"number {i} " + "very " * 300), CLOSING)
    clock.advance(60)
    assert sender.send_pending(db, clock) == {"sent": 2, "failed": 0}
    batch = webhook.wait_for(2)[1]
    for message in (single, mail, batch):
        assert message.body.rstrip().endswith(settings), message.body[-300:]
    [page] = [
        part.get_content()
        for part in email.message_from_bytes(mail.raw, policy=email.policy.default).walk()
        if part.get_content_type() == "text/html"
    ]
    assert '<a href="https://editor.example/account/alerts">' in page


def test_a_batch_s_subject_leads_with_its_most_important_change_then_counts_the_rest():
    """What a phone's notification and a mailbox's list show of a subject is its first few words: the change."""
    ruling = "Ruled denied: SteamPro 2 kettles caused three kitchen fires, as the council first said " + "x" * 150
    events = [
        {"kind": "candidates_new", "subject": "6 new claim candidates in Recall", "story_title": "Kettles"},
        {"kind": "ruling", "subject": ruling + " (Lowland Consumer Safety Council)", "story_title": "Kettles"},
        {"kind": "statement_new", "subject": "New statement from Tessaline: Recall", "story_title": "Harbour fire"},
        {"kind": "publish", "subject": "Published 2 stories", "story_title": None},
    ]
    title = messages.render(events, internal=False, editor_url="https://editor.example").title
    assert title.startswith("Ruled denied: SteamPro 2 kettles caused three kitchen fires")
    assert title.endswith("… · and 3 more alerts: Kettles, Harbour fire and 1 more")  # the lead cut, not the count
    assert len(title) <= 200


def test_a_batch_names_the_story_of_what_it_lists():
    """A batch's body listed its alerts without their story, which only its subject named ("and 2 more alerts:
    Kettles, Harbour fire"): a reporter following two stories could not tell which story a ruling was on.
    One story is named once, above the list, as a single alert names it; several are named item by item."""
    kettles = [
        {"kind": "ruling", "subject": "Ruled denied: Kettles caught fire (Council)", "story_title": "Kettles"},
        {"kind": "statement_new", "subject": "New statement from Tessaline: Recall", "story_title": "Kettles"},
    ]
    one = messages.render(kettles, internal=False, editor_url="https://editor.example").body
    assert one.startswith("Story: Kettles\n\n• Ruled denied: Kettles caught fire (Council)\n"), one
    assert one.count("Kettles\n") == 1, one
    fire = {"kind": "statement_new", "subject": "New statement from the council: Fire", "story_title": "Harbour fire"}
    site = {"kind": "publish", "subject": "Published 2 stories", "story_title": None}
    two = messages.render([*kettles, fire, site], internal=False, editor_url="https://editor.example").body
    items = two.split("• ")[1:]
    assert [line for line in items[0].splitlines() if line.strip().startswith("Story:")] == ["  Story: Kettles"]
    assert "  Story: Harbour fire" in next(item for item in items if item.startswith("New statement from the council"))
    assert "Story:" not in next(item for item in items if item.startswith("Published 2 stories")), two
    assert not two.startswith("Story:"), two


def test_a_new_ruling_of_a_claim_readers_saw_ruled_is_titled_correction_only_when_it_reverses_it(
    db, story, accounts, webhook
):
    """Every ruling after readers were shown one was titled "Correction, now ...", which reads as "we were wrong":
    an unclear claim confirmed is news, not a correction. The title says what changed; "Correction" is kept for a
    status turned round (confirmed to denied, denied to confirmed)."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    public = db_path_of(db).with_name("public.db")
    claim_id = claims.log_claim(db, story["id"], "The fire was under control by 3 am", "Harbour council",
                                "organization", reporter)  # fmt: skip
    claims.set_status(db, claim_id, "unclear", editor, "Two accounts", 1, "Accounts differ.")
    claims.set_published(db, claim_id, True, editor, 2)
    publish_and_log(db, public, editor)  # readers are shown "unclear"
    db.execute("UPDATE alert_events SET routed_at = 'before'")  # the first ruling went out long ago
    db.conn.commit()
    everything(db, reporter, kinds=["ruling", "correction"])
    destinations.add(db, reporter, "Hook", webhook.url())
    clock = Clock()
    titles = []
    for n, (status, reason) in enumerate(
        [("confirmed", "The fire service log shows it."), ("denied", "The log was wrong."), ("unclear", "Unsure.")]
    ):
        claims.set_status(db, claim_id, status, editor, reason, 3 + n, reason)
        clock.advance(60)
        assert sender.send_pending(db, clock)["sent"] == 1
        titles.append(webhook.wait_for(n + 1)[-1].title)
    assert titles == [
        "Now confirmed (was unclear): The fire was under control by 3 am (Harbour council)",
        "Correction, now denied (was confirmed): The fire was under control by 3 am (Harbour council)",
        "Now unclear (was denied): The fire was under control by 3 am (Harbour council)",
    ]
    kinds = [k for (k,) in db.execute("SELECT kind FROM alert_events WHERE kind IN ('ruling', 'correction')")]
    assert kinds == ["ruling"] + ["correction"] * 3  # what a subscription to corrections of rulings readers saw takes
