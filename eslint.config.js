// The page's and the browser tests' JavaScript: ESLint's recommended rules, with the globals
// of where each file runs (the page, its workers, Node for the tests).
import js from "@eslint/js";
import globals from "globals";

export default [
  // What .gitignore names: builds, installs, test output (ESLint does not read .gitignore).
  {
    ignores: [
      "www/pkg/", "www/pkg-single/", "www/vendor/", "dist/", "pkg/", "target/", "target-*/",
      "node_modules/", ".bench-venv/", "test-results/",
    ],
  },
  js.configs.recommended,
  // `const { a: _, ...rest } = x` is how a test leaves a field out of a comparison.
  { rules: { "no-unused-vars": ["error", { ignoreRestSiblings: true }] } },
  { files: ["www/**/*.js"], languageOptions: { globals: globals.browser } },
  { files: ["www/boot.js", "tests/browser/drivers/hooks.js"], languageOptions: { sourceType: "script" } },
  { files: ["www/*-worker.js"], languageOptions: { globals: globals.worker } },
  { files: ["tests/**/*.mjs", "scripts/**/*.mjs", "bench/**/*.mjs", "*.js"], languageOptions: { globals: globals.node } },
  // Tests hand functions to the browser to run in the page (page.evaluate).
  { files: ["tests/browser/**/*.mjs", "tests/browser/drivers/hooks.js", "bench/**/*.mjs"], languageOptions: { globals: globals.browser } },
];
