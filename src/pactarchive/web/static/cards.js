/* pactarchive document page: a name's card in a dialog, fetched when a reader asks for it.
   Without JavaScript a name in the text links to its entry under "Names in this text", and the
   entry to the entity's full card (/read/entities/<id>). With it, a click on a name fetches that
   card with ?shown= this document (its mentions here then link into this page) and shows it in
   the dialog; a link in the card to a passage of this page closes the dialog. */
(function () {
  "use strict";
  var root = document.querySelector("article.document[data-doc]");
  var text = document.querySelector(".doc-text");
  var dialog = document.getElementById("entity-dialog");
  if (!root || !text || !dialog || typeof dialog.showModal !== "function" || !window.fetch) return;
  var LINKED = 'a[href^="#entity-"]';
  var cache = {};

  function show(card) {
    var copy = document.importNode(card, true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    var title = copy.querySelector(".card-title");
    if (title) title.id = "entity-dialog-title";
    copy.setAttribute("aria-labelledby", "entity-dialog-title");
    dialog.querySelector(".dialog-body").replaceChildren(copy);
    if (!dialog.open) dialog.showModal();
  }
  function open(id) {
    var entry = document.getElementById("entity-" + id);
    var link = entry && entry.querySelector("a[href]");
    if (!link) return false;
    if (cache[id]) { show(cache[id]); return true; }
    fetch(link.getAttribute("href") + "?shown=" + encodeURIComponent(root.dataset.doc), { headers: { "Accept": "text/html" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      }).then(function (html) {
        var card = new DOMParser().parseFromString(html, "text/html").querySelector(".entity-card");
        if (!card) throw new Error("no card");
        cache[id] = card;
        show(card);
      }).catch(function () { location.href = link.href; });
    return true;
  }
  text.querySelectorAll(LINKED).forEach(function (a) { a.setAttribute("aria-haspopup", "dialog"); });
  text.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest(LINKED);
    if (a && open(a.getAttribute("href").replace(/^#entity-/, ""))) e.preventDefault();
  });
  dialog.addEventListener("click", function (e) {
    if (e.target === dialog) { dialog.close(); return; }  // a click on the backdrop
    var link = e.target.closest && e.target.closest('a[href^="#"]');
    if (link) dialog.close();
  });
})();
