package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/embeddb/embeddb/query"
)

// maxWordCompletions bounds how many words of a table tab offers.
const maxWordCompletions = 200

// complete is the REPL's tab completion (a liner.WordCompleter): line is
// the line being edited and pos the cursor, in runes. It completes
//
//   - dot-commands at the start of an input, and their arguments (tables,
//     modes, on/off, files, commands after .help);
//   - inside a string: a file name after FROM or TO (TRAIN, IMPORT,
//     EXPORT...), else a word of the current table, as in
//     NEAREST('pyt<Tab> — the current table is the one named in the
//     statement (FROM w2v, even after the cursor), else the one the last
//     statement used, else the only table;
//   - elsewhere: table names after FROM, INTO, TABLE, DESCRIBE... and
//     keywords, function names and table names otherwise. Keywords
//     follow the case of what was typed; a function name comes with its
//     "(" (NEAREST(), unless one follows the cursor already.
func (s *session) complete(line string, pos int) (head string, items []string, tail string) {
	runes := []rune(line)
	pos = max(0, min(pos, len(runes)))
	before, tail := string(runes[:pos]), string(runes[pos:])
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	if query.Blank(s.pending) && isDotCommand(before) {
		return s.completeDot(ctx, before, tail)
	}

	all := s.pending + before
	toks, openAt := lexForCompletion(all)
	if n := len(toks); n > 0 && toks[n-1].kind == tokPunctC && toks[n-1].text == "" {
		return "", nil, tail // in a comment
	}
	if openAt >= 0 {
		return s.completeString(ctx, toks, all, before, tail, openAt)
	}

	return s.completeWord(ctx, toks, all, before, tail)
}

// tableContext lists the keywords after which a table name comes.
var tableContext = map[string]bool{
	"FROM": true, "INTO": true, "TABLE": true, "DESCRIBE": true, "TRAIN": true,
	"IMPORT": true, "EXPORT": true, "ON": true, "EVALUATE": true, "EXISTS": true,
}

// completeDot completes a dot-command or its argument.
func (s *session) completeDot(ctx context.Context, before, tail string) (string, []string, string) {
	trimmed := strings.TrimLeft(before, " \t")
	lead := before[:len(before)-len(trimmed)]
	cmd, arg, hasArg := strings.Cut(trimmed, " ")
	if !hasArg {
		var items []string
		for _, c := range dotCommands {
			if strings.HasPrefix(c.name, cmd) {
				items = append(items, c.name)
			}
		}
		return lead, items, tail
	}
	arg = strings.TrimLeft(arg, " ")
	if strings.ContainsAny(arg, " \t") {
		return "", nil, tail // one argument at most
	}
	head := before[:len(before)-len(arg)]
	var cands []string
	switch cmd {
	case ".schema", ".dump", ".indexes", ".indices":
		return head, matchFold(s.tableNames(ctx), arg, false), tail
	case ".read", ".output", ".once", ".open", ".import":
		return head, completeFiles(arg), tail
	case ".mode":
		cands = modeNames
	case ".header", ".headers", ".timer", ".bail", ".echo", ".changes":
		cands = []string{"on", "off"}
	case ".vectors":
		cands = []string{"auto", "full", "short"}
	case ".help":
		for _, c := range dotCommands {
			cands = append(cands, c.name)
		}
	}
	return head, matchFold(cands, arg, false), tail
}

// afterString returns what follows the end of the string the cursor is
// in: tail without the rest of that string and its closing quote.
func afterString(tail string) string {
	for i := 0; i < len(tail); i++ {
		if tail[i] == '\'' {
			if i+1 < len(tail) && tail[i+1] == '\'' {
				i++
				continue
			}
			return tail[i+1:]
		}
	}
	return ""
}

// currentTable is the table a word inside a string is completed from:
// the one the statement names (its FROM may come after the cursor), else
// the last one used, else the only table.
func (s *session) currentTable(ctx context.Context, toks []compTok, tail string) string {
	// The rest of the statement, up to its ';'.
	if i := strings.IndexByte(tail, ';'); i >= 0 {
		tail = tail[:i]
	}
	after, _ := lexForCompletion(tail)
	all := append(append([]compTok(nil), toks...), after...)
	// Only the statement being typed: after the last ';'.
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].kind == tokPunctC && all[i].text == ";" {
			all = all[i+1:]
			break
		}
	}
	for i := len(all) - 2; i >= 0; i-- {
		if k := strings.ToUpper(all[i].text); all[i].kind == tokWord && (k == "FROM" || k == "INTO" || k == "TABLE" || k == "DESCRIBE") {
			if n := all[i+1]; n.kind == tokWord || n.kind == tokQuoted {
				return n.name()
			}
		}
	}
	if s.lastTable != "" {
		return s.lastTable
	}
	if names := s.tableNames(ctx); len(names) == 1 {
		return names[0]
	}
	return ""
}

func (s *session) tableNames(ctx context.Context) []string {
	infos, err := s.db.Tables(ctx)
	if err != nil {
		return nil
	}
	names := make([]string, len(infos))
	for i, in := range infos {
		names[i] = in.Name
	}
	return names
}

// completeFiles lists the files and directories whose path starts with
// prefix; directories end with a separator.
func completeFiles(prefix string) []string {
	dir, base := filepath.Split(prefix)
	list := dir
	if list == "" {
		list = "."
	}
	entries, err := os.ReadDir(list)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		if e.IsDir() {
			name += string(filepath.Separator)
		}
		out = append(out, dir+name)
	}
	sort.Strings(out)
	return out
}

// matchFold returns the candidates that start with prefix, ignoring case;
// with nonEmpty, an empty prefix matches nothing.
func matchFold(cands []string, prefix string, nonEmpty bool) []string {
	if nonEmpty && prefix == "" {
		return nil
	}
	var out []string
	for _, c := range cands {
		if len(c) >= len(prefix) && strings.EqualFold(c[:len(prefix)], prefix) {
			out = append(out, c)
		}
	}
	return out
}

func dedupe(items []string) []string {
	seen := make(map[string]bool, len(items))
	out := items[:0]
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	return out
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// compTok is a token as completion sees it: rougher than the parser's
// tokens, and tolerant of anything unfinished.
type compTok struct {
	kind       int
	text       string
	start, end int
}

const (
	tokWord   = iota + 1 // a word: keyword, function or identifier
	tokQuoted            // "quoted identifier"
	tokStr               // 'string'
	tokPunctC            // anything else, one character
)

// name is a word or quoted identifier as a table name.
func (t compTok) name() string {
	if t.kind == tokQuoted && len(t.text) >= 2 {
		return strings.ReplaceAll(t.text[1:len(t.text)-1], `""`, `"`)
	}
	return t.text
}

// lexForCompletion splits src into tokens, skipping comments. openAt is the
// offset of the quote that starts a string or quoted identifier still open
// at the end of src, or -1 (also -1 when src ends inside a comment, where
// nothing is completed: then the last token is a tokPunctC "").
func lexForCompletion(src string) (toks []compTok, openAt int) {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case strings.HasPrefix(src[i:], "--"):
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				return append(toks, compTok{kind: tokPunctC, start: len(src), end: len(src)}), -1
			}
			i += j + 1
		case strings.HasPrefix(src[i:], "/*"):
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return append(toks, compTok{kind: tokPunctC, start: len(src), end: len(src)}), -1
			}
			i += j + 4
		case r == '\'' || r == '"':
			j := i + 1
			for {
				k := strings.IndexByte(src[j:], byte(r))
				if k < 0 {
					return toks, i
				}
				j += k + 1
				if j < len(src) && src[j] == byte(r) {
					j++ // a doubled quote
					continue
				}
				break
			}
			kind := tokStr
			if r == '"' {
				kind = tokQuoted
			}
			toks = append(toks, compTok{kind: kind, text: src[i:j], start: i, end: j})
			i = j
		case isWordRune(r):
			j := i
			for j < len(src) {
				r2, n2 := utf8.DecodeRuneInString(src[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
			toks = append(toks, compTok{kind: tokWord, text: src[i:j], start: i, end: j})
			i = j
		default:
			toks = append(toks, compTok{kind: tokPunctC, text: src[i : i+n], start: i, end: i + n})
			i += n
		}
	}
	return toks, -1
}

// skipFileList drops a list of strings and commas from the end of toks,
// so that in TRAIN t FROM 'a.txt', 'b<Tab> the word before is FROM.
func skipFileList(toks []compTok) []compTok {
	n := len(toks)
	for n >= 2 && toks[n-1].kind == tokPunctC && toks[n-1].text == "," && toks[n-2].kind == tokStr {
		n -= 2
	}
	return toks[:n]
}

// lastWord returns the last token, upper-cased, if it is a word; else
// the punctuation mark itself.
func lastWord(toks []compTok) string {
	if len(toks) == 0 {
		return ""
	}
	return strings.ToUpper(toks[len(toks)-1].text)
}

// completeString completes inside the string literal whose quote is at
// openAt in all (the pending lines, then before): a file name after FROM or
// TO, else a word of the statement's table.
func (s *session) completeString(ctx context.Context, toks []compTok, all, before, tail string, openAt int) (_ string, items []string, _ string) {
	start := openAt - len(s.pending) // the quote, in before
	if start < 0 || all[openAt] != '\'' {
		return "", nil, tail // a string from an earlier line, or a quoted name
	}
	prefix := strings.ReplaceAll(before[start+1:], "''", "'")
	closing := "'"
	if strings.HasPrefix(tail, "'") {
		closing = ""
	}
	if prev := lastWord(skipFileList(toks)); prev == "FROM" || prev == "TO" {
		for _, f := range completeFiles(prefix) {
			item := strings.ReplaceAll(f, "'", "''")
			if !strings.HasSuffix(f, string(filepath.Separator)) {
				item += closing
			}
			items = append(items, item)
		}
		return before[:start+1], items, tail
	}
	table := s.currentTable(ctx, toks, afterString(tail))
	if table == "" {
		return "", nil, tail
	}
	words, err := s.db.WordsWithPrefix(ctx, table, prefix, maxWordCompletions)
	if err != nil {
		return "", nil, tail
	}
	for _, w := range words {
		items = append(items, strings.ReplaceAll(w, "'", "''")+closing)
	}
	return before[:start+1], items, tail
}

// completeWord completes the word being typed at the end of before: a table
// name after a word that takes one, else a keyword, a function (with its
// "(") or a table.
func (s *session) completeWord(ctx context.Context, toks []compTok, all, before, tail string) (head string, items []string, _ string) {
	// The word being typed, and the one before it.
	start := len(before)
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(before[:start])
		if !isWordRune(r) {
			break
		}
		start -= n
	}
	word := before[start:]
	if len(toks) > 0 && toks[len(toks)-1].end == len(all) && toks[len(toks)-1].kind == tokWord {
		toks = toks[:len(toks)-1] // the word being typed
	}
	prev := lastWord(toks)
	tables := s.tableNames(ctx)
	if tableContext[prev] {
		return before[:start], matchFold(tables, word, false), tail
	}
	if word == "" {
		return before[:start], nil, tail
	}
	lower := strings.ToLower(word) == word && strings.ToUpper(word) != word
	var cands []string
	funcs := map[string]bool{}
	for _, f := range query.Functions() {
		funcs[f] = true
	}
	for _, k := range query.Keywords() {
		if funcs[k] {
			continue // completed as a function, below
		}
		if lower {
			k = strings.ToLower(k)
		}
		cands = append(cands, k)
	}
	// A function name comes with its "(", unless one follows already.
	paren := "("
	if strings.HasPrefix(strings.TrimLeft(tail, " "), "(") {
		paren = ""
	}
	for _, f := range query.Functions() {
		if lower {
			f = strings.ToLower(f)
		}
		if len(f) >= len(word) && strings.EqualFold(f[:len(word)], word) {
			cands = append(cands, f+paren)
		}
	}
	items = append(matchFold(cands, word, true), matchFold(tables, word, false)...)
	return before[:start], dedupe(items), tail
}
