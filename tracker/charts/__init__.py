"""Charts of how a story spreads: coverage over time by outlet, and claims by status over time.

- buckets.py: the time unit for a span of data, and the SQL that buckets a stored time;
- data.py: the editor's rows, from the working database (all of the newsroom's coverage and claims);
- render.py: rows -> accessible SVG (pygal) and the figure both sites show.

The public site draws the same charts from the public database only,
through the canned queries `coverage_over_time` and `claims_over_time` in
metadata.yml (tracker/public/plugins/story_charts.py), whose rows match
data.py's for everything published.
"""
