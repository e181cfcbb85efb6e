// Relais: progressive enhancement of the declaration pages (/dossier/...).
//
// Without this script every link and form of the declaration works as plain
// HTML, and the tests prove it. With it, following a link or sending a form
// from one declaration page to another fetches the next page and swaps its
// <main> in place: no page reload, so adding a contact keeps the page, the
// islands (WASM) and the connection warm. After each swap:
// - the islands of the new content are woken (Leptos' `__hydrateIsland`);
// - the focus goes to the error summary, else the target of the link's
//   #fragment, else the page heading, so that a screen reader announces it;
// - the address bar and the Back button stay right.
// While a request runs, the page shows a progress bar and <main> is
// aria-busy. If the connection drops, nothing typed is lost: the page stays
// as it was and a message (written by the server, in the person's language)
// says to try again. Anything unexpected falls back to a plain navigation.
(() => {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.history || !history.pushState) return;

  /** The pages and server functions of the declaration, on this origin. */
  const inScope = (url) =>
    url.origin === location.origin &&
    (url.pathname === "/dossier" ||
      url.pathname.startsWith("/dossier/") ||
      url.pathname.startsWith("/api/case/"));

  let busy = false;

  const lostMessage = () => document.getElementById("connection-lost");

  function setBusy(on) {
    busy = on;
    document.documentElement.classList.toggle("is-loading", on);
    const main = document.querySelector("main");
    if (main) main.toggleAttribute("aria-busy", on);
  }

  function wakeIslands(root) {
    const hydrate = window.__hydrateIsland;
    if (typeof hydrate !== "function") return; // the first hydration will find them
    for (const island of root.querySelectorAll("leptos-island")) {
      try {
        hydrate(island, island.dataset.component);
      } catch (e) {
        console.warn("island", island.dataset.component, e);
      }
    }
  }

  function focusAfterSwap(main, hash) {
    let target = main.querySelector(".error-summary");
    if (!target && hash) target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) target = main.querySelector("h1");
    if (!target) target = main;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    window.scrollTo(0, 0);
    target.focus();
  }

  /** Fetches `url` and shows the page it answers with. */
  async function visit(url, init, how) {
    if (busy) return;
    setBusy(true);
    let response;
    let html;
    try {
      response = await fetch(url, {
        ...init,
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      html = await response.text();
    } catch (e) {
      setBusy(false);
      const lost = lostMessage();
      if (lost) {
        lost.hidden = false;
        lost.focus();
      }
      return;
    }
    setBusy(false);
    const type = response.headers.get("content-type") || "";
    const doc = type.includes("text/html") ? new DOMParser().parseFromString(html, "text/html") : null;
    const next = doc && doc.querySelector("main");
    const main = document.querySelector("main");
    if (!next || !main) {
      // Not a page of ours: let the browser show it.
      location.assign(response.url);
      return;
    }
    const lost = lostMessage();
    if (lost) lost.hidden = true;
    document.title = doc.title;
    const header = document.querySelector(".site-header");
    const nextHeader = doc.querySelector(".site-header");
    if (header && nextHeader) header.replaceWith(nextHeader);
    main.replaceWith(next);
    const address = new URL(response.url);
    address.hash = url.hash || "";
    if (how === "push" && address.href !== location.href) {
      history.pushState({ relais: true }, "", address.href);
    } else if (how !== "pop") {
      history.replaceState({ relais: true }, "", address.href);
    }
    wakeIslands(next);
    focusAfterSwap(next, address.hash);
  }

  document.addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const link = ev.target instanceof Element ? ev.target.closest("a[href]") : null;
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (!inScope(new URL(location.href)) || !inScope(url)) return;
    // A link to a place on this same page (the error summary's): the browser's.
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    ev.preventDefault();
    visit(url, {}, "push");
  });

  document.addEventListener("submit", (ev) => {
    if (ev.defaultPrevented) return;
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || form.target) return;
    const action = new URL(form.action, location.href);
    if (!inScope(new URL(location.href)) || !inScope(action)) return;
    ev.preventDefault();
    if (busy) return; // a double tap sends once
    let data;
    try {
      data = new FormData(form, ev.submitter);
    } catch (e) {
      data = new FormData(form);
    }
    const body = new URLSearchParams(data);
    if ((form.getAttribute("method") || "get").toLowerCase() === "post") {
      visit(action, { method: "POST", body }, "push");
    } else {
      action.search = body.toString();
      visit(action, {}, "push");
    }
  });

  window.addEventListener("popstate", () => {
    const here = new URL(location.href);
    if (inScope(here) && !busy) visit(here, {}, "pop");
    else location.reload();
  });
})();
