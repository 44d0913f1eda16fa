// Quick exit: leave at once. location.replace swaps this page's history entry for the
// neutral page, so Back skips this page (earlier workshop pages stay in the history; the
// welcome page says so).
(function () {
  "use strict";
  function leave(url) {
    try { document.title = "New tab"; document.body.style.visibility = "hidden"; } catch (e) {}
    window.location.replace(url);
  }
  function awayUrl() {
    var link = document.querySelector(".tw-quick-exit");
    return (link && link.getAttribute("data-away")) || "/tw/away";
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".tw-quick-exit");
    if (link) { event.preventDefault(); leave(awayUrl()); }
  }, true);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 800) { leave(awayUrl()); }
    lastEscape = now;
  }, true);
})();

// A page whose widgets did not come back from the kernel. Under load, ipywidgets' front end
// can give up on a page's widget a moment too early and leave "Error displaying widget:
// model not found" for good (jupyter-widgets/ipywidgets#4026). Nothing was shown or typed
// yet, so reload the page once; if that fails too, say so calmly instead of the raw error.
(function () {
  "use strict";
  var FAILED = "Error displaying widget: model not found";
  var AGAIN_MS = 60000; // one automatic reload per page a minute: never a reload loop
  var key = "tw-reloaded:" + window.location.pathname;

  function remember(now) {
    try {
      var last = Number(window.sessionStorage.getItem(key) || 0);
      if (now - last < AGAIN_MS) { return false; }
      window.sessionStorage.setItem(key, String(now));
      return true;
    } catch (e) {
      return false; // no storage (a private window may refuse it): no way to avoid a loop
    }
  }

  function notice(node) {
    var box = document.createElement("div");
    box.className = "tw-notice tw-reload-notice";
    box.setAttribute("role", "status");
    box.appendChild(document.createTextNode("This page did not load properly. "));
    var link = document.createElement("a");
    link.className = "tw-reload";
    link.href = window.location.href;
    link.textContent = "Please reload it";
    box.appendChild(link);
    box.appendChild(document.createTextNode(". Anything you saved before is kept."));
    node.textContent = "";
    node.appendChild(box);
  }

  function failedNode(cells) {
    var nodes = cells.querySelectorAll(".jupyter-widgets");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].textContent.trim() === FAILED) { return nodes[i]; }
    }
    return null;
  }

  function check(observer) {
    var cells = document.getElementById("rendered_cells");
    if (!cells) { return; }
    if (cells.querySelector(".tw-page")) { observer.disconnect(); return; } // the page is up
    var node = failedNode(cells);
    if (!node) { return; }
    observer.disconnect();
    if (remember(Date.now())) {
      console.warn("tw: the page's widgets did not load; reloading the page once");
      window.location.reload();
    } else {
      notice(node);
    }
  }

  function watch() {
    var observer = new MutationObserver(function () { check(observer); });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    check(observer);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
