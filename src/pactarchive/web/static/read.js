/* pactarchive reading view: small enhancements of a page that works without JavaScript.
   - display options (reading, names, show) apply at once and stay in the URL;
   - hovering or focusing a sentence highlights its counterparts; activating it (click, Enter,
     or focusing it while the texts scroll side by side) brings them into view;
   - ↑/↓ move between sentences, ←/→ jump to the counterpart (one tab stop per text);
   - the two panes scroll in step, anchored on aligned sentences (switchable);
   - /read?at=REF and #REF open at a passage and highlight it;
   - a name opens its card in a dialog; hovering a name highlights it in both texts. */
(function () {
  "use strict";
  var root = document.getElementById("read");
  var parallel = document.getElementById("parallel");
  if (!root || !parallel) return;
  var panes = Array.prototype.slice.call(parallel.querySelectorAll(".pane"));
  var dialog = document.getElementById("entity-dialog");
  /* a name in the texts: a link to its entity, or (names plain) a span with data-entity */
  var LINKED = 'a[href^="#entity-"]', MENTION = LINKED + ", [data-entity]";
  var state = { sync: true, driver: null, pinned: null, active: [] };

  function byRef(ref) { return ref ? document.getElementById(ref) : null; }
  function paneOf(el) { return el && el.closest ? el.closest(".pane") : null; }
  function otherPane(pane) { return panes[0] === pane ? panes[1] : panes[0]; }
  function leafOf(el) { return el && el.closest ? el.closest(".passage.leaf") : null; }
  function counterparts(p) {
    return (p && p.dataset.aligned ? p.dataset.aligned.split(" ") : []).map(byRef).filter(Boolean);
  }
  function scrolling(pane) {  // are the texts in side-by-side scroll panes (wide screens)?
    return !!pane && getComputedStyle(pane).overflowY === "auto" && pane.scrollHeight > pane.clientHeight;
  }

  /* the options take a whole small screen: fold them there (the summary says what is shown) */
  var panel = root.querySelector(".read-panel");
  if (panel && window.matchMedia("(max-width: 37.5em)").matches) panel.open = false;

  /* -- display options ------------------------------------------------------------------- */
  var OPTIONS = { reading: ["edited", "received"], names: ["on", "off"], show: ["both", "left", "right"] };
  function applyOption(name, value) {
    OPTIONS[name].forEach(function (v) { parallel.classList.toggle(name + "-" + v, v === value); });
    if (name === "names") {
      parallel.querySelectorAll(LINKED).forEach(function (a) {
        if (value === "off") a.setAttribute("tabindex", "-1"); else a.removeAttribute("tabindex");
      });
    }
    var url = new URL(location.href);
    url.searchParams.set(name, value);
    history.replaceState(history.state, "", url);
    root.querySelectorAll('.read-controls input[type=hidden][name="' + name + '"]').forEach(function (i) { i.value = value; });
    updateSwap(name, value);
  }
  function updateSwap(name, value) {
    var swap = root.querySelector(".swap");
    if (!swap) return;
    var url = new URL(swap.href);
    url.searchParams.set(name, value);
    swap.href = url;
  }
  root.querySelectorAll(".read-controls fieldset[data-option] input").forEach(function (input) {
    input.addEventListener("change", function () { applyOption(input.name, input.value); });
  });

  /* -- scroll in step ------------------------------------------------------------------------- */
  var syncBox = document.getElementById("sync");
  if (syncBox && panes.length === 2) {
    syncBox.closest(".js-only").hidden = false;
    try { state.sync = localStorage.getItem("pactarchive.sync") !== "off"; } catch (e) { /* private mode */ }
    syncBox.checked = state.sync;
    syncBox.addEventListener("change", function () {
      state.sync = syncBox.checked;
      try { localStorage.setItem("pactarchive.sync", state.sync ? "on" : "off"); } catch (e) { /* ignore */ }
      if (state.sync && state.driver) follow(state.driver);
    });
  }
  function firstVisibleAligned(pane) {
    var top = pane.getBoundingClientRect().top, bottom = top + pane.clientHeight;
    var leaves = pane.querySelectorAll(".passage.leaf");
    for (var i = 0; i < leaves.length; i++) {
      var r = leaves[i].getBoundingClientRect();
      if (r.bottom <= top + 2) continue;
      if (r.top >= bottom) break;
      if (counterparts(leaves[i]).length) return leaves[i];
    }
    return null;
  }
  function align(src, target, dst) {  // scroll dst so that target sits level with src
    var offset = src.getBoundingClientRect().top - paneOf(src).getBoundingClientRect().top;
    var delta = target.getBoundingClientRect().top - dst.getBoundingClientRect().top - offset;
    dst.scrollTop += delta;
  }
  function follow(pane) {
    var dst = otherPane(pane);
    if (!state.sync || !dst || !scrolling(pane)) return;
    var anchor = firstVisibleAligned(pane);
    var target = anchor && counterparts(anchor).filter(function (t) { return dst.contains(t); })[0];
    if (target) align(anchor, target, dst);
  }
  panes.forEach(function (pane) {
    ["wheel", "touchstart", "pointerdown", "keydown", "focusin"].forEach(function (type) {
      pane.addEventListener(type, function () { state.driver = pane; }, { passive: true });
    });
    var queued = false;
    pane.addEventListener("scroll", function () {
      if (state.driver !== pane || queued) return;  // programmatic scrolls of the other pane are not followed
      queued = true;
      requestAnimationFrame(function () { queued = false; follow(pane); });
    }, { passive: true });
  });

  /* -- linked sentences ------------------------------------------------------------------------ */
  function clearActive() {
    state.active.forEach(function (el) { el.classList.remove("is-active", "is-linked"); });
    state.active = [];
  }
  function highlight(p) {
    clearActive();
    if (!p) return;
    p.classList.add("is-active");
    state.active.push(p);
    counterparts(p).forEach(function (c) { c.classList.add("is-linked"); state.active.push(c); });
  }
  function reveal(p, force) {  // bring the counterparts of p into view
    var cps = counterparts(p), pane = paneOf(p), dst = otherPane(pane);
    if (!cps.length || !dst) return;
    if (scrolling(pane)) {
      var target = cps.filter(function (t) { return dst.contains(t); })[0];
      if (target) align(p, target, dst);
    } else if (force) {
      cps[0].scrollIntoView({ block: "center" });
    }
  }
  parallel.addEventListener("mouseover", function (e) {
    var p = leafOf(e.target);
    if (p && !state.pinned) highlight(p);
  });
  parallel.addEventListener("mouseleave", function () { if (!state.pinned) clearActive(); });
  parallel.addEventListener("focusin", function (e) {
    var p = leafOf(e.target);
    state.pinned = null;
    highlight(p);
    if (p) reveal(p, false);
  });
  parallel.addEventListener("click", function (e) {
    if (e.target.closest("a, button, input, select")) return;
    var p = leafOf(e.target);
    if (!p) return;
    state.pinned = p;
    highlight(p);
    reveal(p, true);
  });

  /* roving focus: one tab stop per text; arrows move between sentences */
  panes.forEach(function (pane) {
    var leaves = pane.querySelectorAll(".passage.leaf");
    leaves.forEach(function (p, i) { p.setAttribute("tabindex", i === 0 ? "0" : "-1"); });
  });
  function moveTo(p) {
    if (!p) return;
    paneOf(p).querySelectorAll(".passage.leaf[tabindex='0']").forEach(function (q) { q.setAttribute("tabindex", "-1"); });
    p.setAttribute("tabindex", "0");
    p.focus({ preventScroll: false });
  }
  parallel.addEventListener("keydown", function (e) {
    var p = e.target.classList && e.target.classList.contains("leaf") ? e.target : null;
    if (!p || e.altKey || e.ctrlKey || e.metaKey) return;
    var leaves = Array.prototype.slice.call(paneOf(p).querySelectorAll(".passage.leaf"));
    var i = leaves.indexOf(p), handled = true;
    if (e.key === "ArrowDown") moveTo(leaves[i + 1]);
    else if (e.key === "ArrowUp") moveTo(leaves[i - 1]);
    else if (e.key === "Home") moveTo(leaves[0]);
    else if (e.key === "End") moveTo(leaves[leaves.length - 1]);
    else if (e.key === "ArrowRight" || e.key === "ArrowLeft") moveTo(counterparts(p)[0]);
    else if (e.key === "Enter" || e.key === " ") { state.pinned = p; highlight(p); reveal(p, true); }
    else handled = false;
    if (handled) e.preventDefault();
  });

  /* -- notes: folded in the reading view; a marker opens its note; printing opens them all -- */
  parallel.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest(".note-ref a");
    var note = a && byRef(a.getAttribute("href").slice(1));
    if (note && note.tagName === "DETAILS") note.open = true;
  });
  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = Array.prototype.slice.call(parallel.querySelectorAll("details.ed-note:not([open])"));
    folded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { folded.forEach(function (d) { d.open = false; }); });

  /* -- deep links: ?at=REF and #REF ------------------------------------------------------------- */
  function openAt(ref) {
    var p = byRef(ref);
    if (!p || !parallel.contains(p)) return;
    parallel.querySelectorAll(".is-target").forEach(function (q) { q.classList.remove("is-target"); });
    p.classList.add("is-target");
    var pane = paneOf(p);
    if (scrolling(pane)) {
      pane.scrollTop += p.getBoundingClientRect().top - pane.getBoundingClientRect().top - pane.clientHeight / 4;
      parallel.scrollIntoView({ block: "start" });
    } else {
      p.scrollIntoView({ block: "center" });
    }
    highlight(p.classList.contains("leaf") ? p : null);
    state.pinned = p;
    state.driver = pane;
    if (p.classList.contains("leaf")) reveal(p, false); else follow(pane);
  }
  function fromHash() {
    var h = decodeURIComponent(location.hash.slice(1));
    return h && byRef(h) && parallel.contains(byRef(h)) ? h : null;
  }
  window.addEventListener("hashchange", function () { var h = fromHash(); if (h) openAt(h); });
  var start = fromHash() || root.dataset.at;
  if (start) requestAnimationFrame(function () { openAt(start); });

  /* -- names: the card in a dialog; hover highlights the same entity in both texts ------------------- */
  /* a mention names its entity in its link (#entity-ID), or in data-entity when not a link */
  function entityOf(a) { return a.dataset.entity || (a.getAttribute("href") || "").replace(/^#entity-/, ""); }
  function sameEntity(id, on) {
    parallel.querySelectorAll(MENTION).forEach(function (a) { if (entityOf(a) === id) a.classList.toggle("same-entity", on); });
  }
  ["mouseover", "focusin"].forEach(function (type) {
    parallel.addEventListener(type, function (e) {
      var a = e.target.closest && e.target.closest(MENTION);
      if (a) sameEntity(entityOf(a), true);
    });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    parallel.addEventListener(type, function (e) {
      var a = e.target.closest && e.target.closest(MENTION);
      if (a) sameEntity(entityOf(a), false);
    });
  });
  /* The cards are not in the page (issue 10: a page does not grow with its names): the entry
     under "Names in these texts" links to the full card; the dialog fetches that card with
     ?shown= the two documents, so its mentions link into this page. */
  var cardCache = {};
  /* ⇄ "cite both sides" after the ref of every aligned passage (shown on hover and focus) */
  parallel.querySelectorAll(".passage[data-aligned]").forEach(function (p) {
    var refs = p.querySelector(":scope > .refs"), link = refs && refs.querySelector("a.ref");
    if (!link) return;
    var a = document.createElement("a");
    a.className = "cite-both";
    a.href = link.getAttribute("href") + "?with=aligned";
    a.setAttribute("aria-label", (root.dataset.citeWith || "cite with %(refs)s").replace("%(refs)s", p.dataset.aligned.split(" ").join(", ")));
    a.textContent = "⇄";
    refs.appendChild(a);
  });
  /* a date's or quantity's normalised value: said to screen readers in the text, shown as its tooltip */
  parallel.querySelectorAll(".normalised > .vh:last-child").forEach(function (vh) {
    vh.parentNode.title = vh.textContent.trim().replace(/^\((.*)\)$/, "$1");
  });
  /* each mention's tooltip, "Place: Estonia", from the name index (not repeated in every mention) */
  parallel.querySelectorAll(MENTION).forEach(function (a) {
    var entry = document.getElementById("entity-" + entityOf(a));
    var name = entry && entry.querySelector("a"), kind = entry && entry.parentNode.previousElementSibling;
    if (name && kind) a.title = kind.textContent + ": " + name.textContent;
  });
  function showCard(card) {
    var copy = document.importNode(card, true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    var title = copy.querySelector(".card-title");
    if (title) title.id = "entity-dialog-title";
    copy.setAttribute("aria-labelledby", "entity-dialog-title");
    dialog.querySelector(".dialog-body").replaceChildren(copy);
    if (!dialog.open) dialog.showModal();
  }
  function openCard(id, opener) {
    var entry = document.getElementById("entity-" + id);
    var link = entry && entry.querySelector("a[href]");
    if (!dialog || !link || typeof dialog.showModal !== "function" || !window.fetch) return false;
    if (cardCache[id]) { showCard(cardCache[id]); return true; }
    var url = link.getAttribute("href") + "?shown=" + encodeURIComponent(root.dataset.left + "," + root.dataset.right);
    fetch(url, { headers: { "Accept": "text/html" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (text) {
      var card = new DOMParser().parseFromString(text, "text/html").querySelector(".entity-card");
      if (!card) throw new Error("no card");
      cardCache[id] = card;
      showCard(card);
    }).catch(function () { location.href = link.href; });
    return true;
  }
  parallel.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest(LINKED);
    if (a && !parallel.classList.contains("names-off") && openCard(entityOf(a), a)) e.preventDefault();
  });
  if (dialog) {
    parallel.querySelectorAll(LINKED).forEach(function (a) { a.setAttribute("aria-haspopup", "dialog"); });
    dialog.addEventListener("click", function (e) {
      if (e.target === dialog) { dialog.close(); return; }  // a click on the backdrop
      var link = e.target.closest && e.target.closest('a[href^="#"]');
      if (link) dialog.close();
    });
  }
})();
