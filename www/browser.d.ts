// What some browsers give that TypeScript's DOM types do not list yet (Chromium's).
interface Navigator {
  /** Approximate device memory in GiB (Chromium; Firefox and Safari give none). */
  readonly deviceMemory?: number;
  /** User-Agent Client Hints (Chromium). */
  readonly userAgentData?: { readonly platform: string };
}

interface Window {
  /** coi-serviceworker's options (boot.js sets them, dist/'s coi-serviceworker.js reads them). */
  coi?: { shouldRegister: () => boolean };
}
