// Times Hugging Face tokenizers (the Rust library through the npm binding
// @anush008/tokenizers 0.6.0) on the mixed text of BenchmarkFamilies_Encode,
// one encode call per line, single-threaded, timed inside this process; and
// the load of each tokenizer.json. Run through bench_families.sh, which
// writes the text and runs the Go benchmark beside it.
'use strict';
const fs = require('fs');
const path = require('path');
const {Tokenizer} = require('@anush008/tokenizers');

const [textFile, shared] = process.argv.slice(2);
const names = ['qwen', 'llama2', 'llama3', 'gemma3', 'deepseek_v3', 'gpt4o'];

async function main() {
  const text = fs.readFileSync(textFile, 'utf8');
  const lines = text.split(/(?<=\n)/);
  const bytes = Buffer.byteLength(text);
  for (const name of names) {
    const file = name === 'qwen' ? path.join(shared, 'qwen', 'tokenizer.json')
      : path.join(shared, 'tokenizers', name, 'tokenizer.json');
    let t0 = process.hrtime.bigint();
    const tok = Tokenizer.fromFile(file);
    const load = Number(process.hrtime.bigint() - t0) / 1e9;
    let best = 0, bestCPU = 0, n = 0;
    for (let pass = 0; pass < 3; pass++) {
      t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      n = 0;
      for (const l of lines) n += (await tok.encode(l, null, {addSpecialTokens: false})).getIds().length;
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      const c = process.cpuUsage(c0);
      best = Math.max(best, bytes / s / 1e6);
      bestCPU = Math.max(bestCPU, bytes / ((c.user + c.system) / 1e6) / 1e6);
    }
    // CPU time (all the process's threads) is less sensitive than wall time
    // to other work on a shared machine.
    console.log(`hf ${name} encode_MB/s ${best.toFixed(2)} tokens ${n} load_s ${load.toFixed(3)} cpu_MB/s ${bestCPU.toFixed(2)}`);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
