"""A form that could not be saved because its session ended or its token went stale, offered again.

Sessions end on purpose: signing out anywhere ends every session of the
account, and so do a password or role change. Signing in again in another tab
makes the token of every form already open stale. Either way the form's post
is refused, and with the editor's pages kept out of the back-button cache
(Cache-Control: no-store) the reporter's paragraph went with it. Now what was
sent is shown back and, once signed in, offered to save with a fresh token.

Only for a post the browser says came from the editor's own pages
(Sec-Fetch-Site: same-origin, or an Origin of this site where a browser sends
no Sec-Fetch-Site): a forged post from another site must not put its text on
the editor's pages, nor one click away from being saved. Nothing is kept on
the server: the text travels in the page, through the login form (which needs
its own token), to a form that posts it to where it was going, where every
check of that form and the account's role apply as usual. Passwords and
tokens are never carried, and files cannot be: the offer says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.exceptions import HTTPException

from tracker.editor.display import CLAIMANT_TYPE_LABELS, STANCE_LABELS, STATUS_LABELS
from tracker.editor.forms import is_local_path, is_unicode

RESUME_FIELD = "resume"
# Form fields never shown back on a page or carried: passwords (login, account), tokens, the carried form itself,
# the name of the browser's own copy of a form (tracker/editor/drafts.py).
UNSHOWN_FIELDS = frozenset({"csrf_token", "password", "current", "new", "confirm", "username", RESUME_FIELD, "_draft"})
# Endpoints a carried form is never sent to: signing in or out, and the API (its own clients, not forms).
_NOT_FORMS = frozenset({"auth.login", "auth.logout", "static"})
# Forms whose fields hold secrets, never shown back nor carried: an alert destination's address holds its
# token or password (stored encrypted and shown masked everywhere else).
SECRET_FORMS = frozenset({"alerts.add_destination"})
# Fields the editor's forms set themselves in hidden inputs (the version a page showed, where the triage queue
# stood, what a button asks): carried back as sent, never shown among what someone typed, where "Upto 16" beside
# their paragraph only made them wonder what to check. tests/test_resume.py holds every template to it.
SET_BY_THE_PAGE = frozenset(
    {
        "active",
        "candidate_id",
        "high",
        "id",
        "internal",
        "next",
        "published",
        "reviewed",
        "seen",
        "stage",
        "upto",
        "version",
    }
)


# What each form is for, as the page offering it again says it ("It was sent to rule on claim 7."), from what its
# address holds; a form not named here is named by its address.
FORM_PURPOSES = {
    "auth.change_password": "change your password",
    "auth.create_token": "create an API token",
    "auth.revoke_token": "revoke API token {token_id}",
    "stories.new": "start a new story",
    "stories.edit": "edit the story {slug}",
    "claims.new": "log a new claim in the story {slug}",
    "claims.edit": "edit claim {claim_id}",
    "claims.add_evidence": "add evidence to claim {claim_id}",
    "claims.set_status": "rule on claim {claim_id}",
    "claims.set_published": "publish or hold back claim {claim_id}",
    "sources.index": "add a source to the story {slug}",
    "sources.set_state": "change source {source_id}",
    "publishing.publish_now": "publish now",
    "triage.accept": "accept a candidate in the story {slug}",
    "triage.merge": "merge a candidate in the story {slug}",
    "triage.dismiss": "dismiss a candidate in the story {slug}",
    "triage.put_back": "put back a dismissed candidate in the story {slug}",
    "admin.users_index": "add an account",
    "admin.set_role": "change the role of account {user_id}",
    "admin.set_active": "turn account {user_id} on or off",
    "admin.reset_password": "reset the password of account {user_id}",
    "questions.new": "ask a new question in the story {slug}",
    "questions.edit": "edit question {question_id}",
    "questions.link": "link claims to question {question_id}",
    "questions.unlink": "unlink claim {claim_id} from question {question_id}",
    "questions.answer": "answer question {question_id}",
    "questions.publish": "publish or hold back question {question_id}",
    "questions.new_development": "add a development to the story {slug}",
    "questions.edit_development": "edit development {development_id}",
    "questions.development_state": "change development {development_id}",
    "questions.publish_development": "publish or hold back development {development_id}",
    "alerts.add_subscription": "add an alert subscription",
    "alerts.update_subscription": "change alert subscription {subscription_id}",
    "alerts.delete_subscription": "delete alert subscription {subscription_id}",
    "alerts.story_default": "change your alert defaults",
    "alerts.delete_destination": "delete alert destination {destination_id}",
    "alerts.resume_destination": "resume alert destination {destination_id}",
    "alerts.set_internal": "change alert destination {destination_id}",
    "alerts.unsubscribe": "unsubscribe from alerts",
    "alerts.mark_read": "mark alerts read",
    "documents.new": "add a document to the story {slug}",
    "documents.transcribe": "transcribe page {page} of document {coverage_id}",
    "documents.publish_copy": "publish the copy of capture {capture_id}",
    "documents.attach": "attach a file to coverage item {coverage_id}",
    "reporting.new_note": "log reporting in the story {slug}",
    "reporting.attribution": "change the attribution of note {coverage_id}",
    "reporting.new_post": "log a post in the story {slug}",
    "livedemo.next_stage": "move the live demo to its next stage",
}


@dataclass(frozen=True)
class Resume:
    """What a form sent, and where: enough to send it again."""

    path: str
    fields: tuple[tuple[str, str], ...]
    files_dropped: bool = False

    def packed(self) -> str:
        """The form as one hidden field's value, carried through the login form."""
        return json.dumps({"path": self.path, "fields": self.fields, "files_dropped": self.files_dropped})

    @property
    def sent(self) -> bool:
        """Was anything sent worth sending again (a button's form too, whose fields the page set)?"""
        return any(value.strip() for _, value in self.fields)

    @property
    def purpose(self) -> str:
        """What the form was for, in words, from its address: the page offering it again says which claim a
        rationale was for, not only the rationale."""
        path = urlsplit(self.path).path
        try:
            endpoint, args = current_app.url_map.bind("localhost").match(path, method="POST")
        except HTTPException:
            return f"It was sent to {path}."
        words = FORM_PURPOSES.get(endpoint)
        return f"It was sent to {words.format(**args)}." if words else f"It was sent to {path}."

    @property
    def shown(self) -> list[tuple[str, str]]:
        """The fields worth showing: what someone typed or chose, under a readable label."""
        return shown_fields(self.fields)


# A choice shown back in the words its form offered it in ("Anonymous source", not "anonymous").
CHOICE_WORDS = {"status": STATUS_LABELS, "claimant_type": CLAIMANT_TYPE_LABELS, "stance": STANCE_LABELS}


def shown_fields(fields: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """What a form sent that a person typed or chose in words, under a readable label, for a page to show back.

    Left out: blanks, what the page set itself (SET_BY_THE_PAGE), and a row a
    list chose by its number (`revision_id`, `evidence_ids`: "8" says nothing
    to the person who picked an article by its title). All of them are still
    carried by the form that sends it again.
    """
    return [
        (name.replace("_", " ").capitalize(), CHOICE_WORDS.get(name, {}).get(value, value))
        for name, value in fields
        if value.strip() and name not in SET_BY_THE_PAGE and not name.endswith(("_id", "_ids"))
    ]


def from_own_pages() -> bool:
    """Did the browser send this request from one of the editor's own pages?

    Sec-Fetch-Site is set by the browser and cannot be set by a page; where a
    browser sends none, an Origin naming this site counts. Neither (a script,
    an old browser): no.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin == request.host_url.rstrip("/")


def form_page() -> str | None:
    """The editor's page a post came from (its Referer, on this site), for a refusal to lead back to; None otherwise.

    A post refused before it could be read (too large) cannot be shown back;
    the form it came from offers this tab's copy of it (static/drafts.js).
    Only a path here is given: the link never leads to another site.
    """
    if request.method != "POST" or not request.referrer:
        return None
    parts = urlsplit(request.referrer)
    if f"{parts.scheme}://{parts.netloc}/" != request.host_url:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_local_path(path) else None


def offer() -> Resume | None:
    """This request's form, if it may be shown back and sent again; None otherwise."""
    if request.method != "POST" or not from_own_pages() or not is_form_path(request.full_path):
        return None
    if not _within_limit():
        return None
    fields = tuple((name, value) for name, value in request.form.items(multi=True) if name not in UNSHOWN_FIELDS)
    resume = Resume(
        request.full_path.rstrip("?"), fields, files_dropped=any(f.filename for f in request.files.values())
    )
    return resume if resume.sent else None


def _within_limit() -> bool:
    """Is the body within what may be read now? (One of unknown length is checked as it is read.)

    A signed-out browser gets the app's 2 MB, not an upload route's larger
    limit (documents.upload_limits applies only once signed in): a larger
    post, a file that could not be carried anyway, is sent to sign in rather
    than told it is too large.
    """
    length, limit = request.content_length, request.max_content_length
    return length is None or limit is None or length <= limit


def unpack(raw: str | None) -> Resume | None:
    """The carried form from the login form's hidden field; None if absent or not a form of the editor's."""
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # nested deeper than the parser recurses: no form sent that (it was a 500)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("path"), str) or not isinstance(data.get("fields"), list):
        return None
    fields = []
    for pair in data["fields"]:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) and is_unicode(p) for p in pair)):
            return None
        if pair[0] not in UNSHOWN_FIELDS:
            fields.append((pair[0], pair[1]))
    resume = Resume(data["path"], tuple(fields), files_dropped=data.get("files_dropped") is True)
    return resume if is_form_path(resume.path) and resume.sent else None


def carried() -> Resume | None:
    """The form this sign-in request carries (the login form's hidden field), if any."""
    return unpack(request.form.get(RESUME_FIELD))


def is_form_path(path: str) -> bool:
    """Is `path` a path on this site that one of the editor's forms posts to?"""
    if not is_local_path(path):
        return False
    parts = urlsplit(path)
    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(parts.path, method="POST")
    except HTTPException:
        return False
    return endpoint not in _NOT_FORMS | SECRET_FORMS and not endpoint.startswith("api.")
