// Times Hugging Face tokenizers (the Rust library through the npm binding
// @anush008/tokenizers 0.6.0, as in gen_bpe.js) on the texts of
// BenchmarkBPE_Encode, one line per encode call, for the ratio in the report:
//
//   mkdir -p /tmp/benchtext && EMBEDDB_BENCH_TEXT=/tmp/benchtext go test -run TestWriteBenchText ./trainer/tokenize
//   RAYON_NUM_THREADS=1 NODE_PATH=.../node_modules node trainer/tokenize/testdata/bench_hf.js /tmp/benchtext
//
// encodeBatch is timed too (it runs in Rust threads, without a JS call per line).
'use strict';
const fs = require('fs');
const path = require('path');
const {Tokenizer} = require('@anush008/tokenizers');

const dir = process.argv[2];
const shared = process.env.EMBEDDB_SHARED || path.join(__dirname, '..', '..', '..', '..', 'shared');

async function main() {
  let t0 = process.hrtime.bigint();
  const tok = Tokenizer.fromFile(path.join(shared, 'testdata', 'qwen', 'tokenizer.json'));
  console.log('load tokenizer.json: %d ms', Number(process.hrtime.bigint() - t0) / 1e6);
  for (const kind of ['english', 'chinese', 'mixed']) {
    const text = fs.readFileSync(path.join(dir, kind + '.txt'), 'utf8');
    const lines = text.split(/(?<=\n)/);
    const bytes = Buffer.byteLength(text);
    for (let pass = 0; pass < 3; pass++) {
      t0 = process.hrtime.bigint();
      let n = 0;
      for (const l of lines) n += (await tok.encode(l, null, {addSpecialTokens: false})).getIds().length;
      const s1 = Number(process.hrtime.bigint() - t0) / 1e9;
      t0 = process.hrtime.bigint();
      const enc = await tok.encodeBatch(lines, {addSpecialTokens: false});
      const s2 = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log('%s pass %d: encode per line %s MB/s (%d tokens), encodeBatch %s MB/s (%d lines)',
        kind, pass, (bytes / s1 / 1e6).toFixed(2), n, (bytes / s2 / 1e6).toFixed(2), enc.length);
    }
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
