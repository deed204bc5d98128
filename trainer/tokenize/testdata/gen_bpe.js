// Records Hugging Face tokenizers' byte-level BPE behaviour as golden files
// for bpe_test.go. The reference is the real Rust library (tokenizers
// 0.22.2) through the npm N-API binding @anush008/tokenizers 0.6.0:
//
//   cd "$(mktemp -d)" && npm install @anush008/tokenizers@0.6.0
//   NODE_PATH="$PWD/node_modules" node /path/to/trainer/tokenize/testdata/gen_bpe.js
//
// It writes, next to itself:
//   bpe/<name>.json        small synthetic tokenizer.json files (see variants
//                          below), cut from Qwen's vocabulary and merges, so
//                          that tests need nothing from ../shared;
//   bpe.golden.jsonl       {"tokenizer", "text", "ids", "tokens"} encodings of
//                          hand-picked and random texts with each tokenizer
//                          ("qwen" is ../shared/testdata/qwen/tokenizer.json),
//                          and {"tokenizer", "decode", "text"} decodings;
//   pretokenize.golden.jsonl  {"pretokenizer", "text", "pieces"}: the pieces of
//                          Qwen's and Llama 3's Split and of GPT-2's ByteLevel.
// Random texts come from a seeded generator, so a rerun gives the same file.
'use strict';
const fs = require('fs');
const path = require('path');
const {Tokenizer} = require('@anush008/tokenizers');

const here = __dirname;
const shared = process.env.EMBEDDB_SHARED || path.join(here, '..', '..', '..', '..', 'shared');
const qwenPath = path.join(shared, 'testdata', 'qwen', 'tokenizer.json');

// GPT-2's bytes_to_unicode.
const byteChars = [];
{
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const keep = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    byteChars.push(String.fromCodePoint(keep ? b : 256 + n++));
  }
}

const qwen = JSON.parse(fs.readFileSync(qwenPath, 'utf8'));
const QWEN_SPLIT = qwen.pre_tokenizer.pretokenizers[0].pattern.Regex;
const LLAMA3_SPLIT = QWEN_SPLIT.replace('|\\p{N}|', '|\\p{N}{1,3}|');
if (LLAMA3_SPLIT === QWEN_SPLIT) throw new Error('could not derive the Llama 3 pattern');

// cut returns vocab and merges of Qwen's first nMerges merges over the 256
// byte-level characters, minus the bytes in dropBytes, renumbered densely in
// Qwen's id order; extra tokens are appended at the end.
function cut(nMerges, dropBytes = [], extra = []) {
  const dropped = new Set(dropBytes.map((b) => byteChars[b]));
  const keep = new Set(byteChars.filter((c) => !dropped.has(c)));
  const merges = [];
  for (const [a, b] of qwen.model.merges) {
    if (merges.length >= nMerges) break;
    if (keep.has(a) && keep.has(b) && qwen.model.vocab[a + b] !== undefined) {
      keep.add(a + b);
      merges.push([a, b]);
    }
  }
  const toks = [...keep].sort((x, y) => qwen.model.vocab[x] - qwen.model.vocab[y]);
  const vocab = {};
  toks.forEach((t, i) => { vocab[t] = i; });
  for (const t of extra) vocab[t] = Object.keys(vocab).length;
  return {vocab, merges};
}

function model(v, opts = {}) {
  return Object.assign({
    type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '',
    end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, ignore_merges: false,
    vocab: v.vocab, merges: v.merges,
  }, opts);
}

function added(id, content, special, opts = {}) {
  return Object.assign({id, content, single_word: false, lstrip: false, rstrip: false,
    normalized: !special, special}, opts);
}

const byteLevel = (prefix, regex) => ({type: 'ByteLevel', add_prefix_space: prefix, trim_offsets: false, use_regex: regex});

const variants = {};
{
  // Qwen's layout: NFC, Split(Qwen regex) + ByteLevel, merges as pairs, and
  // added tokens of every kind.
  const v = cut(1500);
  const n = Object.keys(v.vocab).length;
  variants.tiny_qwen = {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [
      added(n, '<|endoftext|>', true, {normalized: false}),
      added(n + 1, '<|im_start|>', true, {normalized: false}),
      added(n + 2, '<|im_end|>', true, {normalized: false}),
      added(n + 3, '<think>', false, {normalized: false}),
      added(n + 4, '</think>', false, {normalized: false}),
      added(n + 5, '<mask>', true, {normalized: false, lstrip: true, rstrip: true}),
      added(n + 6, '[w]', false, {normalized: false, single_word: true}),
      added(n + 7, 'ĠĠcustom', false, {normalized: false}),
      added(n + 8, '日本', false, {normalized: false}),
      added(n + 9, 'café', false, {normalized: true}),
      added(n + 10, 'the', false, {normalized: true}),
    ],
    normalizer: {type: 'NFC'},
    pre_tokenizer: {type: 'Sequence', pretokenizers: [
      {type: 'Split', pattern: {Regex: QWEN_SPLIT}, behavior: 'Isolated', invert: false},
      byteLevel(false, false),
    ]},
    post_processor: byteLevel(false, false),
    decoder: byteLevel(false, false),
    model: model(v),
  };
}
{
  // GPT-2's layout: no normalizer, ByteLevel(use_regex), merges as strings,
  // <|endoftext|> both in the vocab and an added token.
  const v = cut(1000, [], ['<|endoftext|>']);
  const n = Object.keys(v.vocab).length;
  v.merges = v.merges.map(([a, b]) => a + ' ' + b);
  variants.tiny_gpt2 = {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [added(n - 1, '<|endoftext|>', true, {normalized: false})],
    normalizer: null,
    pre_tokenizer: byteLevel(false, true),
    post_processor: {type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true},
    decoder: byteLevel(false, true),
    model: model(v),
  };
}
{
  // add_prefix_space, NFKC in a Sequence, ignore_merges, a Split with the
  // GPT-2 pattern before ByteLevel.
  const v = cut(800);
  const n = Object.keys(v.vocab).length;
  const tok = added(n, '<sep>', false, {});
  variants.tiny_prefix = {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [tok, added(n + 1, 'ﬁne', false, {normalized: true})],
    normalizer: {type: 'Sequence', normalizers: [{type: 'NFKC'}]},
    pre_tokenizer: {type: 'Sequence', pretokenizers: [
      {type: 'Split', pattern: {Regex: "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"}, behavior: 'Isolated', invert: false},
      byteLevel(true, false),
    ]},
    post_processor: null,
    decoder: byteLevel(true, false),
    model: model(v, {ignore_merges: true}),
  };
}
{
  // Llama 3's layout: no normalizer, Split(Llama 3 regex: digits in threes)
  // + ByteLevel, ignore_merges.
  const v = cut(1200);
  const n = Object.keys(v.vocab).length;
  variants.tiny_llama3 = {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [added(n, '<|begin_of_text|>', true, {normalized: false}), added(n + 1, '<|eot_id|>', true, {normalized: false})],
    normalizer: null,
    pre_tokenizer: {type: 'Sequence', pretokenizers: [
      {type: 'Split', pattern: {Regex: LLAMA3_SPLIT}, behavior: 'Isolated', invert: false},
      byteLevel(false, false),
    ]},
    post_processor: null,
    decoder: byteLevel(true, false),
    model: model(v, {ignore_merges: true}),
  };
}
{
  // Missing bytes with an unk token, fused.
  const drop = [];
  for (let b = 0xe0; b < 0x100; b++) drop.push(b); // lead bytes of 3- and 4-byte characters
  const v = cut(600, drop, ['<unk>']);
  variants.tiny_unk = {
    version: '1.0', truncation: null, padding: null, added_tokens: [],
    normalizer: {type: 'NFC'},
    pre_tokenizer: byteLevel(false, true),
    post_processor: null,
    decoder: byteLevel(false, true),
    model: model(v, {unk_token: '<unk>', fuse_unk: true}),
  };
}
{
  // Missing bytes with byte_fallback tokens <0xXX> (for some bytes only) and
  // an unfused unk.
  const drop = [];
  for (let b = 0x80; b < 0xc0; b++) drop.push(b); // continuation bytes
  const fallback = [];
  for (let b = 0; b < 256; b++) if (b % 3 !== 0) fallback.push('<0x' + b.toString(16).toUpperCase().padStart(2, '0') + '>');
  const v = cut(600, drop, ['<unk>', ...fallback]);
  variants.tiny_fallback = {
    version: '1.0', truncation: null, padding: null, added_tokens: [],
    normalizer: null,
    pre_tokenizer: byteLevel(false, true),
    post_processor: null,
    decoder: byteLevel(false, true),
    model: model(v, {unk_token: '<unk>', byte_fallback: true}),
  };
}

// Hand-picked texts: every alternative of both split patterns, whitespace of
// all kinds, contractions in every case, added tokens in and out of words.
const FIXED = [
  '', ' ', '  ', '\n', '\r\n', '\t', 'a', 'Hello, world!', "I'm here, you're there, it's 5 o'clock.",
  "DON'T SHOUT, WE'LL GO, THEY'VE, I'D, SHE'S", "it'Sa we'LLx 'sup 're 'vex ''s 's", "I'ſ I'ſa l'ſ",
  'Hi, 你好~', '我爱自然语言处理。', 'Ünïcödé çafé naïve', 'cafe\u0301 vs café', '\u1112\u1161\u11ab',
  'ﬁne ﬁsh ＡＢＣ ①②', 'x² ½ Ⅻ ٣٤ ¹²³', 'Москва Ελλάδα ΟΔΟΣ', 'ab12cd 3.14159 1,000,000 2024-01-31',
  'hello  world   three    four', 'tab\tsep\t\tdouble', 'trailing spaces   ', '   leading', 'a \n b', 'a\n\n\nb',
  'x \r\n\r\n y', 'end\n', ' \n \n ', '\u3000全角\u3000スペース', 'nbsp\u00a0here \u00a0x', 'ls\u2028ps\u2029nel\u0085',
  '\ufeffbom', 'zero\u200bwidth joiner\u200d!', 'emoji 😀👍🏽 🇺🇸 👨‍👩‍👧 ❤️', 'mixed中文English混合123',
  '((nested)) [brackets] {braces} <angle>', '!!!??? ...', ' !x', ' !\n\nx', '.\r\n\r\nx', 'a.\r\r\rb',
  'def f(x):\n    return x * 2\n', 'for (int i=0;i<n;i++){a[i]+=1;}', 'SELECT * FROM t WHERE x = \'y\';',
  'https://example.com/path?q=1&r=2#frag', 'user@example.com', '$100 €50 £30 ¥20', '#hashtag @mention',
  '<|endoftext|>', '<|im_start|>user\nHi<|im_end|>', 'a<|endoftext|>b', '<|endoftext|><|endoftext|>',
  '<|im_start', '<|endoftext|', '<think>hi</think>', 'x<think>y', '<think >', 'ĠĠcustom ĠĠcustomx',
  'go <mask> now', 'go<mask>now', '  <mask>  ', '<mask>\t<mask>\u2000', '[w] a[w] [w]b [w]', 'x [w]. ([w])',
  '日本語 日本 の日本', 'café Café cafe\u0301 CAFÉ', 'the theme bathe THE', '<sep>a<sep>', 'ﬁne ﬁ ne fine',
  '>\u0338 <think>\u0338', 'a'.repeat(300), 'ab'.repeat(100), '中'.repeat(200), ' '.repeat(50) + 'x', '1234567890',
];

// A seeded generator (mulberry32) of random texts from interesting pieces.
function rng(seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const PIECES = [
  'the', 'The', ' quick', 'brown', ' fox', 'ing', 'tion', 'a', 'I', 'x', 'Z', 'hello', 'WORLD', 'é', 'ü', 'ß',
  'e\u0301', 'A\u030a', 'ſ', 'İ', 'ﬁ', 'Ω', 'Ж', 'ы', 'λ', 'Σ', '中', '文', '日本', 'の', 'カ', '한', '\u1100\u1161',
  '0', '7', '42', '٣', '²', '½', 'Ⅻ', '①', ' ', ' ', ' ', '  ', '\t', '\n', '\n', '\r', '\r\n', '\u00a0', '\u3000',
  '\u2028', '\u0085', '\u200b', '\ufeff', "'", "'s", "'S", "'ll", "'LL", "'re", "'Ve", "'d", "'m", "'t", '.', ',',
  '!', '?', '-', '_', '(', ')', '[', ']', '{', '}', '<', '>', '/', '\\', '"', '#', '$', '%', '&', '*', '+', '=',
  '@', '^', '`', '|', '~', ':', ';', '...', '😀', '👍🏽', '🇺🇸', '‍', '\u0338', '\u0301', '<|endoftext|>',
  '<|im_start|>', '<|im_end|>', '<think>', '</think>', '<mask>', '[w]', 'ĠĠcustom', 'café', '<sep>', 'ﬁne', '<|',
];
function randomTexts(seed, count) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(r() * r() * 60);
    let s = '';
    for (let k = 0; k < n; k++) s += PIECES[Math.floor(r() * PIECES.length)];
    out.push(s);
  }
  return out;
}

// Texts of code points drawn from ranges of every kind: ASCII, Latin, marks,
// spaces, digits of many scripts, CJK, emoji, private use, unassigned.
const RANGES = [
  [0x20, 0x7e], [0x20, 0x7e], [0x09, 0x0d], [0x1c, 0x20], [0x80, 0xff], [0x100, 0x24f], [0x250, 0x2ff],
  [0x300, 0x36f], [0x370, 0x3ff], [0x400, 0x4ff], [0x590, 0x6ff], [0x900, 0x97f], [0xe00, 0xe7f],
  [0x1000, 0x109f], [0x1100, 0x11ff], [0x1680, 0x1680], [0x1800, 0x18af], [0x1e00, 0x1eff], [0x2000, 0x206f],
  [0x2070, 0x209f], [0x20a0, 0x20cf], [0x2100, 0x218f], [0x2190, 0x23ff], [0x2460, 0x24ff], [0x2e80, 0x2fdf],
  [0x3000, 0x303f], [0x3040, 0x30ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xac00, 0xd7a3],
  [0xe000, 0xf8ff], [0xf900, 0xfaff], [0xfb00, 0xfb4f], [0xfe00, 0xfe6f], [0xff00, 0xffef], [0xfff0, 0xffff],
  [0x10000, 0x1007f], [0x10400, 0x1044f], [0x1d400, 0x1d7ff], [0x1f000, 0x1faff], [0x20000, 0x2a6df],
  [0x30000, 0x3134f], [0x31350, 0x323af], [0xe0000, 0xe007f], [0xf0000, 0xf00ff], [0x10fff0, 0x10ffff],
  [0x11f00, 0x11f5f], [0x1e4d0, 0x1e4ff], [0x0cf3, 0x0cf3], [0x2028, 0x2029], [0x85, 0x85], [0xa0, 0xa0],
];
function randomCodePointTexts(seed, count) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(r() * 40);
    let s = '';
    for (let k = 0; k < n; k++) {
      const [lo, hi] = RANGES[Math.floor(r() * RANGES.length)];
      const cp = lo + Math.floor(r() * (hi - lo + 1));
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      s += String.fromCodePoint(cp);
    }
    out.push(s);
  }
  return out;
}

async function main() {
  fs.mkdirSync(path.join(here, 'bpe'), {recursive: true});
  const tokenizers = {};
  for (const [name, cfg] of Object.entries(variants)) {
    const file = path.join(here, 'bpe', name + '.json');
    fs.writeFileSync(file, JSON.stringify(cfg) + '\n');
    tokenizers[name] = Tokenizer.fromFile(file);
  }
  tokenizers.qwen = Tokenizer.fromFile(qwenPath);

  const lines = [];
  let seed = 1;
  for (const [name, tok] of Object.entries(tokenizers)) {
    const texts = FIXED.concat(randomTexts(seed++, name === 'qwen' ? 300 : 150));
    for (const text of texts) {
      const e = await tok.encode(text, null, {addSpecialTokens: false});
      lines.push(JSON.stringify({tokenizer: name, text, ids: e.getIds(), tokens: e.getTokens()}));
    }
    // Decoding: whole encodings, single tokens (often half a character), and
    // random id runs.
    const r = rng(1000 + seed);
    const size = tok.getVocabSize(true);
    const decodes = [];
    for (const text of FIXED) {
      const ids = (await tok.encode(text, null, {addSpecialTokens: false})).getIds();
      decodes.push(ids);
      if (ids.length > 0) decodes.push([ids[Math.floor(r() * ids.length)]]);
    }
    for (let i = 0; i < 60; i++) {
      const ids = [];
      const n = 1 + Math.floor(r() * 8);
      for (let k = 0; k < n; k++) ids.push(Math.floor(r() * size));
      decodes.push(ids.filter((id) => tok.idToToken(id) !== null));
    }
    for (const ids of decodes) {
      const text = await tok.decode(ids, false);
      lines.push(JSON.stringify({tokenizer: name, decode: ids, text}));
    }
  }
  fs.writeFileSync(path.join(here, 'bpe.golden.jsonl'), lines.join('\n') + '\n');
  console.log('wrote', lines.length, 'golden lines');

  // The split patterns alone, on texts of random code points: the pieces of
  // Qwen's pre-tokenizer and of GPT-2's ByteLevel(use_regex=true).
  const pre = [];
  const pretok = {qwen: tokenizers.qwen.getPreTokenizer(), llama3: tokenizers.tiny_llama3.getPreTokenizer(),
    gpt2: tokenizers.tiny_gpt2.getPreTokenizer()};
  const texts = FIXED.concat(randomTexts(77, 200), randomCodePointTexts(78, 400));
  for (const [name, p] of Object.entries(pretok)) {
    for (const text of texts) {
      pre.push(JSON.stringify({pretokenizer: name, text, pieces: p.preTokenizeString(text).map((x) => x[0])}));
    }
  }
  fs.writeFileSync(path.join(here, 'pretokenize.golden.jsonl'), pre.join('\n') + '\n');
  console.log('wrote', pre.length, 'pretokenize lines');
}

main().catch((e) => { console.error(e); process.exit(1); });
