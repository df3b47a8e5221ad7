/* Newsroom Tracker editor: keyboard shortcuts, and a question before leaving a form with typed text.
   Everything works without this file; it only adds keys for what is already on the page (see the
   "?" dialog), and the browser's own "Leave site?" question where a paragraph would be lost. */
(function () {
  "use strict";

  /* The message after a save comes with the page the save returns to, already in its live region, and
     a region's text present when the page loads is read out by no screen reader. So it is said again,
     in a region that is on the page first and given the text a moment later; focus stays where it is
     (on the next candidate in triage), and the visible message is no live region, or it would be read
     twice. */
  var flashes = document.querySelector(".flashes[role=status]");
  if (flashes && flashes.textContent.trim()) {
    var announcer = document.createElement("div");
    announcer.className = "visually-hidden";
    announcer.setAttribute("role", flashes.querySelector(".flash--error") ? "alert" : "status");
    document.body.appendChild(announcer);
    flashes.removeAttribute("role");
    window.setTimeout(function () { announcer.textContent = flashes.textContent.replace(/\s+/g, " ").trim(); }, 250);
  }

  /* The live demo's dashboard reloads itself every few seconds: a chart's table ("The numbers behind
     this chart") the reader opened stays open across the reloads of this page in this tab, and one they
     closed stays closed. */
  Array.prototype.forEach.call(document.querySelectorAll("figure.chart-figure details.chart-data"), function (table) {
    var heading = table.closest("figure").querySelector(".chart-title");
    var key = "chart-table-open:" + window.location.pathname + ":" + (heading ? heading.id : "");
    try {
      if (window.sessionStorage.getItem(key) === "1") table.open = true;
    } catch (e) { return; }
    function keep() {
      try {
        if (table.open) window.sessionStorage.setItem(key, "1");
        else window.sessionStorage.removeItem(key);
      } catch (e) { /* storage refused: the table simply folds at the next reload */ }
    }
    table.addEventListener("toggle", keep);
    /* "toggle" is fired a moment after the table opens or closes: a reload in that moment (the page's own, a
       moment after a click) left before it and brought back the state before the click. Leaving keeps it too. */
    window.addEventListener("pagehide", keep);
  });

  /* A field for one kind of source only (the Sources form's "Official statement": a web page's): enabled while
     that kind is chosen. Choosing another kind unticks it and turns it off, so the form never sends a box the
     server would refuse; one that came back ticked with that refusal stays on, to be unticked. Without this file
     it is always on, and the server says in one line which kind it takes. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-only-kind]"), function (field) {
    var form = field.closest("form");
    var box = field.querySelector("input[type=checkbox]");
    if (!form || !box) return;
    function sync(changed) {
      var chosen = form.querySelector("input[name=kind]:checked");
      var fits = !!chosen && chosen.value === field.getAttribute("data-only-kind");
      if (!fits && changed) box.checked = false;
      box.disabled = !fits && !box.checked;
    }
    Array.prototype.forEach.call(form.querySelectorAll("input[name=kind]"), function (kind) {
      kind.addEventListener("change", function () { sync(true); });
    });
    box.addEventListener("change", function () { sync(false); });
    sync(false);
  });

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
  }

  function select(delta) {
    var list = rows();
    if (!list.length) return;
    var current = list.findIndex(function (r) { return r.classList.contains("is-selected"); });
    var next = current < 0 ? 0 : Math.min(list.length - 1, Math.max(0, current + delta));
    if (current >= 0) list[current].classList.remove("is-selected");
    list[next].classList.add("is-selected");
    var link = list[next].querySelector("a");
    if (link) link.focus({ preventScroll: true });
    list[next].scrollIntoView({ block: "nearest" });
  }

  function click(selector) {
    var el = document.querySelector(selector);
    if (el) { el.click(); return true; }
    return false;
  }

  /* Single keys can be turned off in the "?" dialog (WCAG 2.1.4): speech input types words as keys.
     The choice is kept in this browser; triage.js reads the same key. */
  var OFF = "tracker.shortcuts-off";

  function keysOff() {
    try { return window.localStorage.getItem(OFF) === "1"; } catch (e) { return false; }
  }

  var dialog = document.getElementById("shortcuts");
  var offBox = document.getElementById("shortcuts-off");
  var opener = document.getElementById("shortcuts-open");

  function showShortcuts() {
    if (!dialog || typeof dialog.showModal !== "function" || dialog.open) return false;
    if (offBox) offBox.checked = keysOff();
    dialog.showModal();
    return true;
  }

  if (offBox) {
    offBox.addEventListener("change", function () {
      try {
        if (offBox.checked) window.localStorage.setItem(OFF, "1");
        else window.localStorage.removeItem(OFF);
      } catch (e) { /* storage refused: the keys stay as they were */ }
    });
  }
  if (opener) opener.addEventListener("click", showShortcuts);

  /* "n" opens a form to fill in: the form it opens starts in its first field, not at the top of the
     page, so the keyboard does not tab through the header first. Only when opened by the key: the
     same page reached any other way starts from the top, as every page does. */
  var FOCUS_FIRST = "tracker.focus-first-field";
  try {
    if (window.sessionStorage.getItem(FOCUS_FIRST) !== null) {
      var wanted = window.sessionStorage.getItem(FOCUS_FIRST);
      window.sessionStorage.removeItem(FOCUS_FIRST);
      var first = wanted === window.location.pathname &&
        document.querySelector("main form input:not([type=hidden]), main form textarea, main form select");
      if (first && !document.querySelector(".alert--error[role=alert]")) first.focus();
    }
  } catch (e) { /* no storage: nothing was asked */ }

  /* Esc leaves a field. Inside something that holds the keyboard itself (a triage candidate: tabindex="-1"),
     focus goes back to it, so the keys and a screen reader go on from there; a bare blur left focus on
     the page, nowhere. Elsewhere the field is blurred (Tab still goes on from it). */
  function leaveField(field) {
    var holder = field.parentElement && field.parentElement.closest('[tabindex="-1"]:not(main)');
    if (holder) holder.focus({ preventScroll: true });
    else field.blur();
  }

  var pendingG = false;
  var navKeys = { d: "dashboard", c: "claims", v: "coverage", s: "sources" };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") leaveField(event.target);
      return;
    }
    if (keysOff()) return;
    var key = event.key;
    if (pendingG) {
      pendingG = false;
      var nav = navKeys[key] && document.querySelector('[data-nav="' + navKeys[key] + '"]');
      if (nav) { event.preventDefault(); nav.click(); }
      return;
    }
    switch (key) {
      case "/": {
        var search = document.querySelector('[data-shortcut="search"]');
        if (search) { event.preventDefault(); search.focus(); search.select(); }
        break;
      }
      case "j": select(1); break;
      case "k": select(-1); break;
      case "n": {
        var opens = document.querySelector('[data-shortcut="new"]');
        if (opens) {
          event.preventDefault();
          try { window.sessionStorage.setItem(FOCUS_FIRST, new URL(opens.href, window.location.href).pathname); } catch (e) { /* no storage: the page opens as any other */ }
          opens.click();
        }
        break;
      }
      case "e": if (click('[data-shortcut="edit"]')) event.preventDefault(); break;
      case "c": case "d": case "u": {
        var radio = document.querySelector('input[data-shortcut="' + key + '"]');
        if (radio) {
          event.preventDefault();
          radio.checked = true;
          radio.focus();
          radio.scrollIntoView({ block: "center" });
        }
        break;
      }
      case "g": pendingG = true; window.setTimeout(function () { pendingG = false; }, 1200); break;
      case "?": if (showShortcuts()) event.preventDefault(); break;
      default: break;
    }
  });

  /* The evidence form's coverage list holds the story's newest items; its search box asks the server for
     any other (title, outlet or address words) and puts what matches in the same list, so the choice is
     still made in the native select, by keyboard or on a phone. Enter searches at once and moves to the
     list; it never sends the form. Emptied, the box gives the newest items back. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-coverage-search]"), function (box) {
    var input = box.querySelector("input[type=search]");
    var status = box.querySelector("[role=status]");
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list || !window.fetch) return;
    box.hidden = false;
    var newest = Array.prototype.map.call(list.options, function (o) { return [o.value, o.text]; });
    var timer = null, asked = 0;

    function fill(choices) {
      var chosen = list.value, chosenText = list.selectedIndex >= 0 ? list.options[list.selectedIndex].text : "";
      var seen = {};
      list.options.length = 0;
      list.add(new Option(newest[0][1], ""));
      if (chosen && !choices.some(function (c) { return c[0] === chosen; })) choices = [[chosen, chosenText]].concat(choices);
      choices.forEach(function (c) {
        if (!c[0] || seen[c[0]]) return;
        seen[c[0]] = true;
        list.add(new Option(c[1], c[0], false, c[0] === chosen));
      });
    }

    function search(thenFocus) {
      window.clearTimeout(timer);
      var words = input.value.trim();
      var mine = ++asked;
      if (!words) {
        fill(newest.slice(1));
        status.textContent = "";
        if (thenFocus) list.focus();
        return;
      }
      status.textContent = "Searching…";
      fetch(box.getAttribute("data-coverage-search") + "?q=" + encodeURIComponent(words), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (found) {
        if (mine !== asked) return;
        fill(found.choices.map(function (c) { return [String(c.revision_id), c.label]; }));
        var n = found.choices.length;
        status.textContent = !n ? "No stored coverage matches “" + words + "”."
          : (found.more ? "The newest " + n + " matches are in the list below; add a word to narrow them."
            : n + (n === 1 ? " item matches" : " items match") + ": choose in the list below.");
        if (thenFocus && n) list.focus();
      }).catch(function () {
        if (mine === asked) status.textContent = "The search did not answer; try again, or give the address below.";
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { search(false); }, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); search(true); }
    });
  });

  /* A form the server refused comes back with its message at the top (role=alert). A message already
     there when the page loads is not announced by every screen reader, and the keyboard would start
     from the top of the page: the focus goes to the message, which names the field to fix. A refusal
     shown as a warning (someone else's change came first: nothing was wrong with the form) says so with
     data-refused; a warning that only informs (the claim's evidence changed) keeps the focus where it is. */
  var refused = document.querySelector(".alert--error[role=alert], .alert[role=alert][data-refused]");
  if (refused) {
    if (!refused.hasAttribute("tabindex")) refused.setAttribute("tabindex", "-1");
    refused.focus();
  }

  /* A form someone has typed into asks before the page is left (a link, a shortcut, a reload, the tab
     closed): the editor's pages are not kept in the back-button cache, so the text would be gone.
     Sending a form is no leaving for that form; any other form on the page with typed text still asks
     (a rewording typed for one triage candidate was lost when another was dismissed). Only forms that post
     (search boxes do not), and only fields whose text differs from what the page came with. */
  var sending = null;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    sending = form;
    // A form a script sends itself (preventDefault) leaves nothing: the page, and its question, stay.
    window.setTimeout(function () { if (event.defaultPrevented && sending === form) sending = null; }, 0);
  }, true);
  window.addEventListener("pageshow", function () { sending = null; });

  function changed(form) {
    return Array.prototype.some.call(form.elements, function (el) {
      if (!el.name) return false;  // a field that is never sent (the coverage search) holds nothing to lose
      if (el.tagName === "TEXTAREA") return !el.readOnly && el.value !== el.defaultValue;
      if (el.tagName !== "INPUT" || el.readOnly) return false;
      var type = (el.getAttribute("type") || "text").toLowerCase();
      if (["hidden", "password", "checkbox", "radio", "submit", "button", "file", "range", "color"].indexOf(type) >= 0) {
        return false;
      }
      return el.value !== el.defaultValue;
    });
  }

  window.addEventListener("beforeunload", function (event) {
    var forms = document.querySelectorAll('form[method="post"]:not([data-no-guard])');
    var others = Array.prototype.filter.call(forms, function (form) { return form !== sending; });
    sending = null;  // "Stay on page" keeps the page: the next leaving asks again
    if (others.some(changed)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
