// The facilitator link carries its key after "#", which browsers never send to a server.
// Move it into the form, drop it from the address bar and history, and post it.
(function () {
  "use strict";
  var key = window.location.hash.slice(1);
  if (!key) { return; }
  history.replaceState(null, "", window.location.pathname);
  var form = document.querySelector(".tw-facilitate-form");
  form.querySelector("input[name=key]").value = decodeURIComponent(key);
  form.submit();
})();
