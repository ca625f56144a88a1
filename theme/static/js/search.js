// Site search for /search/ with Pagefind's JavaScript API (no Pagefind UI, no inline styles).
// The page works without this script: the form reloads the page and the topic list stays.
// This script reads ?q= (so the 404 page's form lands here with a query), asks the index and
// lists the results as plain links with a short excerpt.

const form = document.querySelector(".search-form");
const input = form && form.querySelector("input[name=q]");
const results = document.querySelector(".search-results");
const status = results && results.querySelector(".search-results__status");
const list = results && results.querySelector(".search-results__list");
const MAX_RESULTS = 10;
// The page gives the words, in its own language (data-* attributes of the form).
const words = (name, values = {}) =>
  (form.dataset[name] || "").replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

let pagefind = null;
let latest = 0;

async function loadIndex() {
  if (!pagefind) {
    pagefind = await import(form.dataset.pagefindScript);
    const base = new URL(form.dataset.pagefindScript, document.baseURI).pathname;
    await pagefind.options({ baseUrl: base.replace(/pagefind\/pagefind\.js$/, "") });
    await pagefind.init();
  }
  return pagefind;
}

// Pagefind's excerpt is escaped text with <mark> around the matched words: keep only those.
function excerptNodes(excerpt) {
  const template = document.createElement("template");
  template.innerHTML = excerpt;
  const nodes = [];
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-results__item";
  const link = document.createElement("a");
  link.className = "search-results__link";
  link.href = data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  const excerpt = document.createElement("p");
  excerpt.className = "search-results__excerpt";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(link, excerpt);
  return item;
}

// The address with the words searched (or without any): the page's own, and its other
// languages' (the header's links), so a reader who switches language keeps their words.
function withQuery(address, query) {
  const url = new URL(address, document.baseURI);
  if (query) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  return url;
}

async function runSearch(query) {
  const ticket = ++latest;
  window.history.replaceState(null, "", withQuery(window.location.href, query));
  for (const other of document.querySelectorAll("a[hreflang]")) {
    other.href = withQuery(other.href, query);
  }
  if (!query) {
    status.textContent = "";
    list.hidden = true;
    list.replaceChildren();
    return;
  }
  status.textContent = words("searching");
  let found;
  try {
    const index = await loadIndex();
    const search = await index.search(query);
    found = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
  } catch (error) {
    if (ticket === latest) {
      status.textContent = words("unavailable");
      list.hidden = true;
      list.replaceChildren();
    }
    return;
  }
  if (ticket !== latest) return;
  list.replaceChildren(...found.map(resultItem));
  list.hidden = found.length === 0;
  const message = found.length === 1 ? "oneResult" : found.length ? "results" : "noResults";
  status.textContent = words(message, { count: found.length, query });
}

if (form && input && results && status && list) {
  let timer = 0;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    runSearch(input.value.trim());
  });
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => runSearch(input.value.trim()), 300);
  });
  const initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    runSearch(initial.trim());
  }
}
