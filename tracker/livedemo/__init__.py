"""The live demo: a fictional story played on a fictional web, so a newcomer watches the tracker work.

`make run` serves a small web of invented outlets and one invented company
on 127.0.0.1 (data/demo/live/: sites, documents with their versions, and
the stages the story goes through), adds their feeds and newsroom to the
demo story, and runs `watch` on it. Every few seconds the real scraper
polls the fictional sites through the real address guard (their `.example`
names are mapped to the demo's server and to nothing else), so coverage,
candidates, revisions and diffs arrive exactly as they would from the web.
Stages advance on a timer or from the editor's "Next stage" button; at each
stage the demo's own desk logs and rules a few claims and publishes, so the
dashboard, the public timeline and the charts move without a click.

- world.py: the data files as typed, checked objects;
- pages.py: what each fictional URL answers at a given stage (feeds, articles, statements, robots.txt);
- web.py: the HTTP server that plays the sites on loopback;
- stages.py: which stages have been reached, kept in the working database;
- desk.py: the demo desk's claims and rulings;
- runner.py: the story and its sources set up, the web served, stages advanced, the desk run.
"""
