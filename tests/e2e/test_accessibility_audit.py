"""A page measured in the page itself: what axe does not weigh as we do.

AUDIT reads a page as a reader's browser shows it: every form control named, every image
described, one h1 and no skipped heading level, no sideways scroll on a phone, text contrast from
computed styles (4.5:1, large text 3:1), a visible outline or shadow on keyboard focus, targets of
24 by 24 CSS pixels on a phone (a link inside a sentence excepted), `lang` set.
test_accessibility.py runs it on every page it loads, beside axe, at 1280 and 390 pixels; here it
is shown one page made of each fault, to prove it names every one.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

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


def test_the_audit_names_each_fault(browser):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    tab = context.new_page()
    tab.goto("about:blank")  # off the site, whose policy would refuse the inline style
    tab.set_content(FAULTY)
    tab.keyboard.press("Tab")
    found = "\n".join(tab.evaluate(AUDIT, True))
    context.close()
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
