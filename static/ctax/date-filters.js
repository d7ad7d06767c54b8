// Date filters (a form marked data-date-filters, e.g. the transaction history): a date is sent
// when it is whole and plausible, when its field is left, or with the form's button; and an
// answer arriving while a field of the form is focused keeps that field (hx-preserve), so the
// rest of the typing lands where it should. A module (deferred, strict); no inline script, no eval.
//
// Why: typing 01012026 into a date field makes a valid date of year 0002, then 0020, then 0202;
// sending each replaced the field mid-typing and scrambled the date.

const READY = "date-ready"; // the form's hx-trigger listens to it
const FIRST_YEAR = 1900;
const sent = new WeakMap(); // field → the value last sent from it

const dateFilter = (el) =>
  el instanceof HTMLInputElement && el.type === "date" && !!el.form?.hasAttribute("data-date-filters");

const plausible = (value) => {
  const year = /^(\d{4})-\d\d-\d\d$/.exec(value)?.[1];
  return year !== undefined && Number(year) >= FIRST_YEAR;
};

function offer(field) {
  if (field.validity.badInput) return; // half typed: nothing the server could read
  if (field.value === (sent.get(field) ?? field.defaultValue)) return;
  sent.set(field, field.value);
  field.form.dispatchEvent(new CustomEvent(READY, { bubbles: true }));
}

document.addEventListener("change", (event) => {
  if (dateFilter(event.target) && plausible(event.target.value)) offer(event.target);
});
document.addEventListener("focusout", (event) => {
  const to = event.relatedTarget;
  if (to?.type === "submit" && to.form === event.target.form) return; // its submit sends it
  if (dateFilter(event.target)) offer(event.target);
});

// The answer carries the field being typed in: keep the live one (its value, its caret), with
// the answer's attributes (aria-invalid, the value it was rendered with).
let kept = null;
document.addEventListener("htmx:beforeSwap", (event) => {
  const field = document.activeElement;
  const { target, serverResponse } = event.detail;
  kept = null;
  if (!field?.id || !field.form?.hasAttribute("data-date-filters") || !target?.contains(field)) return;
  const answer = document.createElement("template");
  answer.innerHTML = serverResponse;
  const fresh = answer.content.getElementById(field.id);
  if (!fresh) return;
  [...field.attributes].forEach(({ name }) => { if (!fresh.hasAttribute(name)) field.removeAttribute(name); });
  [...fresh.attributes].forEach(({ name, value }) => field.setAttribute(name, value));
  sent.set(field, fresh.getAttribute("value") ?? "");
  fresh.setAttribute("hx-preserve", "");
  event.detail.serverResponse = answer.innerHTML;
  kept = field;
});
// Browsers without Element.moveBefore move the kept field out and back: focus it again.
document.addEventListener("htmx:afterSwap", () => {
  if (kept && kept.isConnected && document.activeElement !== kept) kept.focus({ preventScroll: true });
  kept = null;
});
