"""The main pages measured in the page itself, at 1280 and 390 pixels: what axe does not weigh as we do.

Each page is loaded once per width in headless Chromium against `python -m tracker serve` with the
demo story, and one script reads it as a reader's browser shows it: every form control named, every
image described, one h1 and no skipped heading level, no sideways scroll on a phone, text contrast
from computed styles (4.5:1, large text 3:1), a visible outline or shadow on keyboard focus, targets
of 24 by 24 CSS pixels on a phone (a link inside a sentence excepted), `lang` set, and nothing
requested from another origin. One browser, one tab per kind of visitor and width, reused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

STORY = "amazon-ai-activity"
WIDTHS = {"desktop": 1280, "phone": 390}


@dataclass(frozen=True)
class Page:
    name: str
    site: str  # "public" or "editor" (signed in as an editor)
    path: str


PAGES = [
    Page("public-story", "public", f"/stories/{STORY}"),
    Page("public-timeline", "public", "/public/timeline"),
    Page("public-search", "public", "/public/timeline?q=Amazon"),
    Page("public-claim", "public", "/public/claims/{public_claim}"),
    Page("public-claim-events", "public", "/public/claim_events?claim_id={public_claim}"),
    Page("public-claims-table", "public", "/public/claims"),
    Page("public-data", "public", "/public"),
    Page("public-about", "public", "/about"),
    Page("stories", "editor", "/"),
    Page("story", "editor", f"/stories/{STORY}"),
    Page("claim-new", "editor", f"/stories/{STORY}/claims/new"),
    Page("triage", "editor", f"/stories/{STORY}/triage"),
    Page("claim", "editor", "/claims/{confirmed_claim}"),
    Page("dashboard", "editor", f"/stories/{STORY}/dashboard"),
    Page("notifications", "editor", "/alerts"),
    Page("account-alerts", "editor", "/account/alerts"),
]

# One script, run after a Tab press so that focus moved by script counts as keyboard focus.
AUDIT = r"""(phone) => {
  const found = [];
  const visible = el => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0;
  };
  const describe = el => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    else if (el.className && typeof el.className === 'string') d += '.' + el.className.trim().split(/\s+/).join('.');
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40);
    return text ? `${d} "${text}"` : d;
  };

  if (!document.documentElement.lang) found.push('no lang on <html>');

  // Every form control has a name a screen reader can say.
  for (const el of document.querySelectorAll('input, select, textarea, button')) {
    if (el.type === 'hidden') continue;
    const labelled = [...(el.labels || [])].some(l => l.textContent.trim())
      || (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') || '').split(/\s+/).some(id => {
           const t = id && document.getElementById(id); return t && t.textContent.trim(); })
      || (el.getAttribute('title') || '').trim()
      || (el.tagName === 'BUTTON' && (el.textContent.trim() || el.querySelector('img[alt]:not([alt=""])')))
      || (['submit', 'reset', 'button'].includes(el.type) && el.tagName === 'INPUT' && el.value.trim());
    if (!labelled) found.push(`control without a name: ${describe(el)}`);
  }

  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) found.push(`image without alt: ${img.getAttribute('src')}`);
  }

  const h1s = [...document.querySelectorAll('h1')].filter(visible);
  if (h1s.length !== 1) found.push(`${h1s.length} visible h1 elements`);
  let last = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    if (!visible(h)) continue;
    const level = Number(h.tagName[1]);
    if (last && level > last + 1) found.push(`heading skips from h${last} to h${level}: ${describe(h)}`);
    last = level;
  }

  if (phone && document.scrollingElement.scrollWidth > innerWidth) {
    const wide = [...document.body.querySelectorAll('*')]
      .filter(el => el.getBoundingClientRect().right > innerWidth + 1 && visible(el))
      .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > innerWidth + 1))
      .slice(0, 3).map(describe);
    found.push(`scrolls sideways: ${document.scrollingElement.scrollWidth} > ${innerWidth} (${wide.join('; ')})`);
  }

  // Contrast: the text's colour on the first opaque background behind it, alpha blended.
  const rgba = c => {
    const m = c.match(/[\d.]+/g) || [0, 0, 0, 0];
    return [+m[0], +m[1], +m[2], m[3] === undefined ? 1 : +m[3]];
  };
  const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat(1);
  const luminance = c => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage !== 'none') return null;  // a picture or gradient behind: not measurable here
      const c = rgba(s.backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || seen.has(el) || !visible(el)) continue;
    seen.add(el);
    const unseen = '[aria-hidden="true"], script, style, noscript, svg, [disabled], .visually-hidden, .sr-only';
    if (el.closest(unseen)) continue;
    const s = getComputedStyle(el);
    const bg = background(el);
    if (!bg) continue;
    const fg = over(rgba(s.color), bg);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const got = ratio(fg, bg);
    const behind = `rgb(${bg.slice(0, 3).map(Math.round)})`;
    if (got < need) found.push(`contrast ${got.toFixed(2)} < ${need}: ${describe(el)} (${s.color} on ${behind})`);
  }

  // Keyboard focus shows: an outline or a shadow on each visible link, button and field.
  const focusSelector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  const focusable = [...document.querySelectorAll(focusSelector)]
    .filter(el => !el.disabled && visible(el));
  const noRing = [];
  for (const el of focusable) {
    el.focus({ preventScroll: true });
    if (document.activeElement !== el || !el.matches(':focus-visible')) continue;
    // The ring may be drawn on a wrapper that has the focus within (Datasette's selects).
    const ringed = [el, el.parentElement, el.parentElement && el.parentElement.parentElement].some(e => {
      if (!e) return false;
      const s = getComputedStyle(e);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    });
    if (!ringed) noRing.push(describe(el));
  }
  if (document.activeElement) document.activeElement.blur();
  for (const d of noRing.slice(0, 5)) found.push(`no visible focus: ${d}`);
  if (noRing.length > 5) found.push(`... and ${noRing.length - 5} more without visible focus`);

  // Targets on a phone: 24 x 24, unless a link sits inside a line of text.
  if (phone) {
    const inSentence = a => {
      if (a.tagName !== 'A') return false;
      const block = a.parentElement.closest('p, li, td, dd, span, small, figcaption, label');
      return block && block.textContent.trim().length > a.textContent.trim().length + 1
        && getComputedStyle(a).display === 'inline';
    };
    const small = [];
    const targets = 'a[href], button, input[type=checkbox], input[type=radio], input[type=submit], summary';
    for (const el of document.querySelectorAll(targets)) {
      if (!visible(el) || inSentence(el)) continue;
      // A checkbox or radio is pressed through its label too: the target is both together.
      const parts = [el, ...(['checkbox', 'radio'].includes(el.type) ? el.labels || [] : [])];
      const rects = parts.map(p => p.getBoundingClientRect());
      const r = {
        width: Math.max(...rects.map(q => q.right)) - Math.min(...rects.map(q => q.left)),
        height: Math.max(...rects.map(q => q.bottom)) - Math.min(...rects.map(q => q.top)),
      };
      const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
      if (r.width < 23.5 || r.height < 23.5) small.push(`${describe(el)} ${size}`);
    }
    for (const d of small.slice(0, 8)) found.push(`target under 24x24: ${d}`);
    if (small.length > 8) found.push(`... and ${small.length - 8} more targets under 24x24`);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def ids(site) -> dict[str, int]:
    db = sqlite3.connect(site.db)
    try:
        claim = db.execute("SELECT min(id) FROM claims WHERE status = 'confirmed'").fetchone()[0]
        public = db.execute("SELECT public_id FROM public_ids WHERE kind = 'claim' AND id = ?", [claim]).fetchone()[0]
        return {"confirmed_claim": claim, "public_claim": public}
    finally:
        db.close()


@pytest.fixture(scope="module")
def tabs(browser, site) -> Iterator[dict[tuple[str, str], tuple[object, list[str]]]]:
    """One tab per width and kind of visitor, with every request it makes recorded."""
    made = {}
    for width_name, width in WIDTHS.items():
        for kind in ("public", "editor"):
            context = browser.new_context(viewport={"width": width, "height": 900})
            tab = context.new_page()
            tab.set_default_timeout(15000)
            if kind == "editor":
                sign_in(tab, site, "eddie")
            requested: list[str] = []
            tab.on("request", lambda r, into=requested: into.append(r.url))
            made[width_name, kind] = (tab, requested)
    yield made
    for tab, _ in made.values():
        tab.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("audited", PAGES, ids=[p.name for p in PAGES])
def test_page_passes_the_audit(tabs, site, ids, audited: Page, width: str):
    tab, requested = tabs[width, audited.site]
    requested.clear()
    base = site.public if audited.site == "public" else site.editor
    response = tab.goto(base + audited.path.format(**ids), wait_until="load")
    assert response is not None and response.status == 200, f"{audited.name}: {response and response.status}"
    assert audited.site != "editor" or "/login" not in tab.url, f"{audited.name}: sent to sign in"
    tab.keyboard.press("Tab")
    found = tab.evaluate(AUDIT, width == "phone")
    origin = urlsplit(base)
    found += [
        f"asked another origin for {url}"
        for url in requested
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != origin.netloc
    ]
    assert not found, f"{audited.name} at {width}:\n" + "\n".join(found)


# Each fault the audit looks for, once, in markup of our own: the audit must name every one.
FAULTY = """<!doctype html><html><head><style>
  a:focus-visible, button:focus-visible, input:focus-visible { outline: none; }
  .pale { color: #aaa; background: #fff; }
  .wide { width: 900px; }
  .tiny { font-size: 10px; }
</style></head><body>
  <h1>One</h1><h1>Two</h1><h3>Skipped a level</h3>
  <input id="nameless"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <p class="pale">Grey on white</p><div class="wide">Too wide for a phone</div>
  <p><a class="tiny" href="#x">x</a></p><button>Press</button>
</body></html>"""


def test_the_audit_names_each_fault(tabs):
    tab, _ = tabs["phone", "public"]
    tab.goto("about:blank")  # off the site, whose policy would refuse the inline style
    tab.set_content(FAULTY)
    tab.keyboard.press("Tab")
    found = "\n".join(tab.evaluate(AUDIT, True))
    for fault in (
        "no lang on <html>",
        "control without a name: input#nameless",
        "image without alt",
        "2 visible h1 elements",
        "heading skips from h1 to h3",
        "scrolls sideways",
        "contrast 2.32 < 4.5: p.pale",
        "no visible focus: a.tiny",
        "target under 24x24: a.tiny",
    ):
        assert fault in found, f"{fault!r} not in:\n{found}"
