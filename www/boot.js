// Runs before the first paint (a classic script in <head>, not a module), so the page never
// flashes the wrong theme or layout. A file, not an inline script: the Content-Security-Policy
// allows scripts from the page's origin only.

// The theme chosen with the toggle (app.js saves it).
try {
  const theme = localStorage.getItem("coresweep-theme");
  if (theme === "dark" || theme === "light") document.documentElement.dataset.theme = theme;
} catch {
  // Storage refused (a sandboxed frame, a privacy setting): the system's theme.
}
// Embed mode (?embed=1, an <iframe> in a blog post): the compact layout from the first paint.
{
  const embed = new URLSearchParams(location.search).get("embed");
  if (embed !== null && embed !== "0") document.documentElement.dataset.embed = "";
}
// For dist/'s coi-serviceworker.js (loaded after this file there): an embedded frame must not
// register it (it would reload the frame); unused by `npm start`, which sends the headers.
window.coi = { shouldRegister: () => !new URLSearchParams(location.search).has("embed") };
// The engine's module and the form's defaults, fetched from the first moment (app.js asks for
// them only once its own modules are in): the build this page will load, threaded where the
// page is isolated. Same mode as the fetches that use them (CORS, same-origin credentials).
for (const href of [
  globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function"
    ? "www/pkg/coresweep_bg.wasm"
    : "www/pkg-single/coresweep_bg.wasm",
  "www/pkg/page-defaults.json",
]) {
  const link = Object.assign(document.createElement("link"), { rel: "preload", href, as: "fetch" });
  link.crossOrigin = "anonymous";
  document.head.append(link);
}
