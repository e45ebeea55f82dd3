// Progressive enhancement of the board; every page works without it.
const filterForm = document.getElementById("filters");

// A field that says nothing: empty, at its default (sort=newest), or a currency without a salary.
// The server's links leave these out; a pushed address that kept them was a second address
// for the same view.
const saysNothing = (data, name, value) => {
  const field = filterForm ? filterForm.elements.namedItem(name) : null;
  const hints = field && field.dataset ? field.dataset : {};
  return value === "" || value === hints.default || (hints.onlyWith && !data.get(hints.onlyWith));
};

// Leave those fields out of htmx requests, so the address pushed to the history is the one the
// server's own links give.
const dropUnsaid = (data) => {
  const entries = Array.from(data.entries());
  const kept = entries.filter(([name, value]) => !saysNothing(data, name, value));
  for (const name of new Set(data.keys())) {
    data.delete(name);
  }
  for (const [name, value] of kept) {
    data.append(name, value);
  }
  return data;
};

// A filter query in one spelling whatever the order of its parameters, to compare two of them.
const queryKey = (data) => {
  const query = new URLSearchParams(dropUnsaid(data));
  query.sort();
  return query.toString();
};

// The query of the results on show or on their way. Enter in a changed text field fires "change"
// and then "submit", as does clicking "Show jobs" after typing: asking twice for the same results
// pushed two equal history entries, and the first Back seemed to do nothing.
let shown = queryKey(new URLSearchParams(window.location.search));

document.addEventListener("htmx:configRequest", (event) => {
  shown = queryKey(event.detail.formData);
});

document.addEventListener("htmx:afterRequest", (event) => {
  if (!event.detail.successful) {
    shown = null;
  }
});

document.addEventListener("htmx:historyRestore", () => {
  shown = queryKey(new URLSearchParams(window.location.search));
});

// Whatever asked for them, results whose address is the one on show are no new step: a change
// undone while its answer was on the way (and that answer failed) pushed the same address again,
// and Back showed the same jobs twice. Such an answer replaces the history entry instead.
document.addEventListener("htmx:beforeHistoryUpdate", (event) => {
  const update = event.detail.history;
  const next = new URL(update.path, window.location.href);
  const sameAddress =
    next.pathname === window.location.pathname &&
    queryKey(next.searchParams) === queryKey(new URLSearchParams(window.location.search));
  if (update.type === "push" && sameAddress) {
    update.type = "replace";
  }
});

// The search box already asks as you type; the change event it fires on losing focus would
// ask again and replace the results under the keyboard focus.
document.addEventListener("htmx:confirm", (event) => {
  const trigger = event.detail.triggeringEvent;
  const searchLeft = trigger && trigger.type === "change" && trigger.target.id === "q";
  if (searchLeft || queryKey(new FormData(event.detail.elt)) === shown) {
    event.preventDefault();
  }
});

// A failed answer (the database down, the connection lost) left the old results on show without
// a word: say so where the count is, which screen readers read out.
const sayNotLoaded = () => {
  document.getElementById("result-count").textContent =
    "The jobs could not be loaded; please try again in a moment.";
};
document.addEventListener("htmx:responseError", sayNotLoaded);
document.addEventListener("htmx:sendError", sayNotLoaded);

// Back or Forward asks the server for the page at that address, and htmx shows only a 2xx or
// 3xx answer: after a 400 (a filter the board refused) or a lost connection it kept the other
// address's jobs and fields on show. Load that address as a page instead, whatever it answers.
document.addEventListener("htmx:historyCacheMiss", (event) => {
  const request = event.detail.xhr;
  const restore = request.onload;
  request.onload = function restoreOrReload() {
    if (this.status >= 400) {
      window.location.reload();
    } else {
      restore.call(this);
    }
  };
  request.onerror = () => window.location.reload();
});

// Unticking a tag takes its box away with the answer, and the focus with it to the top of the
// page: keep the keyboard in the tags field, on the box to add one.
let focusInTags = false;
document.addEventListener("htmx:beforeSwap", () => {
  focusInTags = document.activeElement.closest("#tags-field") !== null;
});
document.addEventListener("htmx:afterSettle", () => {
  if (focusInTags && !document.activeElement.closest("#tags-field")) {
    document.getElementById("tag-new").focus();
  }
  focusInTags = false;
});

// On a phone the filters and facets would push the first job three screens down: fold them
// under their summary there (without JavaScript they stay open; the summary opens them).
const filterPanel = document.getElementById("filter-panel");
if (filterPanel) {
  const narrow = window.matchMedia("(max-width: 46rem)");
  const fold = () => {
    filterPanel.open = !narrow.matches;
  };
  fold();
  narrow.addEventListener("change", fold);
  // There the jobs are below the open filters, out of sight: "Show jobs" (or Enter in a field)
  // folds the filters and brings the jobs into view, where their count is read out.
  document.getElementById("filters").addEventListener("submit", () => {
    if (narrow.matches) {
      filterPanel.open = false;
      const jobs = document.getElementById("jobs");
      jobs.scrollIntoView();
      jobs.focus({ preventScroll: true });
    }
  });
}
