// ctaxoffice behaviour: the quick-search combobox, the list's actions and keys, htmx notices,
// the double-submit guard. A module (deferred, strict); no inline script, no eval.
// Limits come from the page (data-* attributes set from Python), never restated here.

const isTyping = (el) =>
  !!el && (["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.isContentEditable);

// --- Quick search: WAI-ARIA combobox with a listbox popup --------------------------------
function setupQuickSearch() {
  const input = document.getElementById("quick-search-input");
  const results = document.getElementById("quick-search-results");
  if (!input || !results) return;
  const minChars = Number(input.dataset.minChars || 2);
  const recentUrl = input.dataset.recentUrl;
  let active = -1;

  const options = () => [...results.querySelectorAll("[role=option]")];
  const isOpen = () => input.getAttribute("aria-expanded") === "true";
  const setActive = (index) => {
    const opts = options();
    active = index;
    opts.forEach((opt, i) => opt.setAttribute("aria-selected", i === index ? "true" : "false"));
    if (index >= 0 && opts[index]) {
      input.setAttribute("aria-activedescendant", opts[index].id);
      opts[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  const setOpen = (open) => {
    input.setAttribute("aria-expanded", open ? "true" : "false");
    results.hidden = !open;
    if (!open) setActive(-1);
  };
  const clear = () => { results.innerHTML = ""; setOpen(false); };
  const offerRecent = () => {
    if (!recentUrl || input.value.trim() !== "" || !window.htmx) return;
    htmx.ajax("GET", recentUrl, { target: results, swap: "innerHTML", source: input });
  };

  // The recently viewed arriving after the user has typed: the search answers instead.
  results.addEventListener("htmx:beforeSwap", (event) => {
    const path = event.detail.requestConfig?.path || "";
    if (recentUrl && path.startsWith(recentUrl) && input.value.trim() !== "") {
      event.detail.shouldSwap = false;
    }
  });
  results.addEventListener("htmx:afterSwap", () => {
    active = -1;
    input.removeAttribute("aria-activedescendant");
    const recent = results.querySelector(".quick-search-recent");
    const value = input.value.trim();
    if (!recent && value === "" && document.activeElement === input) { offerRecent(); return; }
    setOpen(results.innerHTML.trim() !== "" && (recent ? document.activeElement === input : value.length >= minChars));
  });
  input.addEventListener("input", () => {
    const value = input.value.trim();
    if (value.length < minChars) clear();  // emptied: the search's empty answer brings the recent
  });
  input.addEventListener("keydown", (event) => {
    const opts = options();
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
          window.location.assign(opts[active].dataset.href);
        }
        break;
      case "Escape":
        if (isOpen()) { event.preventDefault(); setOpen(false); }
        else if (input.value) { event.preventDefault(); input.value = ""; clear(); }
        break;
      default:
    }
  });
  input.addEventListener("focus", () => {
    if (input.value.trim() === "") offerRecent();
    else if (options().length) setOpen(true);
  });
  // Options contain no links (an option must hold no interactive content): a click opens one.
  results.addEventListener("click", (event) => {
    const option = event.target.closest("[role=option][data-href]");
    if (option && results.contains(option)) window.location.assign(option.dataset.href);
  });
  document.addEventListener("click", (event) => {
    if (!input.form.contains(event.target)) setOpen(false);
  });
  // "/" focuses the quick search from anywhere but a text field.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(document.activeElement)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
  setOpen(false);
}

// --- The list: ticked rows for an action ----------------------------------------------------
function setupListActions() {
  const update = () => {
    const form = document.getElementById("changelist-actions");
    const counter = document.getElementById("action-counter");
    const toggle = document.getElementById("action-toggle");
    if (!form) return;
    const boxes = [...form.querySelectorAll("input.action-select")];
    const ticked = boxes.filter((box) => box.checked).length;
    const max = Number(form.dataset.maxSelected || boxes.length);
    boxes.forEach((box) => box.closest("tr")?.classList.toggle("selected", box.checked));
    if (toggle) {
      toggle.hidden = false;
      toggle.checked = ticked > 0 && ticked === boxes.length;
      toggle.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    if (counter) {
      counter.textContent = ticked > max
        ? `${ticked} of ${boxes.length} selected: an action takes at most ${max}.`
        : `${ticked} of ${boxes.length} selected`;
    }
  };
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.id === "action-toggle") {
      document.querySelectorAll("#changelist-actions input.action-select")
        .forEach((box) => { box.checked = target.checked; });
    }
    if (target.id === "action-toggle" || target.classList.contains("action-select")) update();
  });
  document.body.addEventListener("htmx:afterSettle", update);
  update();
}

// --- The list: j / k / Enter / e / x / ? when no field has focus ---------------------------------
function setupListKeys() {
  const dialog = document.getElementById("list-keys");
  const helpButton = document.getElementById("keys-button");
  if (!dialog) return;
  let highlighted = null;
  // A record's edit form is its URL plus "edit/", the list's filters kept.
  const editUrl = (href) => {
    const url = new URL(href, window.location.href);
    url.pathname += "edit/";
    return url.href;
  };
  const rows = () => [...document.querySelectorAll("#result_list tbody tr[data-href]")];
  const announce = (text) => {
    const region = document.getElementById("row-announcer");
    if (region) region.textContent = text;
  };
  const highlight = (row) => {
    highlighted?.classList.remove("is-highlighted");
    highlighted = row;
    if (!row) return;
    row.classList.add("is-highlighted");
    row.scrollIntoView({ block: "nearest" });
    const all = rows();
    const name = row.querySelector("th[scope=row]")?.textContent.trim() ?? "";
    announce(`Highlighted ${all.indexOf(row) + 1} of ${all.length}: ${name}. Enter opens, e edits, x ticks.`);
  };
  const move = (step) => {
    const all = rows();
    if (!all.length) return;
    const index = highlighted && all.includes(highlighted) ? all.indexOf(highlighted) + step : (step > 0 ? 0 : all.length - 1);
    highlight(all[Math.max(0, Math.min(all.length - 1, index))]);
  };
  if (helpButton) {
    helpButton.hidden = false;
    helpButton.addEventListener("click", () => dialog.showModal());
  }
  document.body.addEventListener("htmx:afterSettle", () => { highlighted = null; });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || dialog.open) return;
    const focused = document.activeElement;
    if (isTyping(focused)) return;
    const current = highlighted && document.contains(highlighted) ? highlighted : null;
    switch (event.key) {
      case "j": event.preventDefault(); move(1); break;
      case "k": event.preventDefault(); move(-1); break;
      case "Enter":
        // A focused link or button keeps its own Enter.
        if (!current || (focused && focused.closest("a, button, summary"))) return;
        event.preventDefault();
        window.location.assign(current.dataset.href);
        break;
      case "e":
        if (!current) return;
        event.preventDefault();
        window.location.assign(editUrl(current.dataset.href));
        break;
      case "x": {
        const box = current?.querySelector("input.action-select");
        if (!box) return;
        event.preventDefault();
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));  // the counter follows
        announce(`${box.checked ? "Ticked" : "Unticked"}: ${box.getAttribute("aria-label").replace(/^Select /, "")}.`);
        break;
      }
      case "?": event.preventDefault(); dialog.showModal(); break;
      default:
    }
  });
}

// --- The list's search: keystrokes replace the history entry, a submit pushes one -------------
function setupListSearch() {
  const box = document.getElementById("id_search");
  if (!box || !box.form) return;
  let submitted = null;
  box.form.addEventListener("submit", () => { submitted = box.value; });
  box.addEventListener("input", () => { submitted = null; });
  // The keystrokes' delayed request after Enter would only repeat what the submit asked.
  box.addEventListener("htmx:confirm", (event) => {
    if (event.detail.elt === box && submitted === box.value) event.preventDefault();
  });
}

// --- htmx: busy state and network failures ---------------------------------------------------
function setupHtmxNotices() {
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    event.detail.target?.setAttribute("aria-busy", "true");
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    event.detail.target?.removeAttribute("aria-busy");
  });
  const showFailure = (event, message) => {
    const target = event.detail.target;
    const template = document.getElementById("htmx-error-template");
    if (!target || !template) return;
    const notice = template.content.firstElementChild.cloneNode(true);
    notice.querySelector(".upstream-error-message").textContent = message;
    const button = notice.querySelector(".retry-button");
    const config = event.detail.requestConfig || {};
    if ((config.verb || "get").toLowerCase() === "get" && config.path) {
      button.addEventListener("click", () => {
        htmx.ajax("GET", config.path, { target, swap: "innerHTML", source: event.detail.elt });
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
  };
  document.body.addEventListener("htmx:sendError", (event) => {
    showFailure(event, "Could not reach ctaxoffice. Check the network connection and try again.");
  });
  document.body.addEventListener("htmx:timeout", (event) => {
    showFailure(event, "ctaxoffice took too long to answer. Please try again.");
  });
}

// --- A page that shows other rows than its address asked (page 99 of 6) corrects the address --
function setupShownAddress() {
  const shown = document.querySelector("[data-shown-url]");
  if (shown) window.history.replaceState(window.history.state, "", shown.dataset.shownUrl);
}

// --- A write form is sent once ---------------------------------------------------------------
function setupDoubleSubmitGuard() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.classList?.contains("prevent-double-submit")) return;
    if (form.dataset.submitting === "true") { event.preventDefault(); return; }
    form.dataset.submitting = "true";
    form.setAttribute("aria-busy", "true");
  });
  // Coming back with the back button: the form may be sent again.
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form.prevent-double-submit").forEach((form) => {
      delete form.dataset.submitting;
      form.removeAttribute("aria-busy");
    });
  });
}

setupQuickSearch();
setupListActions();
setupListKeys();
setupListSearch();
setupHtmxNotices();
setupDoubleSubmitGuard();
setupShownAddress();
