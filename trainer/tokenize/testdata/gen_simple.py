#!/usr/bin/python3
"""Record gensim 4.2's simple_preprocess as golden files for the Go tests.

Run from trainer/tokenize with Debian's Python (apt-get install -y python3-gensim):

    /usr/bin/python3 testdata/gen_simple.py

It writes three files next to itself:

  simple.golden.jsonl   one tricky case per line: {"name", "text" or "hex", "deacc",
                        "min_len", "max_len", "tokens"}; "hex" holds the input bytes when
                        they are not valid UTF-8 (gensim decodes them with errors='ignore').
  unicode.golden.txt    every code point, in blocks of 1024: for each block a text is built
                        from its characters (see block_text) and the SHA-256 of its tokens,
                        joined by newlines, is recorded for deacc=False and deacc=True.
  corpus.golden.json    for some files of ../shared/testdata/corpus (if present): lines,
                        tokens and SHA-256 of the tokens of every line (split on b'\\n').
"""
import gzip
import hashlib
import json
import os
import sys
import unicodedata

import gensim
from gensim.utils import simple_preprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get('EMBEDDB_SHARED', os.path.join(HERE, '..', '..', '..', '..', 'shared'))

WALK = [
    "I love programming in Python.",
    "Python is a versatile language.",
    "Machine learning is fascinating.",
    "Deep learning is a subset of machine learning.",
    "Natural language processing is a field of AI.",
]

CASES = [
    # name, input (str or bytes), extra (min_len, max_len) variants
    ("walkthrough_1", WALK[0]),
    ("walkthrough_2", WALK[1]),
    ("walkthrough_3", WALK[2]),
    ("walkthrough_4", WALK[3]),
    ("walkthrough_5", WALK[4]),
    ("empty", ""),
    ("spaces_only", "   \t\n  "),
    ("accents_czech", "Šéf chomutovských komunistů dostal poštou bílý prášek"),
    ("accents_czech_digits", "Nic nemůže letět rychlostí vyšší, než 300 tisíc kilometrů za sekundu!"),
    ("accents_french", "Crème brûlée, café au lait, naïve façade, Noël à l'hôtel"),
    ("accents_spanish", "¿Dónde está el niño? ¡Mañana será pingüino!"),
    ("accents_nordic", "Ångström Øresund Þingvellir ÆSIR œuvre"),
    ("angstrom_sign", "\u212b is the Angstrom sign, \u2126 the ohm sign, \u212a the kelvin sign"),
    ("cjk_chinese", "我爱自然语言处理。北京是中国的首都，上海是最大的城市。"),
    ("cjk_long_run", "自然语言处理是计算机科学领域与人工智能领域中的一个重要方向"),
    ("cjk_japanese", "日本語のテキストを処理する。カタカナ ひらがな"),
    ("cjk_korean", "한국어 텍스트 처리는 재미있다"),
    ("hangul_jamo", "\u1112\u1161\u11ab\u1100\u1173\u11af jamo"),
    ("cyrillic", "Москва — столица России. ПРИВЕТ МИР, ёлка Ёлка"),
    ("greek", "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας"),
    ("greek_final_sigma", "ΟΔΥΣΣΕΥΣ ΣΑΣ Σ ΑΣ. ΑΣ'Β ΑΣ'' ΑΣ.Β ΑΣ1 ΑΣΑ Σ"),
    ("greek_sigma_context", "ΑΣ\u0301 ΑΣ\u00ad ΑΣ\u0301Β ΑΣ\u00b4 aΣb AΣ AΣ' 'Σ ǅΣ ΣΣ"),
    ("greek_tonos", "Άλφα ΈΨΙΛΟΝ ΐ ΰ ΌΜΙΚΡΟΝ"),
    ("digits_inside", "abc123def x1y2z3 word2vec 3D 4K 1990s mp3 h2o"),
    ("digits_other_scripts", "abc\u0663def \u0968\u0969 x\u0661\u0662y \uff11\uff12abc"),
    ("superscripts", "x² E=mc² H₂O ab²cd ¹²³ x³y"),
    ("fractions", "½ cup ab½cd ¼x ⅞ inch"),
    ("circled_and_roman", "①②③ ab①cd Ⅻ century ⅻ ⅰⅱ"),
    ("apostrophes", "don't can't it's O'Neil rock’n’roll l’homme ʼokina"),
    ("underscores", "_foo foo_bar __init__ _ a_b snake_case_identifier foo_ _x x_"),
    ("underscore_long", "_" * 3 + " " + "a_" * 10),
    ("long_tokens", "a" * 15 + " " + "b" * 16 + " supercalifragilisticexpialidocious pneumonoultramicroscopicsilicovolcanoconiosis"),
    ("long_boundary_unicode", "é" * 15 + " " + "é" * 16 + " " + "ß" * 15 + " " + "中" * 16),
    ("combining_marks", "cafe\u0301 e\u0301e\u0301 a\u0308bc \u0301abc x\u0301\u0302\u0303y"),
    ("combining_only", "\u0301\u0302 \u20dd\u20de"),
    ("turkish_dotted_i", "İstanbul IĞDIR ıi İİ iİi DİYARBAKIR"),
    ("german_sharp_s", "Straße STRASSE Maß ẞ GROẞ"),
    ("ligatures", "ﬁnance ﬂow ﬀ ﬃ Ǆemal ǅ ǆ Ĳssel ĳs"),
    ("emoji", "I ❤️ NY 😀 hello👋world 🇺🇸 flag 👨‍👩‍👧 family"),
    ("mixed_scripts", "Python是一种语言 helloмир abcαβγ λx.xy data科学"),
    ("hindi", "हिन्दी भाषा देवनागरी लिपि"),
    ("arabic", "اللغة العربية جميلة"),
    ("hebrew_niqqud", "שָׁלוֹם עוֹלָם"),
    ("thai", "ภาษาไทย ง่าย"),
    ("tamil", "தமிழ் மொழி கொ"),
    ("whitespace_kinds", "tab\there\r\nnew\u00a0nbsp\u2003em\u3000ideo\u2028ls"),
    ("bom_and_format", "\ufeffThe book a\u200db co\u00adop zero\u200bwidth"),
    ("ascii_punct", "e.g. i.e. U.S.A. a-b c/d e\\f foo.bar:baz^qux`quux \"quoted\" (paren) [br] {cu}"),
    ("html_like", "<p>Hello&nbsp;world</p> &amp; x=1&y=2"),
    ("url_email", "https://en.wikipedia.org/wiki/Python_(programming_language) user@example.com"),
    ("modifier_letters", "ʰelp aʰb ˈstress ꜱmall ᵃbc"),
    ("math_letters", "𝐇𝐞𝐥𝐥𝐨 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ℌ𝔦 ℕ ℝeal"),
    ("fullwidth", "ＡＢＣ ｆｕｌｌ ｗｉｄｔｈ"),
    ("title_digraphs", "ǅungla ǈubljana ǋ ǲ"),
    ("cherokee", "ᏣᎳᎩ ꮳꮃꭹ"),
    ("deseret", "𐐜𐐯 𐐔𐐯𐑅𐐨𐑉𐐯𐐻"),
    ("georgian", "ᲥᲐᲠᲗᲣᲚᲘ ქართული"),
    ("latin1_bytes", b"Stra\xdfe caf\xe9 na\xefve \xa3100"),
    ("invalid_in_word", b"ab\xffcd ef\x80gh"),
    ("invalid_truncated", b"\xe4\xbd hello caf\xc3"),
    ("invalid_surrogate", b"\xed\xa0\x80abc x\xed\xbf\xbfy"),
    ("invalid_too_large", b"\xf4\x90\x80\x80xyz \xf8\x88\x80\x80\x80w"),
    ("invalid_overlong", b"\xc0\xafab \xe0\x80\xafcd"),
    ("invalid_mixed_valid", b"\xc3\xa9t\xc3\xa9 \xe4\xbd\xa0\xe5\xa5\xbd\xff world"),
    ("invalid_only", b"\xff\xfe\xfd"),
    ("cp1252_dash", b"word\x97word \x93quoted\x94"),
    ("nul_and_controls", "a\x00b cd\x01ef gh\x7fij"),
    ("replacement_char", "ab\ufffdcd"),
    ("private_use", "ab\ue000cd \U000f0000x"),
    ("unassigned", "ab\u0378cd \U0001fffex"),
    ("newer_unicode", "\U00011f04\U00011f05 \U0001e4d0\U0001e4d1 \U00031350\U00031351 \u0cf3"),
]

VARIANTS = [
    ("len_1_100", "The quick brown fox jumps over a lazy dog I", 1, 100),
    ("len_4_5", "The quick brown fox jumps over a lazy dog", 4, 5),
    ("len_1_1", "a b cd é 中 x", 1, 1),
    ("len_3_3_unicode", "été ÉTÉ abc 中文字 ab", 3, 3),
]


def record(name, data, deacc, min_len=2, max_len=15):
    rec = {"name": name}
    if isinstance(data, bytes):
        try:
            rec["text"] = data.decode('utf-8')
        except UnicodeDecodeError:
            rec["hex"] = data.hex()
    else:
        rec["text"] = data
    rec["deacc"] = deacc
    rec["min_len"] = min_len
    rec["max_len"] = max_len
    rec["tokens"] = simple_preprocess(data, deacc=deacc, min_len=min_len, max_len=max_len)
    return rec


def block_text(lo):
    """The text of one 1024-code-point block; kept in sync with blockText in simple_test.go."""
    parts = []
    for cp in range(lo, lo + 1024):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        parts.append("x%sy A%s\u03a3%s %s%s\u03a3 %sAb\n" % (c, c, c, c, c, c))
    return "".join(parts)


def digest(tokens):
    return hashlib.sha256("\n".join(tokens).encode('utf-8')).hexdigest()[:16]


def main():
    print("gensim", gensim.__version__, "python", sys.version.split()[0],
          "unicode", unicodedata.unidata_version, file=sys.stderr)
    with open(os.path.join(HERE, 'simple.golden.jsonl'), 'w', encoding='utf-8') as fh:
        for name, data in CASES:
            for deacc in (False, True):
                fh.write(json.dumps(record(name, data, deacc), ensure_ascii=False) + "\n")
        for name, data, mn, mx in VARIANTS:
            for deacc in (False, True):
                fh.write(json.dumps(record(name, data, deacc, mn, mx), ensure_ascii=False) + "\n")

    with open(os.path.join(HERE, 'unicode.golden.txt'), 'w') as fh:
        fh.write("# gensim %s simple_preprocess, Python %s, Unicode %s: block start, "
                 "sha256[:16] of tokens for deacc=False, deacc=True\n"
                 % (gensim.__version__, sys.version.split()[0], unicodedata.unidata_version))
        for lo in range(0, 0x110000, 1024):
            text = block_text(lo)
            fh.write("%06x %s %s\n" % (lo, digest(simple_preprocess(text)),
                                       digest(simple_preprocess(text, deacc=True))))

    corpus = {}
    files = [
        ("corpus/wikipedia/wiki_AA_00.txt.gz", False),
        ("corpus/wikipedia/wiki_AA_07.txt.gz", True),
        ("corpus/gutenberg/11-0.txt.gz", False),
        ("corpus/gutenberg/1952-0.txt.gz", False),
        ("corpus/gensim/lee.cor", False),
        ("corpus/gensim/pang_lee_polarity.cor", True),
        ("corpus/gensim/alldata-id-10.txt", False),
    ]
    for rel, deacc in files:
        path = os.path.join(SHARED, 'testdata', rel)
        if not os.path.exists(path):
            print("skip (absent):", path, file=sys.stderr)
            continue
        opener = gzip.open if rel.endswith('.gz') else open
        h = hashlib.sha256()
        lines = tokens = 0
        with opener(path, 'rb') as fh:
            for line in fh:
                toks = simple_preprocess(line, deacc=deacc)
                lines += 1
                tokens += len(toks)
                h.update(("\n".join(toks) + "\n").encode('utf-8'))
        corpus[rel] = {"deacc": deacc, "lines": lines, "tokens": tokens, "sha256": h.hexdigest()}
    if corpus:
        with open(os.path.join(HERE, 'corpus.golden.json'), 'w') as fh:
            json.dump(corpus, fh, indent=1, sort_keys=True)
            fh.write("\n")


if __name__ == '__main__':
    main()
