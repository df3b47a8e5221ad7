"""The words of an alert: short, the quote or the diff, a link to the editor page; private only where allowed.

One event makes a message with its details; several (a digest, or a burst
sent together) make one message listing the first MAX_LISTED with a line
each and a link to the rest, never a message per event. Plain text, but for
the changed words, marked in the destination's own markup (MARKUPS): plain
marks in a webhook's JSON, markdown where a chat service renders it
(everything else escaped there), HTML for Matrix, and both plain marks and
HTML in an email (email_parts).

Privacy: a payload's "internal" part (an internal rationale, internal
notes) is written only for a destination an admin marked internal. Nothing
else in a payload is confidential: events never carry a source's identity.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from scrapers.article import BIDI_CONTROLS, without_controls
from scrapers.urls import KEY_IN_PATH, KEY_PARAMS, link_key
from tracker.vocab import CORRECTION_LABEL

DIFF_SHOWN = 1200  # characters of changed lines shown of an event stored before changes were kept as words
LINE = 240  # characters of one item's detail line in a list
# A changed paragraph in a list's line: unchanged words either side, characters of a removed or added run.
SHORT_CONTEXT, SHORT_CHANGED = 5, 60
# How a change reads, in each kind of destination (destinations.markup says which a destination is): removed and
# added words marked as it shows them. The one place a word diff becomes markup.
MARKUPS = {
    # An email, a webhook's JSON, ntfy, Signal, ...: marks that read as they are in plain text.
    "text": ("[-", "-]", "[+", "+]"),
    # CommonMark with strikethrough, which the service renders (Discord, Mattermost, Zulip).
    "markdown": ("~~", "~~", "**", "**"),
    # Slack's mrkdwn strikes ~one~ (~~two~~ shows the marks); Apprise turns CommonMark's **bold** into its *bold*.
    "slack": ("~", "~", "**", "**"),
    # Matrix's HTML body.
    "html": ("<del>", "</del>", "<ins>", "</ins>"),
}
# What each markup is to Apprise (its body_format): it converts from there to the service's own. An email's body is
# kept with its marks still to write (EMAIL) and sent as HTML with a plain part of our own (email_parts).
EMAIL = "email"
BODY_FORMAT = {"text": "text", "markdown": "markdown", "slack": "markdown", "html": "html", EMAIL: "html"}
# While a message is written its marks are these private-use characters; a page's own are dropped before
# (_unmarked), so only `marked` places them, and Message turns them into the destination's once the words around
# them are escaped for it.
DEL, END_DEL, INS, END_INS = "\ue000", "\ue001", "\ue002", "\ue003"
MARKS = re.compile("[\ue000-\ue003]")
MARK_CHARACTERS = (DEL, END_DEL, INS, END_INS)
LEGEND = f"{DEL}…{END_DEL}: removed, {INS}…{END_INS}: added"
# What CommonMark reads as markup in scraped words: escaped with a backslash, except inside a link, which the
# service links as it is.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]<>#|])")
# Slack's mrkdwn has no escape for its marks (a backslash shows as typed): a page's own * _ ~ ` are written as
# characters that look the same and mark nothing; < > [ ] # are escaped for Apprise, which writes &lt; &gt; [ ] #
# (a line starting "# " is no heading made bold).
SLACK_SPECIAL = re.compile(r"([\[\]<>#])")
SLACK_LOOKALIKES = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
LINK = re.compile(r"https?://[^\s\ue000-\ue003]+")  # a link ends where a change's mark begins or ends
# What an email's HTML part puts after a link and the rest of a sentence does not belong in it.
LINK_TRAIL = ".,;:!?)]}\"'”’»…"
# An email's HTML part: the message's lines escaped, changes in <del> and <ins>, links as links. No colour of its own
# but the marks' tints, which read on a light or a dark background alike; nothing fetched from elsewhere.
EMAIL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark"><title>{title}</title>
<style>del {{ background: rgba(220, 38, 38, 0.2); text-decoration: line-through; }}
ins {{ background: rgba(22, 163, 74, 0.2); text-decoration: underline; }}</style></head>
<body><div style="font-family: sans-serif; line-height: 1.45; overflow-wrap: anywhere;">
{body}
</div></body></html>
"""
MAX_LISTED = 10
# A link's parameter names, and the hosts whose sharing links carry their key in the path (scrapers.urls.link_key):
# an event's payload naming neither is not looked through link by link.
PARAMETER = re.compile(r"[?&]([^=&#\s\"]+)")
KEY_HOSTS = tuple(host for host, _, _ in KEY_IN_PATH)
# The order a list of alerts is read in: what changes the story's record first, housekeeping last.
FIRST = (
    "correction",
    "evidence_changed",
    "ruling",
    "coverage_changed",
    "statement_new",
    "claim_logged",
    "publish",
    "question_stale",
    "candidates_new",
    "source_failing",
    "source_silent",
)
MAX_BODY = 6000
# Every message ends with where its reader changes or stops what reaches them (Account → Alert settings): an email
# or a channel post is read far from the editor, and a flood of alerts with no way out is read as spam.
SETTINGS = "Change or stop these alerts: {editor_url}/account/alerts"
# What a chat service reads as a ping in a message's text: @everyone, @here (Discord, Mattermost, Rocket.Chat),
# @channel, @all, @room (Mattermost, Matrix), <@id>, <@&role> (Discord), <!here> (Slack). A zero-width space
# after the @ or the < leaves the words to read and pings nobody. Links are defused the same way: markdown's
# [words](address) and ![image](address) (Discord, Mattermost, Zulip render them; a remote image loads for
# everyone who reads the channel) and Slack's <address|words> show their words and address as plain text.
PINGS_AND_LINKS = re.compile(
    r"(?<=@)(?=(?:everyone|here|channel|all|room)\b)|(?<=<)(?=[@!#]|[a-z][\w+.-]*:)|(?<=\])(?=\()", re.I
)


@dataclass
class Message:
    """A message's subject (one line) and text, with no control character, no mention in them that would ping a
    chat channel, and no link whose words hide its address.

    Their words come from scraped pages and typed text: a statement titled
    "@everyone ..." would otherwise page everyone in the newsroom's channel,
    and "[Reuters](https://elsewhere.example)" would read as a link to Reuters.
    """

    title: str
    body: str
    markup: str = "text"  # how the body's changed words are marked and the rest escaped (MARKUPS)

    def __post_init__(self) -> None:
        # The title is one line: an email's Subject is a header, and a webhook's receiver may put it in one, where
        # a line break from an outlet typed with a paste or a file's title would start a header of its own. Neither
        # carries a control character (an escape code retitles the terminal the message is read on), nor a bidi
        # override or isolate (BIDI_CONTROLS): each of the body's lines is a title, an outlet or a quote too.
        title = " ".join(BIDI_CONTROLS.sub("", without_controls(self.title)).split())
        body = BIDI_CONTROLS.sub("", without_controls(self.body))
        body = body.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
        title, body = (PINGS_AND_LINKS.sub("\u200b", text) for text in (title, body))
        self.title, self.body = MARKS.sub("", title), dressed(body, self.markup)


def dressed(text: str, markup: str) -> str:
    """A message's text in a destination's markup: its change marks written as that markup writes them, and every
    other character that markup would read escaped."""
    if markup in ("markdown", "slack"):
        at, out = 0, []
        for link in LINK.finditer(text):
            out += [_escaped(text[at : link.start()], markup), link.group()]
            at = link.end()
        text = "".join(out) + _escaped(text[at:], markup)
    elif markup == "html":
        text = html.escape(text, quote=False).replace("\n", "<br/>\n")
    elif markup == EMAIL:
        return text  # written twice when sent (email_parts)
    return _with_marks(text, markup)


def _with_marks(text: str, markup: str) -> str:
    """Text whose change marks (MARK_CHARACTERS) are written as the markup writes them, the rest already escaped."""
    for placeholder, mark in zip(MARK_CHARACTERS, MARKUPS.get(markup, MARKUPS["text"]), strict=True):
        text = text.replace(placeholder, mark)
    return text


def email_parts(title: str, body: str) -> tuple[str, str]:
    """An email's plain part (marked [-removed-] [+added+]) and its HTML page (<del>, <ins>, links to click), of
    a message written for email: every character of the message's own that HTML reads is escaped."""
    out, at = [], 0
    for link in LINK.finditer(body):
        address = link.group().rstrip(LINK_TRAIL)
        shown = html.escape(address, quote=False)
        out += [html.escape(body[at : link.start()], quote=False), f'<a href="{html.escape(address)}">{shown}</a>']
        at = link.start() + len(address)
    # Quotes are escaped in an attribute only: in text they are inert, and "&quot;" would take a message of
    # quotes past the 32,768 characters Apprise cuts an email's body at.
    page = _with_marks(("".join(out) + html.escape(body[at:], quote=False)).replace("\n", "<br>\n"), "html")
    return dressed(body, "text"), EMAIL_PAGE.format(title=html.escape(title, quote=False), body=page)


def _escaped(words: str, markup: str) -> str:
    """Words that mark nothing in markdown (backslash escapes) or in Slack (characters that look the same)."""
    if markup == "slack":
        return SLACK_SPECIAL.sub(r"\\\1", words.translate(SLACK_LOOKALIKES))
    return MARKDOWN_SPECIAL.sub(r"\\\1", words)


def render(
    events: list[dict],
    *,
    internal: bool,
    editor_url: str,
    public_url: str = "",
    count: int | None = None,
    stories: list[str | None] | None = None,
    markup: str = "text",
) -> Message:
    """The message for these events (oldest first), for a destination that is or is not internal.

    A message details only its first MAX_LISTED events, so a caller with
    more may pass those alone, with `count` (how many in all) and `stories`
    (the story titles of all of them, in order of first appearance).
    `public_url`: the public site's address, for the links of a publish.
    `markup`: how the destination shows changed words (MARKUPS).
    """
    count = len(events) if count is None else count
    joined = _one_publish_each([_unmarked(event) for event in events])
    count -= len(events) - len(joined)
    events = joined
    if count == 1:
        return _single(events[0], internal=internal, editor_url=editor_url, public_url=public_url, markup=markup)
    if stories is None:
        stories = [e.get("story_title") for e in events]
    # An event of no one story is a publish of the public site.
    stories = list(dict.fromkeys(title or "the public site" for title in stories))
    # The most important first (a ruling before a new candidate), in the order they happened within a kind; the
    # subject names the stories and leads with the first, which is what a phone shows of it.
    listed = sorted(events[:MAX_LISTED], key=lambda e: FIRST.index(e["kind"]) if e["kind"] in FIRST else len(FIRST))
    named = ", ".join(stories[:2]) + (f" and {len(stories) - 2} more" if len(stories) > 2 else "")
    rest = _cut(f" · and {count - 1} more alert{'s' if count > 2 else ''}: {named}", 90)
    # A phone's notification and a mailbox's list show a subject's first few words: those are the change, and the
    # lead is cut rather than the count and stories after it.
    title = _cut(listed[0]["subject"], 200 - len(rest)) + rest if listed else f"{count} alerts: {named}"
    # Which story each alert is on: one story is named once above the list, as a single alert names it; several
    # item by item (a publish names its own stories in its lines).
    own = list(dict.fromkeys(e.get("story_title") for e in listed if e["kind"] != "publish"))
    lines = [f"Story: {own[0]}", ""] if len(own) == 1 and own[0] and len(stories) == 1 else []
    for event in listed:
        payload = _payload(event)
        lines.append(f"• {event['subject']}")
        if not lines[0].startswith("Story:") and event.get("story_title") and event["kind"] != "publish":
            lines.append(f"  Story: {event['story_title']}")
        # Internal lines are kept whole (they are why the destination is internal); the rest is cut.
        public = _details(event, payload, internal=False, short=True, public_url=public_url, editor_url=editor_url)
        detail = _cut(" · ".join(" ".join(line.split()) for line in public.splitlines() if line.strip()), LINE)
        private = (
            _details(event, payload, internal=True, short=True, public_url=public_url, editor_url=editor_url)[
                len(public) :
            ]
            if internal
            else ""
        )
        if detail:
            lines.append(f"  {detail}")
        if private.strip():
            lines.append("  " + " ".join(private.split()))
        lines.append(f"  {editor_url}{payload.get('path', '/')}")
    if count > MAX_LISTED:
        lines.append(f"…and {count - MAX_LISTED} more: {editor_url}/alerts")
    return Message(title=title, body=_ending("\n".join(lines), editor_url), markup=markup)


def _unmarked(event: dict) -> dict:
    """An event without the characters that stand for change marks in its words (a page may hold them), and
    without a link that carries a key (keyless): its words are read wherever a message is forwarded."""
    payload = event.get("payload")
    # Looked for as json.dumps writes them, or as they are: a substring test, not a scan of a pattern.
    if (
        isinstance(payload, str)
        and not any(mark in payload for mark in ("\\ue00", "\\uE00", *MARK_CHARACTERS))
        and not _may_carry_key(payload)
    ):
        clean = payload  # the usual case: nothing to look through
    else:
        clean = _without_marks(_payload(event))
    title = _without_marks(event.get("story_title"))
    return {**event, "subject": _without_marks(event["subject"]), "story_title": title, "payload": clean}


def _without_marks(value):
    if isinstance(value, str):
        return keyless(MARKS.sub("", value))
    if isinstance(value, list):
        return [_without_marks(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_marks(v) for k, v in value.items()}
    return value


def _may_carry_key(text: str) -> bool:
    """Whether a link in this text may carry a key: a parameter link_key names (or a name percent-encoded) or a
    sharing host. Substring tests and one scan for ? and &: most payloads hold one link, to a plain page."""
    lowered = text.lower()
    if any(host in lowered for host in KEY_HOSTS):
        return True
    return any(name in KEY_PARAMS or "%" in name for name in PARAMETER.findall(lowered))


def keyless(text: str) -> str:
    """Text with each link that carries a key (scrapers.urls.link_key: a signed storage URL, a token, a Drive or
    Dropbox sharing link) written as what kind of key it was.

    A message goes to a mailbox or a channel and on to whoever it is
    forwarded to, and such a link opens the private file for anyone holding
    it. The message's own link is to the editor's page of the item or
    source, which has the address and asks for a login.
    """
    if "://" not in text:
        return text

    def shown(link: re.Match) -> str:
        reason = link_key(link.group())
        return f"[a link that carries a key ({reason}): open it from the editor]" if reason else link.group()

    return LINK.sub(shown, text)


def _single(event: dict, *, internal: bool, editor_url: str, public_url: str, markup: str = "text") -> Message:
    payload = _payload(event)
    story = event.get("story_title")
    # A publish names its stories in its details, each with its claims.
    parts = [f"Story: {story}"] if story and event["kind"] != "publish" else []
    details = _details(event, payload, internal=internal, short=False, public_url=public_url, editor_url=editor_url)
    if details:
        parts.append(details)
    parts.append(f"Open: {editor_url}{payload.get('path', '/')}")
    return Message(title=_cut(event["subject"], 200), body=_ending("\n\n".join(parts), editor_url), markup=markup)


def _ending(body: str, editor_url: str) -> str:
    """The message's text, cut to MAX_BODY with the way to change or stop these alerts kept at its end."""
    way_out = "\n\n" + SETTINGS.format(editor_url=editor_url)
    return _cut(body, MAX_BODY - len(way_out)) + way_out


def _details(event: dict, p: dict, *, internal: bool, short: bool, public_url: str = "", editor_url: str = "") -> str:
    kind = event["kind"]
    lines: list[str] = []
    if kind == "statement_new":
        lines.append(f"“{p.get('quote', '')}”")
    elif kind == "coverage_changed" and p.get("moved"):  # moved for good: followed at its new address
        moved = p["moved"]
        lines.append(
            f"Moved to {moved.get('to')} (HTTP {moved.get('status')} at {moved.get('from')}); followed there as the "
            "same page, its revisions kept."
        )
    elif kind == "coverage_changed" and p.get("gone"):  # taken down: what the site answered instead
        lines.append(p["gone"])
        lines.append(_gone_since(p))
    elif kind == "coverage_changed" and "changes" in p:
        paragraphs, count = p["changes"], p.get("changes_count", 0)
        if short:
            shown = marked(in_context(paragraphs[0], SHORT_CONTEXT), SHORT_CHANGED) if paragraphs else ""
            more = f" (and {count - 1} more changed paragraph{'s' if count > 2 else ''})" if count > 1 else ""
            lines.append((shown or "(whitespace and layout only)") + more)
        else:
            shown = "\n\n".join(marked(runs) for runs in paragraphs)
            lines.append(f"What changed ({LEGEND}):\n" + (shown or "(whitespace and layout only)"))
            if count > len(paragraphs):
                left = count - len(paragraphs)
                lines.append(
                    f"…and {left:,} more changed paragraph{'s' if left > 1 else ''}: the whole diff is at the link."
                )
    elif kind == "coverage_changed":  # an event stored before changes were kept as words: its changed lines
        diff = p.get("diff") or ""
        if short:
            lines.append(" / ".join(diff.splitlines()[:3]))
        else:
            cut = len(diff) > DIFF_SHOWN or p.get("diff_truncated")
            shown = diff[:DIFF_SHOWN].rsplit("\n", 1)[0] if len(diff) > DIFF_SHOWN else diff
            lines.append("What changed (- removed, + added):\n" + (shown or "(whitespace and layout only)"))
            if cut:
                lines.append("[diff truncated: the full diff is at the link below]")
    elif kind == "evidence_changed":
        if not short:  # a list's line has the claim in its subject already
            lines.append(f"Claim: {p.get('claim_text', '')}")
        where = f"“{p['title']}”" + (f" ({p['outlet']})" if p.get("outlet") else "") if p.get("title") else "the text"
        lines.append(f"No longer in {where}: “{p.get('quote', '')}”")
        for runs in p.get("changes") or ():  # kept with their context already; a list's line has less
            lines.append(f"Now: {marked(in_context(runs, SHORT_CONTEXT), SHORT_CHANGED) if short else marked(runs)}")
        if p.get("diff_path") and not short:
            lines.append(f"The change: {editor_url}{p['diff_path']}")
    elif kind in ("ruling", "correction"):
        if not short:
            lines.append(f"Claim: {p.get('claim_text', '')}")
        lines.append(
            f"{p.get('from_status')} → {p.get('to_status')}" + (f", ruled by {p['by']}" if p.get("by") else "")
        )
        if p.get("public_rationale"):
            lines.append(f"Public reason: {p['public_rationale']}")
        private = p.get("internal") or {}
        if internal and private.get("rationale"):
            lines.append(f"Internal rationale: {private['rationale']}")
        if internal and private.get("notes"):
            lines.append(f"Internal notes: {private['notes']}")
    elif kind == "claim_logged":
        if not short:
            lines.append(f"Claim: {p.get('claim_text', '')}")
        lines.append("Not yet reviewed" + (f", logged by {p['by']}" if p.get("by") else ""))
    elif kind == "candidates_new":
        for c in p.get("candidates", [])[: 1 if short else 3]:
            who = f" ({c['claimant']})" if c.get("claimant") else ""
            lines.append(f"“{c.get('text', '')}”{who}")
        more = p.get("count", 0) - (1 if short else 3)
        if more > 0 and not short:
            lines.append(f"and {more} more waiting for triage")
    elif kind == "source_failing":
        lines.append(f"{p.get('url', '')}: {p.get('reason', '')}")
        if p.get("gone_since"):
            lines.append(f"Gone since {p['gone_since']}.")
    elif kind == "source_silent":
        silent = (
            f"for {p['silent_hours']} h (since {p.get('last_new_at')})"
            if p.get("silent_hours") is not None
            else (f"since {p.get('last_new_at')}")
        )
        lines.append(
            f"Nothing new from {p.get('url', '')} {silent}; usually something every {p.get('usual_gap_hours')} h."
        )
    elif kind == "publish":
        lines += _published(p, short=short, public_url=public_url)
    elif kind == "question_stale":
        lines.append(f"Question: {p.get('question', '')}")
        lines.append(f"Why: {p.get('reason', '')}")
    return "\n".join(line for line in lines if line)


def _gone_since(p: dict) -> str:
    """Since when a page taken down is gone, and the revision kept of it (an event stored before said neither)."""
    since = f"Gone from {p['url']} since {p['gone_since']}." if p.get("gone_since") and p.get("url") else ""
    count = p.get("revisions")
    kept = f" Its last revision ({count} of {count}, fetched {p['last_revision_at']}) is kept." if count else ""
    return (since + kept).strip()


def _published(p: dict, *, short: bool, public_url: str) -> list[str]:
    """A publish: each story with what went public or was ruled, linked on the public site, and who published."""
    stories = p.get("stories") or []
    if short:  # the subject names the stories and counts: who, and where readers see it
        where = f" Readers see it at {public_url}{stories[0]['path']}" if len(stories) == 1 else ""
        return [f"By {p.get('by', '')}.{where}"]
    lines = []
    for story in stories:
        counted = [
            f"{story[key]} {label}" + (_of_them_corrections(story.get("corrections"), story[key]) * (key == "ruled"))
            for key, label in (("public", "went public"), ("ruled", "ruled"), ("withdrawn", "withdrawn"),
                               ("reworded", "reworded"), ("other", "other changes"))
            if story.get(key)
        ]  # fmt: skip
        name = story["title"] + (" (its first publish)" if story.get("new") else "")
        block = [f"{name}: {', '.join(counted)}" if counted else name]
        for claim in story.get("claims", []):
            who = f" ({claim['claimant']})" if claim.get("claimant") else ""
            if claim["change"] == "public":
                what = f"{claim.get('status')}, now public"
            elif claim["change"] == "ruled":
                what = f"{claim.get('from_status')} → {claim.get('status')}"
                if claim.get("correction"):
                    what += f", a {CORRECTION_LABEL.lower()}"
            else:
                what = "withdrawn"
            block.append(f"• “{claim['text']}”{who}, {what}")
            if claim.get("path"):
                block.append(f"  {public_url}{claim['path']}")
        shown = len(story.get("claims", []))
        listed = story.get("public", 0) + story.get("ruled", 0) + story.get("withdrawn", 0)
        if listed > shown:
            block.append(f"…and {listed - shown} more claims")
        block.append(f"Story page: {public_url}{story['path']}")
        lines.append("\n".join(block))
    if p.get("stories_count", 0) > len(stories):
        lines.append(f"…and {p['stories_count'] - len(stories)} more stories")
    lines.append(f"By {p.get('by', '')}.")
    return ["\n\n".join(lines)]


def published_subject(stories: list[dict], counts: dict) -> str:
    """A publish's subject: its story (or how many and the first two) and what it did, the largest news first."""
    summary = _published_summary(counts, sum(s.get("other", 0) for s in stories))
    if len(stories) == 1:
        return f"Published {stories[0]['title']}: {summary}"
    if stories:
        names = ", ".join(s["title"] for s in stories[:2]) + (
            f" and {len(stories) - 2} more" if len(stories) > 2 else ""
        )
        return f"Published {len(stories)} stories ({names}): {summary}"
    return f"Published: {summary}"


def story_counts(story: dict) -> dict:
    """One story's share of a publish, as the publish's own figures name them (publish_review.counts)."""
    return {"added": story.get("public", 0), "status": story.get("ruled", 0), "removed": story.get("withdrawn", 0),
            "text": story.get("reworded", 0), "corrections": story.get("corrections", 0)}  # fmt: skip


def _published_summary(counts: dict, other: int) -> str:
    """ "2 claims went public, 1 ruling changed": what a publish did, the largest news first."""
    parts = []
    for key, one, many in (
        ("added", "1 claim went public", "{} claims went public"),
        ("status", "1 ruling changed", "{} rulings changed"),
        ("removed", "1 claim withdrawn", "{} claims withdrawn"),
        ("text", "1 claim reworded", "{} claims reworded"),
    ):
        n = counts.get(key) or 0
        if n:
            said = one if n == 1 else many.format(n)
            parts.append(said + (_of_them_corrections(counts.get("corrections"), n) if key == "status" else ""))
    if other:
        parts.append("1 other change" if other == 1 else f"{other} other changes")
    return ", ".join(parts) or "nothing changed for readers"


def _of_them_corrections(corrections: int | None, rulings: int) -> str:
    """ " (1 of them a correction)": how many of a publish's changed rulings readers see labelled as corrected."""
    word = CORRECTION_LABEL.lower()
    if not corrections:
        return ""
    if corrections >= rulings:
        return f" (a {word})" if rulings == 1 else f" (all {word}s)"
    return f" (1 of them a {word})" if corrections == 1 else f" ({corrections} of them {word}s)"


def _one_publish_each(events: list[dict]) -> list[dict]:
    """The events of one publish (one per story it changed) joined into one, as the publish they announce.

    A person following every story gets them all and reads one publish; one
    following a single story gets that story's event alone. When every story
    of the publish is there, its subject counts from the publish's own figures.
    """
    joined: dict[int, dict] = {}
    out = []
    for event in events:
        payload = _payload(event) if event["kind"] == "publish" else {}
        key = payload.get("publish")
        if key is None:
            out.append(event)
            continue
        if key not in joined:
            joined[key] = {**event, "payload": {**payload, "stories": list(payload.get("stories") or [])}}
            out.append(joined[key])
            continue
        first = joined[key]
        first["payload"]["stories"] += payload.get("stories") or []
        stories = first["payload"]["stories"]
        whole = len(stories) >= payload.get("stories_total", 0) and payload.get("all_counts") is not None
        counts = payload["all_counts"] if whole else {}
        if not whole:
            for story in stories:
                for k, n in story_counts(story).items():
                    counts[k] = counts.get(k, 0) + n
        first["payload"]["stories_count"] = len(stories)
        first.update(story_id=None, story_title=None, subject=published_subject(stories, counts))
    return out


def in_context(runs: list[list[str]], words: int) -> list[list[str]]:
    """Changed-word runs ([op, text], op "same", "del" or "ins") with each unchanged run cut to `words` words
    either side of a change, an ellipsis where words were left out."""
    out = []
    for k, (op, text) in enumerate(runs):
        split = text.split()
        if op != "same" or len(split) <= words:
            out.append([op, text])
            continue
        lead, trail = (" " if text[:1].isspace() else ""), (" " if text[-1:].isspace() else "")
        if k == 0:
            text = "…" + " ".join(split[-words:]) + trail
        elif k == len(runs) - 1:
            text = lead + " ".join(split[:words]) + "…"
        elif len(split) > 2 * words:
            text = lead + " ".join(split[:words]) + " … " + " ".join(split[-words:]) + trail
        out.append([op, text])
    return out


def marked(runs: list[list[str]], limit: int | None = None) -> str:
    """Runs as one line of text, removed and added words between the marks Message writes in the destination's
    markup (MARKUPS); each run cut to `limit` characters."""
    text = ""
    for op, words in runs:
        core = " ".join(words.split())
        if op == "same" or not core:
            text += words if op == "same" else " "
            continue
        if limit:
            core = _cut(core, limit)
        opening, closing = (DEL, END_DEL) if op == "del" else (INS, END_INS)
        if text.endswith((END_DEL, END_INS)):
            text += " "  # removed words, then the words that replace them
        text += (" " if words[:1].isspace() else "") + opening + core + closing + (" " if words[-1:].isspace() else "")
    return " ".join(text.split())


def _payload(event: dict) -> dict:
    payload = event.get("payload")
    return json.loads(payload) if isinstance(payload, str) else (payload or {})


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
