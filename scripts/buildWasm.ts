import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import wabt from "wabt";

/**
 * Assembles src/algorithms/tpe/sweep.wat into the base64 module that sweepWasm.ts holds, so the
 * package ships no build step of its own and loads no file at run time. `npm run build:wasm`
 * rewrites sweepWasm.ts; a test checks that the committed file matches the source.
 */
export const watPath = fileURLToPath(new URL("../src/algorithms/tpe/sweep.wat", import.meta.url));
export const modulePath = fileURLToPath(new URL("../src/algorithms/tpe/sweepWasm.ts", import.meta.url));

/** The text of sweepWasm.ts for the given WAT source. */
export async function sweepModuleText(wat: string): Promise<string> {
  const assembler = await wabt();
  const parsed = assembler.parseWat("sweep.wat", wat, { simd: true, bulk_memory: true });
  try {
    parsed.validate();
    const { buffer } = parsed.toBinary({});
    return [
      "// Generated from sweep.wat by scripts/buildWasm.ts (`npm run build:wasm`); do not edit.",
      "",
      "/** The joint scorer's sweep kernel (sweep.wat), a WebAssembly module in base64. */",
      `export const sweepWasm = "${Buffer.from(buffer).toString("base64")}";`,
      "",
    ].join("\n");
  } finally {
    parsed.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(modulePath, await sweepModuleText(readFileSync(watPath, "utf8")));
  console.log(`wrote ${modulePath}`);
}
