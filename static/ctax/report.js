// ctaxoffice reports: progress of CSV exports, the statement's print button.
// No inline script and no eval: loaded with the page's CSP nonce.
(function () {
  "use strict";

  var COOKIE = "ctax_export";
  var POLL_MS = 400;
  var SLOW_MS = 20000;
  var GIVE_UP_MS = 120000;

  function randomToken() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function cookieValue(name) {
    var found = document.cookie.split("; ").filter(function (part) { return part.indexOf(name + "=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
  }

  function forgetCookie() {
    document.cookie = COOKIE + "=; Max-Age=0; Path=/; SameSite=Lax";
  }

  function say(status, text, busy) {
    status.textContent = "";
    if (busy) {
      var spinner = document.createElement("span");
      spinner.className = "spinner";
      spinner.setAttribute("aria-hidden", "true");
      status.appendChild(spinner);
    }
    status.appendChild(document.createTextNode(text));
  }

  // The server answers an export with a cookie holding our token once the file starts
  // to stream: only then do we say the download has started (the browser shows the rest).
  function watchExport(link, status, token) {
    var started = Date.now();
    var slowSaid = false;
    link.setAttribute("aria-busy", "true");
    say(status, "Preparing your export…", true);
    var timer = window.setInterval(function () {
      var waited = Date.now() - started;
      if (cookieValue(COOKIE) === token) {
        window.clearInterval(timer);
        forgetCookie();
        link.removeAttribute("aria-busy");
        say(status, "Your download has started; your browser shows its progress.", false);
      } else if (waited > GIVE_UP_MS) {
        window.clearInterval(timer);
        link.removeAttribute("aria-busy");
        say(status, "The export has not started. Please try again.", false);
      } else if (waited > SLOW_MS && !slowSaid) {
        slowSaid = true;
        say(status, "Still preparing your export… the customer service is slow to answer.", true);
      }
    }, POLL_MS);
  }

  function setupExports() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-export-status]") : null;
      if (!link || event.defaultPrevented || event.button !== 0) return;
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      var status = document.getElementById(link.getAttribute("data-export-status"));
      if (!status || !window.crypto || !window.URL) return;
      event.preventDefault();
      var token = randomToken();
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("export_token", token);
      forgetCookie();
      watchExport(link, status, token);
      window.location.assign(url.toString());
    });
  }

  function setupPrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function init() {
    setupExports();
    setupPrintButtons();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
