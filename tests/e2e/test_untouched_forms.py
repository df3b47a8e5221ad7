"""In Chromium: saving a claim form nobody edited leaves its stored text byte for byte.

The page never prints bidi controls, and the browser sends a textarea's line breaks as CRLF: the form came back
different from what was stored, and saving it rewrote the claim (a new version, characters gone from its notes).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tracker import claims, stories
from tracker.db import connect

pytestmark = pytest.mark.e2e

BIDI = "Acme \u2067\u0627\u0644\u0645\u0635\u0646\u0639\u2069 said \u202egnillacer ton\u202c"
NOTES = "Called twice \u2066(isolated)\u2069\nsecond line from the API\n"


def test_saving_an_untouched_claim_form_changes_nothing(page, site):
    db = connect(site.db)
    try:
        story = stories.create_story(db, "untouched-forms", "Untouched forms")  # the demo story's counts stay
        claim_id = claims.log_claim(
            db, story["id"], BIDI, BIDI, "organization", None, source_identity=BIDI, internal_notes=NOTES
        )
        fields = "text, claimant, source_identity, internal_notes, version"
        before = db.execute(f"SELECT {fields} FROM claims WHERE id = ?", [claim_id]).fetchone()
        sign_in(page, site, "rita")
        page.goto(f"{site.editor}/claims/{claim_id}/edit")
        assert "\u202e" not in page.content()
        page.get_by_role("button", name="Save changes").click()
        expect(page.locator(".flash")).to_contain_text("Nothing changed.")
        assert db.execute(f"SELECT {fields} FROM claims WHERE id = ?", [claim_id]).fetchone() == before
    finally:
        db.close()
