// PROTOTYPE for bench_search_box.py: build and serialise a MiniSearch index of docs.json
// (node minisearch_build.cjs NODE_MODULES docs.json out.json)
const [modules, input, output] = process.argv.slice(2);
const MiniSearch = require(require.resolve("minisearch", { paths: [modules] }));
const fs = require("fs");
const docs = JSON.parse(fs.readFileSync(input, "utf8"));
const ms = new MiniSearch({ fields: ["title", "topics", "text", "author"], storeFields: ["title", "url", "lead"] });
ms.addAll(docs);
fs.writeFileSync(output, JSON.stringify(ms));
