// Progressive enhancement of the board; every page works without it.
// Leave empty filters out of htmx requests, so the URLs pushed to the history stay short.
document.addEventListener("htmx:configRequest", (event) => {
  const data = event.detail.formData;
  for (const name of Array.from(new Set(data.keys()))) {
    const values = data.getAll(name).filter((value) => value !== "");
    data.delete(name);
    for (const value of values) {
      data.append(name, value);
    }
  }
});

// The search box already asks as you type; the change event it fires on losing focus would
// ask again and replace the results under the keyboard focus.
document.addEventListener("htmx:confirm", (event) => {
  const trigger = event.detail.triggeringEvent;
  if (trigger && trigger.type === "change" && trigger.target.id === "q") {
    event.preventDefault();
  }
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
}
