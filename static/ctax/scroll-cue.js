// A table wider than its box scrolls sideways: say so. A frame marked data-scroll-cue holds the
// scrolling box (.results); the frame gets data-more="left", "right" or both, for ctax.css to
// shade those edges, and its hint (the element whose id data-scroll-cue names) shows while a
// column is out of view. A module (deferred, strict); no inline script, no eval.

const SLACK = 1; // px: sub-pixel widths are not a column out of view
const watched = new WeakSet();

function update(frame, box) {
  const left = Math.abs(box.scrollLeft);
  const more = [];
  if (left > SLACK) more.push("left");
  if (left + box.clientWidth < box.scrollWidth - SLACK) more.push("right");
  frame.dataset.more = more.join(" ");
  const hint = frame.dataset.scrollCue && document.getElementById(frame.dataset.scrollCue);
  if (hint) hint.hidden = more.length === 0;
}

function watch(frame) {
  const box = frame.querySelector(":scope > .results");
  if (!box || watched.has(frame)) return;
  watched.add(frame);
  const refresh = () => update(frame, box);
  box.addEventListener("scroll", refresh, { passive: true });
  const observer = new ResizeObserver(refresh);
  observer.observe(box);
  if (box.firstElementChild) observer.observe(box.firstElementChild);
  refresh();
}

const scan = (root) => {
  if (root.matches?.("[data-scroll-cue]")) watch(root);
  root.querySelectorAll?.("[data-scroll-cue]").forEach(watch);
};
scan(document);
document.addEventListener("htmx:load", (event) => scan(event.target));
