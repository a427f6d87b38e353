// Runs before the first paint (a classic script in <head>, not a module), so the page never
// flashes the wrong theme or layout. A file, not an inline script: the Content-Security-Policy
// allows scripts from the page's origin only.

// The theme chosen with the toggle (app.js saves it).
try {
  const theme = localStorage.getItem("coresweep-theme");
  if (theme === "dark" || theme === "light") document.documentElement.dataset.theme = theme;
} catch {}
// Embed mode (?embed=1, an <iframe> in a blog post): the compact layout from the first paint.
{
  const embed = new URLSearchParams(location.search).get("embed");
  if (embed !== null && embed !== "0") document.documentElement.dataset.embed = "";
}
// For dist/'s coi-serviceworker.js (loaded after this file there): an embedded frame must not
// register it (it would reload the frame); unused by `npm start`, which sends the headers.
window.coi = { shouldRegister: () => !new URLSearchParams(location.search).has("embed") };
