// Records encodings of wordpiece/<NAME>/tokenizer.json with transformers.js
// (@lenml/tokenizers 3.7.2, resolved from the current directory), in the
// format of ../shared/testdata/tokenizers/gen_encodings.mjs.
//   node gen_wordpiece.mjs STRINGS_JSON OUT_JSONL TOKENIZER_DIR
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(path.join(process.cwd(), "noop.js"));
const { TokenizerLoader } = require("@lenml/tokenizers");
const [stringsFile, outFile, dir] = process.argv.slice(2);
const strings = JSON.parse(fs.readFileSync(stringsFile, "utf8"));
const tokenizer = TokenizerLoader.fromPreTrained({
  tokenizerJSON: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
  tokenizerConfig: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")),
});
const lines = strings.map((text) => {
  const ids = tokenizer.encode(text, { add_special_tokens: false });
  const ids_with_special = tokenizer.encode(text, { add_special_tokens: true });
  const tokens = tokenizer.model.convert_ids_to_tokens(ids);
  const decoded = ids.length ? tokenizer.decode(ids) : "";
  return JSON.stringify({ text, ids, tokens, ids_with_special, decoded });
});
fs.writeFileSync(outFile, lines.join("\n") + "\n");
console.log(`${lines.length} lines -> ${outFile}`);
