"""The words news outlets' names are made of: 'Post' of 'Washington Post', 'Times' of 'Times of India'.

One list for the two places that tell an outlet's name by its words: a byline
(`scrapers.article.names`, whether a signature is an outlet's or a person's) and
a story's sentences (`tracker.attribution.rules` and `tracker.echoes`, whether a
name a claim is credited to is an outlet's). Each adds the words that hold only
where it reads, and says why; a word that marks an outlet's name in both goes here.
No imports: the attribution rules read it without loading the page parser.
"""

from __future__ import annotations

OUTLET_NAME_WORDS: frozenset[str] = frozenset(
    (
        "post times news herald tribune journal gazette press daily weekly radio tv television broadcasting "
        "chronicle observer guardian telegraph express mirror courier examiner inquirer sentinel dispatch bulletin "
        "globe magazine register standard monitor insider digest review wire newsweek politico axios yorker"
    ).split()
)
