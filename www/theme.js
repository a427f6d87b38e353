// Light or dark: the system's choice (prefers-color-scheme) unless the toggle overrode it.
// index.html applies a saved choice before the first paint; the CSS picks colours with
// light-dark() from html's color-scheme, which html[data-theme] sets.

const STORAGE_KEY = "coresweep-theme";
const darkQuery = matchMedia("(prefers-color-scheme: dark)");

/** Whether the page is dark now. */
export function isDark() {
  const chosen = document.documentElement.dataset.theme;
  return chosen ? chosen === "dark" : darkQuery.matches;
}

/**
 * Wires the toggle (aria-pressed = dark); `changed()` runs whenever the theme may have changed.
 * @param {HTMLButtonElement} toggle
 * @param {() => void} changed
 */
export function setupTheme(toggle, changed) {
  const apply = () => {
    toggle.setAttribute("aria-pressed", String(isDark()));
    changed();
  };
  toggle.addEventListener("click", () => {
    const next = isDark() ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage may be disabled (private modes): the choice then lasts for this page only.
    }
    apply();
  });
  darkQuery.addEventListener("change", apply);
  apply();
}
