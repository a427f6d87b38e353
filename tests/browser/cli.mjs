// @ts-check
// The native CLI beside the page, for tests that hold the two faces to the same answers and the
// same words: built once per test file (cargo skips the build when it is fresh).
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { root } from "./harness.mjs";

const CLI = join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "release", "coresweep");
let cliBuilt = false;

function build() {
  if (cliBuilt) return;
  execFileSync("cargo", ["build", "--quiet", "--release", "-p", "coresweep-cli", "--bin", "coresweep"], {
    cwd: root,
    stdio: "inherit",
  });
  cliBuilt = true;
}

/**
 * The native CLI's `--json` answer to `args`.
 * @param {string[]} args
 */
export function cli(args) {
  build();
  return JSON.parse(execFileSync(CLI, [...args, "--json"], { encoding: "utf8" }));
}

/**
 * What the CLI prints on its error output when it refuses `args` (it must exit with an error).
 * @param {string[]} args
 */
export function cliRefusal(args) {
  build();
  const run = spawnSync(CLI, args, { encoding: "utf8" });
  if (run.status === 0) throw new Error(`the CLI accepted ${args.join(" ")}`);
  return run.stderr.trim();
}

/**
 * What the native CLI prints on its standard output for `args` (it must succeed).
 * @param {string[]} args
 */
export function cliText(args) {
  build();
  return execFileSync(CLI, args, { encoding: "utf8" });
}
