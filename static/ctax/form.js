// The customer form: nothing typed is lost by a reload or a stray link.
//
// - A changed form asks before the page is left (the browser's own prompt on reload or
//   close; a dialog of ours for links on the page).
// - What was changed is kept as a draft in this tab's sessionStorage, per user and per
//   form URL, and put back on reload with a notice and a "Discard draft" button.
// - The draft is dropped after a successful save (the next page's message says so:
//   class "saved"), and every ctax draft at logout. A login that ended by itself keeps
//   them (a form sent then leads to the login page and back to the form): the same user
//   logging in again gets the draft back; another user's first page drops them.

const PREFIX = "ctax-draft:";
const SENT = "ctax-draft-sent:";
const SKIPPED = new Set(["csrfmiddlewaretoken", "submission_token"]);

const store = (() => {
  try {
    const probe = `${PREFIX}probe`;
    window.sessionStorage.setItem(probe, "1");
    window.sessionStorage.removeItem(probe);
    return window.sessionStorage;
  } catch {
    return null; // storage off (private mode, policy): the form still works, without drafts
  }
})();

function storedKeys() {
  if (!store) return [];
  const keys = [];
  for (let i = 0; i < store.length; i += 1) {
    const key = store.key(i);
    if (key.startsWith(PREFIX) || key.startsWith(SENT)) keys.push(key);
  }
  return keys;
}

function dropAllDrafts() {
  storedKeys().forEach((key) => store.removeItem(key));
}

// Drafts and sent-markers are keyed "<prefix><user id>:<path>".
function dropOtherUsersDrafts(user) {
  storedKeys()
    .filter((key) => !key.startsWith(`${PREFIX}${user}:`) && !key.startsWith(`${SENT}${user}:`))
    .forEach((key) => store.removeItem(key));
}

function draftKey(form) {
  return `${PREFIX}${form.dataset.draftUser}:${window.location.pathname}`;
}

function editableFields(form) {
  return Array.from(form.elements).filter(
    (el) =>
      el.name &&
      !SKIPPED.has(el.name) &&
      !el.name.startsWith("initial-") &&
      !["hidden", "submit", "button", "reset", "file"].includes(el.type),
  );
}

function valueOf(el) {
  return el.type === "checkbox" ? el.checked : el.value;
}

function setValue(el, value) {
  if (el.type === "checkbox") el.checked = Boolean(value);
  else el.value = value;
}

function snapshot(form) {
  const values = {};
  editableFields(form).forEach((el) => {
    values[el.name] = valueOf(el);
  });
  return values;
}

// What "unchanged" means: the form as rendered; for a form sent back refused (its typed
// values on it), the values it showed when opened (an edit's initial-* inputs) or blanks.
function baseline(form) {
  const values = snapshot(form);
  if (form.dataset.formRefused !== "true") return values;
  editableFields(form).forEach((el) => {
    const shown = form.elements.namedItem(`initial-${el.name}`);
    if (el.type === "checkbox") values[el.name] = shown ? shown.value === "True" : false;
    else values[el.name] = shown ? shown.value : "";
  });
  return values;
}

function changedFrom(form, initial) {
  const current = snapshot(form);
  const changed = {};
  Object.keys(current).forEach((name) => {
    if (current[name] !== initial[name]) changed[name] = current[name];
  });
  return changed;
}

// After a submit: the page that follows tells whether the save went through.
function settleSentDrafts(form) {
  const saved = document.querySelector(".messagelist .saved");
  storedKeys()
    .filter((key) => key.startsWith(SENT))
    .forEach((sentKey) => {
      const key = PREFIX + sentKey.slice(SENT.length);
      const refusedHere = form && form.dataset.formRefused === "true" && draftKey(form) === key;
      if (saved && !refusedHere) store.removeItem(key);
      store.removeItem(sentKey);
    });
}

function setupDraft(form, initial) {
  const key = draftKey(form);
  const notice = document.getElementById("draft-notice");

  const raw = store.getItem(key);
  if (raw && form.dataset.formRefused !== "true") {
    let draft = {};
    try {
      draft = JSON.parse(raw) || {};
    } catch {
      draft = {};
    }
    let restored = false;
    editableFields(form).forEach((el) => {
      if (Object.hasOwn(draft, el.name) && valueOf(el) !== draft[el.name]) {
        setValue(el, draft[el.name]);
        restored = true;
      }
    });
    if (restored && notice) notice.hidden = false;
  }

  const save = () => {
    const changed = changedFrom(form, initial);
    if (Object.keys(changed).length) store.setItem(key, JSON.stringify(changed));
    else store.removeItem(key);
  };
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", () => store.setItem(SENT + key.slice(PREFIX.length), "1"));

  const discard = document.getElementById("discard-draft");
  if (discard) {
    discard.addEventListener("click", () => {
      editableFields(form).forEach((el) => {
        if (Object.hasOwn(initial, el.name)) setValue(el, initial[el.name]);
      });
      store.removeItem(key);
      notice.hidden = true;
      const first = editableFields(form)[0];
      if (first) first.focus();
    });
  }
}

function setupLeaveGuard(form, initial) {
  let submitting = false;
  let leaving = false;
  const isChanged = () => Object.keys(changedFrom(form, initial)).length > 0;
  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.addEventListener("pageshow", () => {
    submitting = false;
    leaving = false;
  });
  // The app itself sends the page elsewhere (HX-Redirect: a field's check found the login
  // ended, and the login page brings the form back): the draft is kept, nothing to ask.
  document.addEventListener("htmx:beforeOnLoad", (event) => {
    if (event.detail.xhr?.getResponseHeader("HX-Redirect")) leaving = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (submitting || leaving || !isChanged()) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need it set to show their prompt
  });

  const dialog = document.getElementById("leave-form-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  let destination = null;
  document.addEventListener("click", (event) => {
    const link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (link.target && link.target !== "_self") return;
    if (link.hasAttribute("download") || dialog.contains(link)) return;
    const url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.href === window.location.href) return;
    if (!isChanged()) return;
    event.preventDefault();
    destination = url.href;
    dialog.showModal();
  });
  document.getElementById("leave-form-stay").addEventListener("click", () => dialog.close());
  document.getElementById("leave-form-go").addEventListener("click", () => {
    leaving = true;
    dialog.close();
    if (destination) window.location.assign(destination);
  });
}

function init() {
  const logout = document.getElementById("logout-form");
  if (!logout) return; // e.g. the login page: the drafts wait for whoever logs in
  dropOtherUsersDrafts(logout.dataset.user); // never shown, nor kept, for another user
  logout.addEventListener("submit", dropAllDrafts);
  const form = document.querySelector("form[data-draft-user]");
  settleSentDrafts(form);
  if (!form) return;
  const initial = baseline(form); // before any draft is put back
  if (store) setupDraft(form, initial);
  setupLeaveGuard(form, initial);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
