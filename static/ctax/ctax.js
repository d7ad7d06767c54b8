// ctaxoffice behaviour: the quick-search combobox, htmx error notices, double-submit guard.
// No inline script and no eval: loaded with the page's CSP nonce.
(function () {
  "use strict";

  // --- Quick search: WAI-ARIA combobox with a listbox popup ---------------
  function setupQuickSearch() {
    var input = document.getElementById("quick-search-input");
    var results = document.getElementById("quick-search-results");
    if (!input || !results) return;
    var active = -1;

    function options() { return Array.prototype.slice.call(results.querySelectorAll("[role=option]")); }
    function isOpen() { return input.getAttribute("aria-expanded") === "true"; }
    function setOpen(open) {
      input.setAttribute("aria-expanded", open ? "true" : "false");
      results.hidden = !open;
      if (!open) setActive(-1);
    }
    function setActive(index) {
      var opts = options();
      active = index;
      opts.forEach(function (opt, i) { opt.setAttribute("aria-selected", i === index ? "true" : "false"); });
      if (index >= 0 && opts[index]) {
        input.setAttribute("aria-activedescendant", opts[index].id);
        opts[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    results.addEventListener("htmx:afterSwap", function () {
      active = -1;
      input.removeAttribute("aria-activedescendant");
      setOpen(results.innerHTML.trim() !== "" && input.value.trim().length >= 2);
    });
    input.addEventListener("input", function () {
      if (input.value.trim().length < 2) { results.innerHTML = ""; setOpen(false); }
    });
    input.addEventListener("keydown", function (event) {
      var opts = options();
      switch (event.key) {
        case "ArrowDown":
          if (!opts.length) return;
          event.preventDefault();
          if (!isOpen()) setOpen(true);
          setActive(active < opts.length - 1 ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!opts.length) return;
          event.preventDefault();
          if (!isOpen()) setOpen(true);
          setActive(active > 0 ? active - 1 : opts.length - 1);
          break;
        case "Enter":
          if (isOpen() && active >= 0 && opts[active]) {
            event.preventDefault();
            window.location.assign(opts[active].getAttribute("data-href"));
          }
          break;
        case "Escape":
          if (isOpen()) { event.preventDefault(); setOpen(false); }
          else if (input.value) { event.preventDefault(); input.value = ""; results.innerHTML = ""; }
          break;
      }
    });
    input.addEventListener("focus", function () {
      if (options().length) setOpen(true);
    });
    // Options contain no links (an option must hold no interactive content): a click opens one.
    results.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option][data-href]");
      if (option && results.contains(option)) window.location.assign(option.getAttribute("data-href"));
    });
    document.addEventListener("click", function (event) {
      if (!input.form.contains(event.target)) setOpen(false);
    });
    // "/" focuses the quick search from anywhere but a text field.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      var el = document.activeElement;
      var tag = el && el.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (el && el.isContentEditable)) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
    setOpen(false);
  }

  // --- htmx: busy state and network failures ------------------------------
  function setupHtmxNotices() {
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var target = event.detail.target;
      if (target) target.setAttribute("aria-busy", "true");
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var target = event.detail.target;
      if (target) target.removeAttribute("aria-busy");
    });
    function showFailure(event, message) {
      var target = event.detail.target;
      var template = document.getElementById("htmx-error-template");
      if (!target || !template) return;
      var notice = template.content.firstElementChild.cloneNode(true);
      notice.querySelector(".upstream-error-message").textContent = message;
      var button = notice.querySelector(".retry-button");
      var config = event.detail.requestConfig || {};
      if ((config.verb || "get").toLowerCase() === "get" && config.path) {
        button.addEventListener("click", function () {
          htmx.ajax("GET", config.path, { target: target, swap: "innerHTML", source: event.detail.elt });
        });
      } else {
        button.remove();
      }
      target.innerHTML = "";
      target.appendChild(notice);
      if (target.id === "quick-search-results") {
        document.getElementById("quick-search-input").setAttribute("aria-expanded", "true");
        target.hidden = false;
      }
    }
    document.body.addEventListener("htmx:sendError", function (event) {
      showFailure(event, "Could not reach ctaxoffice. Check the network connection and try again.");
    });
    document.body.addEventListener("htmx:timeout", function (event) {
      showFailure(event, "ctaxoffice took too long to answer. Please try again.");
    });
  }

  // --- A write form is sent once ------------------------------------------
  function setupDoubleSubmitGuard() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList || !form.classList.contains("prevent-double-submit")) return;
      if (form.dataset.submitting === "true") { event.preventDefault(); return; }
      form.dataset.submitting = "true";
      form.setAttribute("aria-busy", "true");
    });
    // Coming back with the back button: the form may be sent again.
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("form.prevent-double-submit").forEach(function (form) {
        delete form.dataset.submitting;
        form.removeAttribute("aria-busy");
      });
    });
  }

  function init() {
    setupQuickSearch();
    setupHtmxNotices();
    setupDoubleSubmitGuard();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
