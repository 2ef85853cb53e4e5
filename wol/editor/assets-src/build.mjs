// Bundles src/wol-markdown.js into ONE minified file the Python package ships (no CDN, CI needs no npm):
//   cd wol/editor/assets-src && npm ci && npm run build
// The banner names every pinned package and version from package-lock.json; the licences of all bundled
// packages go beside it.
import { build } from "esbuild";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";

const out = process.env.WOL_BUNDLE_OUT || "../static/vendor/wol-markdown.min.js";  // elsewhere: to compare
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const own = JSON.parse(readFileSync("package.json", "utf8"));
const pinned = Object.keys(own.dependencies).map((name) => `${name}@${lock.packages["node_modules/" + name].version}`);

const result = await build({
  entryPoints: ["src/wol-markdown.js"], bundle: true, minify: true, format: "iife", target: ["es2020"],
  outfile: out, metafile: true, legalComments: "none",
  banner: { js: `/*! wol-markdown: ${pinned.join(" ")} (MIT; licences in wol-markdown.LICENSE.txt) */` },
  define: { WOL_PINNED: JSON.stringify(pinned) },
});

const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.set(match[1], join("node_modules", match[1]));
}
const parts = [];
for (const [name, folder] of [...packages].sort()) {
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt"].map((f) => join(folder, f)).find(existsSync);
  parts.push(`${name}@${meta.version} (${meta.license})\n\n${file ? readFileSync(file, "utf8").trim() : meta.license}`);
}
writeFileSync(join(dirname(out), "wol-markdown.LICENSE.txt"),
  "Third-party software bundled in wol-markdown.min.js\n\n" + parts.join("\n\n" + "-".repeat(72) + "\n\n") + "\n");
console.log(`${out}: ${pinned.join(", ")}; ${packages.size} packages`);
