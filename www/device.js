// This device as its results name it.

/** "Chrome on Android, 8 cores": a default name for this device's results. */
export function defaultDeviceLabel() {
  const ua = navigator.userAgent;
  /** @type {[string, RegExp][]} */
  const browsers = [
      ["Firefox", /Firefox\//],
      ["Edge", /Edg\//],
      ["Chrome", /Chrome\//],
      ["Safari", /Safari\//],
  ];
  /** @type {[string, RegExp][]} */
  const platforms = [
      ["Android", /Android/],
      ["iOS", /iPhone|iPad/],
      ["macOS", /Mac OS X/],
      ["Windows", /Windows/],
      ["Linux", /Linux/],
  ];
  const browser = browsers.find(([, pattern]) => pattern.test(ua))?.[0] ?? "Browser";
  const platform =
    navigator.userAgentData?.platform || platforms.find(([, pattern]) => pattern.test(ua))?.[0];
  const cores = navigator.hardwareConcurrency ? `, ${navigator.hardwareConcurrency} cores` : "";
  return `${browser}${platform ? ` on ${platform}` : ""}${cores}`;
}

/**
 * The results document's `device`: the label typed (or the default one) and what the browser tells.
 * @param {HTMLInputElement} labelInput
 */
export function device(labelInput) {
  return {
    label: labelInput.value.trim() || labelInput.placeholder,
    user_agent: navigator.userAgent,
    hardware_concurrency: navigator.hardwareConcurrency ?? null,
    device_memory_gb: navigator.deviceMemory ?? null,
    cross_origin_isolated: globalThis.crossOriginIsolated === true,
  };
}

/** The storage key of the label typed for this device. */
const LABEL_KEY = "coresweep-device-label";

/**
 * Keeps the label typed in `labelInput` in this browser (localStorage) for the next visit, and
 * puts it back now; an emptied field forgets it (the default label shows again). Storage that is
 * off keeps nothing.
 * @param {HTMLInputElement} labelInput
 */
export function keepDeviceLabel(labelInput) {
  try {
    labelInput.value = localStorage.getItem(LABEL_KEY) ?? labelInput.value;
  } catch {
    // No storage (a private window, a blog's frame): the label lasts this visit.
  }
  labelInput.addEventListener("change", () => {
    const label = labelInput.value.trim();
    try {
      if (label) localStorage.setItem(LABEL_KEY, label);
      else localStorage.removeItem(LABEL_KEY);
    } catch {
      // As above.
    }
  });
}
