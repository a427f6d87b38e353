// Writes www/pkg/page-defaults.json from the engine itself (the single-threaded module, run in
// Node): the parameter registry (`parameters()`: names, defaults, sklearn's defaults, help) and
// a grid search's default grid. The page fills its form, its links and its Python from this
// small file while the wasm is still on its way, so the defaults stay the engine's one
// definition. Run by build-wasm.sh after each build of the modules.
//   node scripts/page-defaults.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./server.mjs";

const pkg = join(root, "www", "pkg-single");
const engine = await import(join(pkg, "coresweep.js"));
engine.initSync({ module: readFileSync(join(pkg, "coresweep_bg.wasm")) });
const gridSearch = engine.check_experiment({ workload: "grid_search" });
const defaults = { parameters: engine.parameters(), grid: gridSearch.workload_info.grid };
gridSearch.free();
writeFileSync(join(root, "www", "pkg", "page-defaults.json"), `${JSON.stringify(defaults)}\n`);
