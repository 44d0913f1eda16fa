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
