/* Triage keys: j / k move between candidates, a / m / d put focus on the current candidate's
   accept button, merge choice (the ticked claim, or the first when none is) or dismiss reason; Enter then submits
   that form, a merge only once a claim is chosen.
   The page works fully without this file; it submits nothing by itself. */
(function () {
  "use strict";

  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-candidate]"));
  if (!cards.length) return;
  var current = -1;

  /* Turned off in the "?" dialog (editor.js keeps the choice under this key). */
  function keysOff() {
    try { return window.localStorage.getItem("tracker.shortcuts-off") === "1"; } catch (e) { return false; }
  }

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function select(index, scroll) {
    index = Math.max(0, Math.min(cards.length - 1, index));
    if (current >= 0) cards[current].classList.remove("is-current");
    current = index;
    var card = cards[current];
    card.classList.add("is-current");
    if (scroll) {
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: "start" });
    }
  }

  function act(selector) {
    if (current < 0) select(0, true);
    return cards[current].querySelector(selector);
  }

  /* "#last": k on the first card of the page after this one came back here, to the card before it. */
  var start = location.hash === "#last" ? cards.length - 1
    : location.hash ? cards.findIndex(function (c) { return "#" + c.id === location.hash; }) : -1;
  select(start < 0 ? 0 : start, false);

  /* A decision reopens the queue at the next candidate, maybe far down the page: its message ("Dismissed: ...",
     "Accepted as claim 12 ...") goes on that card, where the reporter lands, not at the top out of sight. */
  var flashes = document.querySelector(".flashes");
  if (flashes && start >= 0 && location.hash !== "#last") {
    flashes.classList.add("flashes--on-card");
    cards[start].insertBefore(flashes, cards[start].firstChild);
    cards[start].scrollIntoView({ block: "start" });
  }

  /* j past the last card opens the next page, k before the first the previous one (at its last card). */
  function turn(rel, hash) {
    var link = document.querySelector('.pager a[rel="' + rel + '"]');
    if (!link) return false;
    location.href = link.href.split("#")[0] + hash;
    return true;
  }

  cards.forEach(function (card, index) {
    card.addEventListener("focusin", function () { if (index !== current) select(index, false); });
  });

  /* Enter on a merge choice while none is ticked and no number is given: nothing to merge into, so nothing is sent
     (the server would only refuse it). The Merge button still sends, and is told what is missing. */
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !target || target.name !== "claim_id") return;
    var form = target.form;
    if (!form.querySelector('input[name="claim_id"]:checked') && !form.elements.claim_ref.value.trim()) {
      event.preventDefault();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || keysOff()) return;
    var el;
    switch (event.key) {
      case "j":
        if (current !== cards.length - 1 || !turn("next", "")) select(current + 1, true);
        event.preventDefault();
        break;
      case "k":
        if (current !== 0 || !turn("prev", "#last")) select(current - 1, true);
        event.preventDefault();
        break;
      case "a":
        el = act('[data-action="accept"]');
        if (el) { event.preventDefault(); el.focus(); }
        break;
      case "m": {
        var form = act(".triage-form--merge");
        if (!form) break;
        event.preventDefault();
        var radios = form.querySelectorAll('input[name="claim_id"]');
        if (radios.length) {
          /* Focus on the ticked claim itself, so it is read out (and the arrows change it) before Enter merges.
             Only a close suggestion comes ticked: otherwise focus is on the first, unticked, and Enter merges
             nothing until Space or an arrow chooses one. */
          (form.querySelector('input[name="claim_id"]:checked') || radios[0]).focus();
        } else {
          form.querySelector('input[name="claim_ref"]').focus();
        }
        break;
      }
      case "d":
        el = act('[data-action="dismiss"]');
        if (el) { event.preventDefault(); el.focus(); }
        break;
      default: break;
    }
  });
})();
