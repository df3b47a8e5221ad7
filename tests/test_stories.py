import pytest

from tracker import stories
from tracker.db import TrackerError


@pytest.mark.parametrize(
    "text,belongs",
    [
        ("Amazon staff pressed on AI", True),
        ("He said it again", False),  # "AI" inside words does not count
        ("The Daily podcast on AI", False),  # excluded word wins
        ("Nothing relevant here", False),
        ("Amazon’s toasters", True),
    ],
)
def test_keywords_match_whole_words(text, belongs):
    story = {"keywords_include": "Amazon, AI", "keywords_exclude": "podcast"}
    assert stories.matches_keywords(story, text) is belongs


def test_a_story_without_keywords_keeps_everything():
    assert stories.matches_keywords({"keywords_include": "", "keywords_exclude": ""}, "anything")


@pytest.mark.parametrize("slug", ["Bad Slug", "", "trailing-", "a--b", "ümlaut"])
def test_invalid_slugs_are_refused(db, slug):
    with pytest.raises(TrackerError, match="short name"):
        stories.create_story(db, slug, "Title")
    assert stories.list_stories(db) == []


@pytest.mark.parametrize("field, size", [("title", 301), ("description", 2001)])
def test_a_title_or_description_longer_than_any_page_shows_is_refused_and_nothing_stored(db, field, size):
    typed = {"title": "Acme recall", "description": "", "keywords_include": "acme", "keywords_exclude": ""}
    typed[field] = "x" * size
    with pytest.raises(TrackerError, match=f"story's {field} is at most"):
        stories.create_story(db, "acme-recall", **typed)
    assert db.execute("SELECT COUNT(*) FROM stories WHERE slug = 'acme-recall'").fetchone()[0] == 0


def test_duplicate_slug_is_refused(db, story):
    with pytest.raises(TrackerError, match="already exists"):
        stories.create_story(db, story["slug"], "Again")


@pytest.mark.parametrize(
    "title,slug",
    [
        ("Amazon staff pressed to show “AI activity”", "amazon-staff-pressed-to-show-ai-activity"),
        ("Straßenbau: Œuvre, Ærø & Łódź", "strassenbau-oeuvre-aero-lodz"),
        (
            "Hafenbehörde prüft die Ausschreibung für die neuen Containerkräne am Westkai",
            "hafenbehorde-pruft-die-ausschreibung-fur-die-neuen",
        ),
        ("A" * 90, "a" * 60),  # one word longer than an address should be is cut, not refused
        ("港口起重机", ""),
    ],
)
def test_a_short_name_is_made_from_a_title_as_whole_words(title, slug):
    made = stories.slug_from(title)
    assert made == slug
    assert len(made) <= stories.SUGGESTED_MAX and (not made or stories.SLUG_RE.match(made))
