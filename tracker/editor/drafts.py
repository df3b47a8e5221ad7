"""Which typed form a save has just kept, so the browser can forget its copy of it.

A form's post can get no answer at all: the editor restarting under it, a
dropped connection, a proxy timing out. The browser then shows its own error
page, and since the editor's pages are kept out of the back-button cache
(they show confidential identities), going back fetched the form afresh and
empty. So `static/drafts.js` keeps a copy of what is typed in the tab's own
storage, names it in a `_draft` field when the form is sent, and offers it
back on the empty form. This module tells the script when to forget it: a
post that saved (a redirect with a success message and no error) stores the
copy's name in the session, and the next page names it in a meta tag.

Nothing typed reaches the server this way that the form did not send anyway;
the name is a random token the script made, checked against a narrow pattern.

A copy can hold a confidential source's identity, and a newsroom's machine is
shared. Each copy names the account whose page kept it (the `tracker-draft-owner`
meta tag, the account's id), and a page of another account forgets it: the next
person to sign in on the tab is never offered it. Signing out forgets every copy
of the tab (the sign-in page that follows says so in `tracker-forget-drafts`), so
none is left readable in a tab nobody is signed in to.
"""

from __future__ import annotations

import re

from flask import Response, request, session

DRAFT_FIELD = "_draft"
DRAFT_NAME = re.compile(r"[A-Za-z0-9-]{8,64}")
SAVED_KEY = "saved_draft"
FORGET_KEY = "forget_drafts"


def note_saved(response: Response) -> Response:
    """After a post that saved, remember the name of the browser's copy of the form for the next page.

    The form is read last, and only after a save: by then the view has read it (a refused upload's body
    is never parsed here).
    """
    if request.method != "POST" or not 300 <= response.status_code < 400:
        return response
    categories = {category for category, _ in session.get("_flashes", [])}
    if "success" not in categories or "error" in categories:
        return response
    name = request.form.get(DRAFT_FIELD, "")
    if DRAFT_NAME.fullmatch(name):
        session[SAVED_KEY] = name
    return response


def saved_draft() -> str | None:
    """The name of the copy the last save kept, once: the page that shows it tells the script to forget it."""
    return session.pop(SAVED_KEY, None) if SAVED_KEY in session else None


def forget_on_next_page() -> None:
    """Signing out: the next page tells the script to forget every copy this tab holds."""
    session[FORGET_KEY] = True


def drafts_to_forget() -> bool:
    """Whether this page tells the script to forget every copy, once."""
    return bool(session.pop(FORGET_KEY, False)) if FORGET_KEY in session else False
