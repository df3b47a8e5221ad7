"""The public site's rate per client address (tracker/public/plugins/client_rate.py), for the editor's pages.

One rule, one file: an alert email's unsubscribe link, the one page anyone
may POST to without signing in (editor/alerts.py), is limited per client
address by the same token bucket as the public site's visitors, and every
limit of the editor counts a client as the public site does (`network_of`:
an IPv6 client by its /64; auth.limit_address). The file
lives among Datasette's plugins, which a deployed public site ships without
the project and which import nothing from `tracker`. Imported here as
`tracker.public.plugins.client_rate` it would run tracker/public/__init__.py,
which imports Datasette into the editor, so it is loaded by its path, as
query_limits.py loads it.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tracker.config import PUBLIC_DIR

PATH = PUBLIC_DIR / "plugins" / "client_rate.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("newsroom_client_rate", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_RULE = _load()
RateLimit, network_of = _RULE.RateLimit, _RULE.network_of
