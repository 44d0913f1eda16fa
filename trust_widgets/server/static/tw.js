// Quick exit: leave at once. location.replace swaps this page's history entry for the
// neutral page, so Back skips this page (earlier workshop pages stay in the history; the
// welcome page says so).
(function () {
  "use strict";
  function leave(url) {
    try { document.title = "New tab"; document.body.style.visibility = "hidden"; } catch (e) {}
    try { window.sessionStorage.clear(); } catch (e) {} // words kept by a paused page, too
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

// A page whose kernel has stopped. The server stops a page's kernel after a while without
// any use (and when the room needs the memory), so the page asks now and then whether its
// kernel is still there. If not, it says so calmly, keeps what was typed in this tab
// (sessionStorage, for this page only), and a tap reloads the page and puts the words back.
// Quick exit forgets those words at once (see leave() above).
(function () {
  "use strict";
  var EVERY_MS = 15000;
  var KEEP_MS = 3600000; // words kept for an hour at most
  // By the address on show: pages change in place, and a reload comes back to this one.
  function key() { return "tw-paused:" + window.location.pathname; }
  var paused = false;
  // Leaving the page, Voila shuts its kernel down at once (a beacon on beforeunload), while
  // the next page may take a while to come in a busy room: the old page must not then say
  // that it paused. Back to it from the browser's cache, it asks again.
  var leaving = false;

  function kernelId() {
    var node = document.getElementById("jupyter-config-data");
    if (!node) { return null; }
    try { return JSON.parse(node.textContent).kernelId || null; } catch (e) { return null; }
  }

  function apiBase() {
    var base = document.body && document.body.getAttribute("data-base-url");
    return base ? base.replace(/voila\/$/, "") : "/";
  }

  function fieldKey(node) {
    var box = node.closest("[class*='tw-']");
    if (!box) { return null; }
    var names = Array.prototype.filter.call(box.classList, function (c) {
      return c.indexOf("tw-") === 0 && c !== "tw-field";
    });
    return names.length ? names.sort().join(" ") : null;
  }

  function fields() {
    var cells = document.getElementById("rendered_cells");
    if (!cells) { return []; }
    return Array.prototype.slice.call(cells.querySelectorAll("textarea, input[type='text']"));
  }

  function keepWords() {
    var kept = [];
    var seen = {};
    fields().forEach(function (node) {
      var name = fieldKey(node);
      if (!name || !node.value) { return; }
      seen[name] = (seen[name] || 0) + 1;
      kept.push({ name: name, nth: seen[name], value: node.value });
    });
    try {
      if (kept.length) {
        window.sessionStorage.setItem(key(), JSON.stringify({ at: Date.now(), fields: kept }));
      }
    } catch (e) {} // no storage: the notice still says to reload
  }

  function savedWords() {
    var saved = null;
    try { saved = JSON.parse(window.sessionStorage.getItem(key()) || "null"); } catch (e) {}
    if (saved && Date.now() - saved.at > KEEP_MS) { forget(); return null; }
    return saved;
  }

  function forget() {
    try { window.sessionStorage.removeItem(key()); } catch (e) {}
  }

  // Put kept words back into the fields they came from; true once every one found its field.
  function restoreWords(saved) {
    var seen = {};
    var left = saved.fields.filter(function (f) { return !f.done; });
    fields().forEach(function (node) {
      var name = fieldKey(node);
      if (!name) { return; }
      seen[name] = (seen[name] || 0) + 1;
      left.forEach(function (f) {
        if (!f.done && f.name === name && f.nth === seen[name]) {
          f.done = true;
          if (!node.value) {
            node.value = f.value;
            node.dispatchEvent(new Event("input", { bubbles: true })); // the widget hears it
            saved.back = (saved.back || 0) + 1;
          }
        }
      });
    });
    return saved.fields.every(function (f) { return f.done; });
  }

  function note(text, cls) {
    var box = document.createElement("div");
    box.className = "tw-notice " + cls;
    box.setAttribute("role", "status");
    box.appendChild(document.createTextNode(text));
    var main = document.getElementById("tw-main") || document.body;
    main.insertBefore(box, main.firstChild);
    return box;
  }

  function pause() {
    if (paused) { return; }
    paused = true;
    keepWords();
    var box = note("This page paused because it was not used for a while. Nothing you saved is " +
      "lost, and what you typed is kept. ", "tw-paused");
    var again = document.createElement("button");
    again.type = "button";
    again.className = "tw-continue tw-resume";
    again.textContent = "Tap to continue";
    again.addEventListener("click", function () { window.location.reload(); });
    box.appendChild(again);
    again.focus();
  }

  function check() {
    var id = kernelId();
    if (paused || leaving || !id || document.visibilityState === "hidden") { return; }
    window.fetch(apiBase() + "api/kernels/" + id, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (!leaving && (r.status === 404 || r.status === 403)) { pause(); }
      })
      .catch(function () {}); // the server may be restarting: ask again later
  }

  function start() {
    if (!kernelId()) { return; } // a plain page: no kernel to lose
    window.setInterval(check, EVERY_MS);
    document.addEventListener("visibilitychange", check);
    window.addEventListener("online", check);
    window.addEventListener("beforeunload", function () { leaving = true; });
    window.addEventListener("pageshow", function (e) {
      if (e.persisted) { leaving = false; check(); }
    });
    var saved = savedWords();
    if (!saved) { return; }
    // The page's widgets render a little at a time: try as they come, for a while.
    var until = Date.now() + 20000;
    var observer = new MutationObserver(function () {
      if (restoreWords(saved) || Date.now() > until) {
        observer.disconnect();
        forget();
        if (saved.back) { note("What you typed before the pause is back.", "tw-restored"); }
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// In-page navigation (trust_widgets/navigation.py): one kernel serves the whole visit. A
// click on a link to another partner page, and the browser's back and forward, write the
// page into the app's hidden route field; the kernel swaps the page in place. The address
// bar follows with history.pushState, so each page keeps its own address for reload and
// bookmarks. Anything else (another server, a query, a new tab, a page that needs a
// renderer this page lacks) stays a plain link.
(function () {
  "use strict";
  var shown = null; // the page element on show, to tell when the next one has come

  function cells() { return document.getElementById("rendered_cells"); }
  function marker() { var c = cells(); return c && c.querySelector(".tw-here"); }
  function field() { var c = cells(); return c && c.querySelector(".tw-route input"); }

  function routes() {
    var m = marker();
    return m ? (m.getAttribute("data-routes") || "").split(" ") : [];
  }

  function renderPrefix() {
    var base = document.body && document.body.getAttribute("data-base-url");
    return (base || "/voila/") + "render/";
  }

  // The partner page a URL names, if this kernel can show it in place; otherwise null.
  function routeOf(href) {
    var url;
    try { url = new URL(href, window.location.href); } catch (e) { return null; }
    var prefix = renderPrefix();
    if (url.origin !== window.location.origin || url.search || url.hash ||
        url.pathname.indexOf(prefix) !== 0) { return null; }
    var name = url.pathname.slice(prefix.length);
    return routes().indexOf(name) >= 0 ? name : null;
  }

  function busy(on) {
    var main = document.getElementById("tw-main");
    if (main) { main.setAttribute("aria-busy", on ? "true" : "false"); }
    document.body.classList.toggle("tw-moving", on);
  }

  function ask(name) {
    var input = field();
    if (!input) { return false; }
    if (input.value === name) { // the same page again: a fresh build, as a reload would be
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    input.value = name;
    input.dispatchEvent(new Event("input", { bubbles: true })); // the widget hears it
    busy(true);
    return true;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) { return; }
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download") || !cells() ||
        !cells().contains(link)) { return; }
    var name = routeOf(link.getAttribute("href"));
    if (!name || !ask(name)) { return; }
    event.preventDefault();
    window.history.pushState({ tw: name }, "", renderPrefix() + name);
  });

  window.addEventListener("popstate", function (event) {
    var name = event.state && event.state.tw;
    if (!name) { return; } // not one of ours (a jump within the page)
    if (!ask(name)) { window.location.reload(); }
  });

  function arrived(page) {
    shown = page;
    busy(false);
    var m = marker();
    var path = m && m.getAttribute("data-path");
    if (!path) { return; }
    if (m.getAttribute("data-title")) { document.title = m.getAttribute("data-title"); }
    var here = renderPrefix() + path;
    if (window.location.pathname !== here) { window.history.replaceState({ tw: path }, "", here); }
    else if (!window.history.state || window.history.state.tw !== path) {
      window.history.replaceState({ tw: path }, "", window.location.href);
    }
    // Like a page load: start at the top, and a screen reader hears the new page.
    var heading = page.querySelector("h1, h2");
    if (heading && page !== first) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  }

  var first = null;
  function check() {
    var c = cells();
    var page = c && c.querySelector(".tw-app > .tw-page.tw-ready");
    if (!page || page === shown || !marker()) { return; }
    if (first === null) { first = page; }
    arrived(page);
  }

  // tw.js is a deferred script: the document is parsed by the time it runs.
  new MutationObserver(check).observe(document.body, { childList: true, subtree: true,
    attributes: true, attributeFilter: ["class"] });
  check();
})();

// Figures (trust_widgets/_plot_html.py): a .tw-plot element carries its figure's JSON, and
// plotly.js comes from the kit's own server the first time a figure is on screen, once per
// device (it is cached for a year). Pages without figures never load it.
(function () {
  "use strict";
  var loading = null;

  function plotly(version) {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var base = (document.body.getAttribute("data-base-url") || "/voila/")
          .replace(/voila\/$/, "");
        var script = document.createElement("script");
        script.src = base + "tw/plotly/plotly.min.js?v=" + encodeURIComponent(version);
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () { loading = null; reject(new Error("plotly.js")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function draw(node) {
    node.classList.add("tw-plotting");
    var figure;
    try { figure = JSON.parse(node.getAttribute("data-figure")); } catch (e) { return; }
    plotly(node.getAttribute("data-plotly") || "").then(function (Plotly) {
      var config = { displaylogo: false, responsive: true, displayModeBar: false };
      return Plotly.newPlot(node, figure.data || [], figure.layout || {}, config);
    }).then(function () {
      node.classList.add("tw-plotted");
    }).catch(function () {
      node.classList.remove("tw-plotting");
      node.textContent = "This chart could not be drawn. The words above say what it shows.";
    });
  }

  function check() {
    var nodes = document.querySelectorAll(".tw-plot:not(.tw-plotting)");
    for (var i = 0; i < nodes.length; i++) { draw(nodes[i]); }
  }

  new MutationObserver(check).observe(document.body, { childList: true, subtree: true });
  check(); // deferred: the document is parsed by now
})();
