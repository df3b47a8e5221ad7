/* Newsroom Tracker editor: a copy of what is typed in a form, kept in this tab until the server saved it.
   A post that gets no answer (the editor restarting, the connection dropping) leaves the browser's own
   error page, and the editor's pages are not kept in the back-button cache: going back showed the form
   empty. The copy lives in this tab's session storage (gone when the tab is closed), never holds a
   password or a file, and is offered back only on a form that came without the text. The server names
   the copy a save kept (tracker/editor/drafts.py), and it is forgotten. Without this file nothing
   changes but the offer. */
(function () {
  "use strict";

  var PREFIX = "tracker.draft:";
  var FIELD = "_draft";
  var MAX_AGE = 7 * 24 * 3600 * 1000; // a week: a copy older than that is no one's unsaved paragraph
  var MAX_COPIES = 20;
  var SKIPPED_TYPES = ["hidden", "password", "file", "submit", "button", "reset", "image"];
  var SKIPPED_NAMES = ["csrf_token", "resume", FIELD];

  /* The account whose page this is (none on the sign-in page): a copy is offered back only to the account
     that typed it, and a page of another account forgets it. A newsroom's machine is shared. */
  var ownerMeta = document.querySelector('meta[name="tracker-draft-owner"]');
  var owner = ownerMeta ? ownerMeta.getAttribute("content") : null;

  var store;
  try {
    store = window.sessionStorage;
    store.getItem(PREFIX);
  } catch (e) {
    return; // storage refused (a locked-down browser): forms work as before
  }

  function kept(el) {
    if (!el.name || el.disabled || SKIPPED_NAMES.indexOf(el.name) >= 0) return false;
    if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    if (el.tagName !== "INPUT") return false;
    return SKIPPED_TYPES.indexOf((el.getAttribute("type") || "text").toLowerCase()) < 0;
  }

  /* Forms that post text someone writes: a text box in them. Forms holding secrets opt out
     (data-no-draft: sign-in, passwords, alert destinations). */
  function drafted(form) {
    return form && (form.getAttribute("method") || "").toLowerCase() === "post" && !form.hasAttribute("data-no-draft") &&
      form.querySelector("textarea") !== null;
  }

  function keyOf(form) {
    var action = new URL(form.action || window.location.href, window.location.href).pathname;
    var same = Array.prototype.filter.call(document.forms, function (f) {
      return drafted(f) && new URL(f.action || window.location.href, window.location.href).pathname === action;
    });
    return PREFIX + action + "#" + same.indexOf(form);
  }

  function read(key) {
    try {
      var copy = JSON.parse(store.getItem(key) || "null");
      return copy && typeof copy === "object" && Array.isArray(copy.fields) ? copy : null;
    } catch (e) {
      return null;
    }
  }

  function write(key, copy) {
    try {
      store.setItem(key, JSON.stringify(copy));
    } catch (e) { /* storage full or refused: the form is sent as ever */ }
  }

  function valuesOf(form) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) return;
      var type = (el.getAttribute("type") || "").toLowerCase();
      if (type === "checkbox" || type === "radio") out.push([el.name, el.value, el.checked]);
      else if (el.tagName === "SELECT") {
        out.push([el.name, Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; })]);
      } else out.push([el.name, el.value]);
    });
    return out;
  }

  function typedSomething(form) {
    return Array.prototype.some.call(form.elements, function (el) {
      return kept(el) && (el.tagName === "TEXTAREA" || el.tagName === "INPUT") &&
        ["checkbox", "radio"].indexOf((el.getAttribute("type") || "").toLowerCase()) < 0 && el.value !== el.defaultValue;
    });
  }

  function save(form, sent) {
    var key = keyOf(form);
    var copy = read(key);
    if (!sent && !typedSomething(form)) {
      if (copy && !copy.sent) store.removeItem(key);
      return;
    }
    var name = (copy && copy.name) || randomName();
    write(key, { name: name, who: owner, at: Date.now(), sent: !!sent, page: window.location.pathname,
      fields: valuesOf(form) });
    return name;
  }

  function randomName() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function copies() {
    var out = [];
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) out.push([key, read(key)]);
    }
    return out;
  }

  /* Forget the copy the server saved, copies older than a week, the oldest past twenty, on a signed-in page
     every copy another account kept, and after signing out every copy. */
  function tidy() {
    var meta = document.querySelector('meta[name="tracker-saved-draft"]');
    var saved = meta && meta.getAttribute("content");
    var signedOut = document.querySelector('meta[name="tracker-forget-drafts"]') !== null;
    noteRefusal();
    var now = Date.now();
    var left = [];
    copies().forEach(function (pair) {
      var copy = pair[1];
      if (!copy || signedOut || (owner !== null && copy.who !== owner) || (saved && copy.name === saved) ||
          !(now - copy.at < MAX_AGE)) store.removeItem(pair[0]);
      else left.push(pair);
    });
    left.sort(function (a, b) { return b[1].at - a[1].at; });
    left.slice(MAX_COPIES).forEach(function (pair) { store.removeItem(pair[0]); });
  }

  /* An error page the editor sent in answer to a post (error.html's tracker-refused-draft, its title) is the
     answer to the send it names: the copy that post carried (data-copy, the `_draft` name), or, for a body
     refused unread (too large), the latest copy sent to that address (data-action). A refused form that kept
     no copy (a button) names none, and no other copy's offer quotes its answer: that one may have got none. */
  function noteRefusal() {
    var meta = document.querySelector('meta[name="tracker-refused-draft"]');
    if (!meta) return;
    var name = meta.getAttribute("data-copy");
    var action = meta.getAttribute("data-action");
    var answered = null;
    copies().forEach(function (pair) {
      var copy = pair[1];
      if (!copy || !copy.sent) return;
      var matches = name ? copy.name === name :
        action !== null && pair[0].slice(PREFIX.length, pair[0].lastIndexOf("#")) === action;
      if (matches && (!answered || copy.at > answered[1].at)) answered = pair;
    });
    if (answered && !answered[1].refused) {
      answered[1].refused = meta.getAttribute("content") || "refused";
      write(answered[0], answered[1]);
    }
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  /* A time as the editor's pages give one (scrapers/timestamps.py, when): "7 Dec 2026, 14:05 UTC". */
  function utc(ms) {
    var d = new Date(ms);
    var two = function (n) { return ("0" + n).slice(-2); };
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear() + ", " +
      two(d.getUTCHours()) + ":" + two(d.getUTCMinutes()) + " UTC";
  }

  /* The copy holds text the form lacks now: a text box it filled is empty here. A form the server sent
     back refused, with the text in it, has nothing to offer. */
  function lost(form, copy) {
    return copy.fields.some(function (field) {
      if (typeof field[1] !== "string" || !field[1].trim() || field.length > 2) return false;
      var el = form.elements.namedItem(field[0]);
      return el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT") && el.value === "";
    });
  }

  function restore(form, copy) {
    var first = null;
    copy.fields.forEach(function (field) {
      var list = form.querySelectorAll("[name]");
      Array.prototype.forEach.call(list, function (el) {
        if (el.name !== field[0] || !kept(el)) return;
        var type = (el.getAttribute("type") || "").toLowerCase();
        if (type === "checkbox" || type === "radio") {
          if (field.length > 2 && el.value === field[1]) el.checked = !!field[2];
        } else if (el.tagName === "SELECT" && Array.isArray(field[1])) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = field[1].indexOf(o.value) >= 0; });
        } else if (typeof field[1] === "string" && el.value === "") {
          el.value = field[1];
          if (!first && field[1]) first = el;
        }
      });
    });
    if (first) first.focus();
  }

  function offer(form, key, copy) {
    var box = document.createElement("div");
    box.className = "alert alert--warning draft-offer";
    box.setAttribute("role", "status");
    var when = utc(copy.at);
    var outcome = !copy.sent ? ". " : copy.refused ? " got the answer \u201c" + copy.refused + "\u201d from the editor. " :
      " got no answer from the editor. ";
    var text = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = "Not saved: ";
    text.appendChild(strong);
    text.appendChild(document.createTextNode(
      (copy.sent ? "what you sent from this form at " : "what you typed in this form at ") + when + outcome +
      "It is still in this tab."));
    var row = document.createElement("p");
    row.className = "button-row";
    var again = document.createElement("button");
    again.type = "button";
    again.className = "button button--primary button--small";
    again.textContent = "Restore it";
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button button--small";
    drop.textContent = "Discard";
    row.appendChild(again);
    row.appendChild(drop);
    box.appendChild(text);
    box.appendChild(row);
    again.addEventListener("click", function () {
      box.remove();
      restore(form, copy);
    });
    drop.addEventListener("click", function () {
      store.removeItem(key);
      box.remove();
      var target = form.querySelector("textarea");
      if (target) target.focus();
    });
    form.parentNode.insertBefore(box, form);
  }

  tidy();
  Array.prototype.forEach.call(document.forms, function (form) {
    if (!drafted(form)) return;
    var key = keyOf(form);
    var copy = read(key);
    if (copy && copy.who === owner && lost(form, copy)) offer(form, key, copy);
  });

  var pending = null;
  var sending = false;
  /* The last keystrokes before the page is left (a link, the tab closed) are kept too. */
  window.addEventListener("pagehide", function () {
    window.clearTimeout(pending);
    if (sending) return;
    Array.prototype.forEach.call(document.forms, function (form) { if (drafted(form)) save(form, false); });
  });
  document.addEventListener("input", function (event) {
    var form = event.target && event.target.form;
    if (!drafted(form)) return;
    window.clearTimeout(pending);
    pending = window.setTimeout(function () { save(form, false); }, 400);
  });
  document.addEventListener("change", function (event) {
    var form = event.target && event.target.form;
    if (drafted(form)) save(form, false);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!drafted(form)) return;
    window.clearTimeout(pending);
    sending = true;
    window.setTimeout(function () { if (event.defaultPrevented) sending = false; }, 0);
    var name = save(form, true);
    if (!name) return;
    var field = form.querySelector('input[name="' + FIELD + '"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = FIELD;
      form.appendChild(field);
    }
    field.value = name;
  }, true);
})();
