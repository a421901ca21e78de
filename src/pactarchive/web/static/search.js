// Search page enhancement (the page works fully without it): long facet lists show their
// first entries and a button that reveals the rest.
(function () {
  "use strict";
  var SHOWN = 6;
  // the messages in the UI language: base.html carries them in <body data-ui-messages>
  var MSG = JSON.parse(document.body.getAttribute("data-ui-messages") || "{}");
  function showAll(n) { return (MSG.show_all || "Show all %(n)s").replace("%(n)s", n); }
  document.querySelectorAll("ul.facet").forEach(function (list, n) {
    var items = list.querySelectorAll("li");
    if (items.length <= SHOWN + 2) return;
    if (!list.id) list.id = "facet-list-" + n;
    var hidden = Array.prototype.slice.call(items, SHOWN).filter(function (li) {
      return !li.querySelector("[aria-current]");
    });
    hidden.forEach(function (li) { li.hidden = true; });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "facet-more";
    button.setAttribute("aria-controls", list.id);
    button.setAttribute("aria-expanded", "false");
    button.textContent = showAll(items.length);
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      hidden.forEach(function (li) { li.hidden = open; });
      button.setAttribute("aria-expanded", String(!open));
      button.textContent = open ? showAll(items.length) : (MSG.show_fewer || "Show fewer");
    });
    list.insertAdjacentElement("afterend", button);
  });
})();
