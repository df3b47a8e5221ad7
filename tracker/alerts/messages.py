"""The words of an alert: short, the quote or the diff, a link to the editor page; private only where allowed.

One event makes a message with its details; several (a digest, or a burst
sent together) make one message listing the first MAX_LISTED with a line
each and a link to the rest, never a message per event. Plain text, so it
reads the same in an email, a chat channel and a webhook.

Privacy: a payload's "internal" part (an internal rationale, internal
notes) is written only for a destination an admin marked internal. Nothing
else in a payload is confidential: events never carry a source's identity.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from scrapers.article import without_controls

DIFF_SHOWN = 1200  # characters of changed lines in a message; the link has the rest
LINE = 200  # characters of one item's detail line in a list
MAX_LISTED = 10
MAX_BODY = 6000
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

    def __post_init__(self) -> None:
        # The title is one line: an email's Subject is a header, and a webhook's receiver may put it in one, where
        # a line break from an outlet typed with a paste or a file's title would start a header of its own. Neither
        # carries a control character (an escape code retitles the terminal the message is read on).
        title = " ".join(without_controls(self.title).split())
        body = without_controls(self.body).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
        self.title, self.body = (PINGS_AND_LINKS.sub("\u200b", text) for text in (title, body))


def render(
    events: list[dict],
    *,
    internal: bool,
    editor_url: str,
    count: int | None = None,
    stories: list[str | None] | None = None,
) -> Message:
    """The message for these events (oldest first), for a destination that is or is not internal.

    A message details only its first MAX_LISTED events, so a caller with
    more may pass those alone, with `count` (how many in all) and `stories`
    (the story titles of all of them, in order of first appearance).
    """
    count = len(events) if count is None else count
    if count == 1:
        return _single(events[0], internal=internal, editor_url=editor_url)
    if stories is None:
        stories = [e.get("story_title") for e in events]
    stories = list(dict.fromkeys(title or "all stories" for title in stories))
    title = f"{count} alerts: {', '.join(stories[:2])}" + (f" and {len(stories) - 2} more" if len(stories) > 2 else "")
    lines = []
    for event in events[:MAX_LISTED]:
        payload = _payload(event)
        lines.append(f"• {event['subject']}")
        # Internal lines are kept whole (they are why the destination is internal); the rest is cut.
        detail = _cut(" ".join(_details(event, payload, internal=False, short=True).split()), LINE)
        private = (
            _details(event, payload, internal=True, short=True)[
                len(_details(event, payload, internal=False, short=True)) :
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
    return Message(title=_cut(title, 200), body=_cut("\n".join(lines), MAX_BODY))


def _single(event: dict, *, internal: bool, editor_url: str) -> Message:
    payload = _payload(event)
    story = event.get("story_title")
    parts = [f"Story: {story}"] if story else []
    details = _details(event, payload, internal=internal, short=False)
    if details:
        parts.append(details)
    parts.append(f"Open: {editor_url}{payload.get('path', '/')}")
    return Message(title=_cut(event["subject"], 200), body=_cut("\n\n".join(parts), MAX_BODY))


def _details(event: dict, p: dict, *, internal: bool, short: bool) -> str:
    kind = event["kind"]
    lines: list[str] = []
    if kind == "statement_new":
        lines.append(f"“{p.get('quote', '')}”")
    elif kind == "coverage_changed":
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
        lines.append(f"No longer in the text: “{p.get('quote', '')}”")
    elif kind in ("ruling", "correction"):
        if not short:
            lines.append(f"Claim: {p.get('claim_text', '')}")
        lines.append(f"{p.get('from_status')} → {p.get('to_status')}")
        if p.get("public_rationale"):
            lines.append(f"Public reason: {p['public_rationale']}")
        private = p.get("internal") or {}
        if internal and private.get("rationale"):
            lines.append(f"Internal rationale: {private['rationale']}")
        if internal and private.get("notes"):
            lines.append(f"Internal notes: {private['notes']}")
    elif kind == "candidates_new":
        for c in p.get("candidates", [])[: 1 if short else 3]:
            who = f" ({c['claimant']})" if c.get("claimant") else ""
            lines.append(f"“{c.get('text', '')}”{who}")
        more = p.get("count", 0) - (1 if short else 3)
        if more > 0 and not short:
            lines.append(f"and {more} more waiting for triage")
    elif kind == "source_failing":
        lines.append(f"{p.get('url', '')}: {p.get('reason', '')}")
    elif kind == "source_silent":
        lines.append(f"Nothing new from {p.get('url', '')} since {p.get('last_new_at')}; "
                     f"usually something every {p.get('usual_gap_hours')} h.")  # fmt: skip
    elif kind == "publish":
        lines.append(f"By {p.get('by', '')}.")
    elif kind == "question_stale":
        lines.append(f"Question: {p.get('question', '')}")
        lines.append(f"Why: {p.get('reason', '')}")
    return "\n".join(line for line in lines if line)


def _payload(event: dict) -> dict:
    payload = event.get("payload")
    return json.loads(payload) if isinstance(payload, str) else (payload or {})


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
