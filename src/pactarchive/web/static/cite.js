/* The Cite box of /passage/<ref>: choose a citation style, copy the permalink, the citation
   or the quotation with its citation. Without JavaScript every format stays on the page and
   these controls stay hidden; with it, only the chosen format is shown. Nothing is fetched. */
(function () {
  "use strict";
  var box = document.querySelector(".cite-box");
  if (!box) { return; }
  var controls = box.querySelector(".cite-controls");
  var select = box.querySelector("#cite-style");
  var status = box.querySelector(".cite-status");
  var KEY = "pactarchive.citeStyle";
  var QUOTABLE = ["chicago", "mla", "apa"];
  // the messages in the UI language: base.html carries them in <body data-ui-messages>
  var MSG = JSON.parse(document.body.getAttribute("data-ui-messages") || "{}");
  function msg(key, fallback, style) {
    return (MSG[key] || fallback).replace("%(style)s", style || "");
  }

  function section(style) {
    return box.querySelector('.cite-format[data-style="' + style + '"]');
  }

  function label(style) {
    return select.querySelector('option[value="' + style + '"]').textContent;
  }

  function show(style) {
    box.querySelectorAll(".cite-format").forEach(function (s) {
      s.hidden = s.getAttribute("data-style") !== style;
    });
  }

  function what(kind) {
    var style = select.value;
    if (kind === "permalink") {
      return { text: box.getAttribute("data-permalink"), message: msg("permalink_copied", "Permalink copied.") };
    }
    if (kind === "quotation") {
      var q = QUOTABLE.indexOf(style) >= 0 ? style : "chicago";
      return { text: section(q).getAttribute("data-quotation"),
               message: msg("quotation_copied", "Quotation with citation copied (%(style)s).", label(q)) };
    }
    return { text: section(style).querySelector(".cite-text").textContent,
             message: msg("citation_copied", "Citation copied (%(style)s).", label(style)) };
  }

  function copyFallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyFallback(text); });
    }
    return copyFallback(text);
  }

  function announce(message, failed) {
    status.textContent = "";  // cleared first, so that the same message is announced again
    status.classList.toggle("failed", !!failed);
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  box.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var item = what(button.getAttribute("data-copy"));
      copy(item.text).then(function () { announce(item.message); }, function () {
        announce(msg("copy_refused", "Could not copy: your browser refused. Select the text below and copy it by hand."), true);
      });
    });
  });

  select.addEventListener("change", function () {
    show(select.value);
    try { window.localStorage.setItem(KEY, select.value); } catch (e) { /* private mode */ }
  });

  var saved = null;
  try { saved = window.localStorage.getItem(KEY); } catch (e) { saved = null; }
  if (saved && section(saved)) { select.value = saved; }
  controls.hidden = false;
  box.classList.add("enhanced");
  show(select.value);
}());
