// ctaxoffice reports: progress of CSV exports, the statement's print button.
// No inline script and no eval: loaded with the page's CSP nonce; the name of the
// cookie that says an export has started comes from the server (data-export-cookie).
const COOKIE = document.currentScript?.dataset.exportCookie ?? "ctax_export";
const POLL_MS = 400;
const SLOW_MS = 20000;
const GIVE_UP_MS = 120000;

const randomToken = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
};

const cookieValue = (name) => {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
};

const forgetCookie = () => {
  document.cookie = `${COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
};

const say = (status, text, busy) => {
  status.textContent = "";
  if (busy) {
    const spinner = document.createElement("span");
    spinner.className = "spinner";
    spinner.setAttribute("aria-hidden", "true");
    status.append(spinner);
  }
  status.append(text);
};

// The server answers an export with a cookie holding our token once the file starts
// to stream: only then do we say the download has started (the browser shows the rest).
const watchExport = (link, status, token) => {
  const started = Date.now();
  let slowSaid = false;
  link.setAttribute("aria-busy", "true");
  say(status, "Preparing your export…", true);
  const timer = setInterval(() => {
    const waited = Date.now() - started;
    if (cookieValue(COOKIE) === token) {
      clearInterval(timer);
      forgetCookie();
      link.removeAttribute("aria-busy");
      say(status, "Your download has started; your browser shows its progress.", false);
    } else if (waited > GIVE_UP_MS) {
      clearInterval(timer);
      link.removeAttribute("aria-busy");
      say(status, "The export has not started. Please try again.", false);
    } else if (waited > SLOW_MS && !slowSaid) {
      slowSaid = true;
      say(status, "Still preparing your export… the customer service is slow to answer.", true);
    }
  }, POLL_MS);
};

const setupExports = () => {
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[data-export-status]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const status = document.getElementById(link.dataset.exportStatus);
    if (!status || !window.crypto) return;
    event.preventDefault();
    const token = randomToken();
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("export_token", token);
    forgetCookie();
    watchExport(link, status, token);
    window.location.assign(url.toString());
  });
};

const setupPrintButtons = () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
};

const init = () => {
  setupExports();
  setupPrintButtons();
};
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
