// The create form's customer number follows the branch chosen: the branch's next number
// (suggested by the server from what was created here) and its pattern in the hint,
// unless the clerk typed a number of their own, which is never overwritten.

function init() {
  const data = document.getElementById("customer-number-suggestions");
  const form = document.getElementById("customer-form");
  if (!data || !form) return;
  const suggestions = JSON.parse(data.textContent);
  const branch = form.elements.namedItem("branch_id");
  const number = form.elements.namedItem("customer_no");
  const hint = document.getElementById("help-customer_no");
  if (!branch || !number || branch.tagName !== "SELECT") return;
  const suggested = new Set(
    Object.values(suggestions)
      .map((s) => s.number)
      .filter(Boolean),
  );
  branch.addEventListener("change", () => {
    const next = suggestions[branch.value] || suggestions[""];
    if (hint) hint.textContent = next.hint;
    const typed = number.value.trim();
    if (typed !== "" && !suggested.has(typed)) return;
    number.value = next.number;
    number.dispatchEvent(new Event("input", { bubbles: true })); // the draft keeps it
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
