package query

import (
	"strings"
)

// Participle reports a syntax error as `unexpected token "X" (expected E)`,
// where E is the EBNF of what the grammar wanted next: `"FROM" GTableName`,
// `("ASC" | "DESC")`, `GOption`... This file turns E into words ("table
// name", "TABLE or INDEX") by computing the FIRST set of E over the
// grammar's own EBNF, stopping at the productions that have a name a person
// would use.

// productionLabels names the productions that stand for one concept. Other
// productions are described by the tokens they can begin with.
var productionLabels = map[string]string{
	"GStmt":        "statement",
	"Expr":         "expression",
	"GSelectItem":  "expression",
	"GOrderItem":   "expression",
	"GTableName":   "table name",
	"GColumn":      "column name",
	"GAlias":       "alias",
	"GMethod":      "index method",
	"GFile":        "file name in single quotes",
	"GOption":      "option name",
	"GTableElem":   "option or column name",
	"GColumnDef":   "column name",
	"GColType":     "column type",
	"DefaultValue": "value",
	"GSetting":     "setting name",
	"OptionValue":  "value",
}

// nameLabels are the labels of places where a name goes; finding a reserved
// word there earns a hint to quote it.
var nameLabels = map[string]bool{
	"table name":   true,
	"column name":  true,
	"alias":        true,
	"index method": true,
	"expression":   true,
}

var tokenLabels = map[string]string{
	"<ident>":   "identifier",
	"<qident>":  "quoted identifier",
	"<keyword>": "keyword",
	"<func>":    "function name",
	"<string>":  "string",
	"<number>":  "number",
	"<param>":   "?",
	"<punct>":   "punctuation",
	"<eof>":     "end of input",
}

// enode is a node of a parsed EBNF expression.
type enode struct {
	kind byte // 'l' literal, 't' token, 'n' production name, '|' alternatives, ' ' sequence
	text string
	kids []*enode
	opt  bool // followed by ? or *: may match nothing
}

// parseEBNF reads participle's grammar listing, one "Name = body ." per
// line, into production bodies.
func parseEBNF(grammar string) map[string]*enode {
	out := map[string]*enode{}
	for _, line := range strings.Split(grammar, "\n") {
		name, body, ok := strings.Cut(line, " = ")
		if !ok {
			continue
		}
		body = strings.TrimSuffix(body, " .")
		out[name] = parseEBNFExpr(body)
	}
	return out
}

func parseEBNFExpr(s string) *enode {
	r := &ebnfReader{s: s}
	return r.alts()
}

type ebnfReader struct {
	s string
	i int
}

func (r *ebnfReader) skipSpace() {
	for r.i < len(r.s) && r.s[r.i] == ' ' {
		r.i++
	}
}

func (r *ebnfReader) peek() byte {
	r.skipSpace()
	if r.i < len(r.s) {
		return r.s[r.i]
	}
	return 0
}

func (r *ebnfReader) alts() *enode {
	n := &enode{kind: '|'}
	for {
		n.kids = append(n.kids, r.seq())
		if r.peek() != '|' {
			break
		}
		r.i++
	}
	if len(n.kids) == 1 {
		return n.kids[0]
	}
	return n
}

func (r *ebnfReader) seq() *enode {
	n := &enode{kind: ' '}
	for {
		c := r.peek()
		if c == 0 || c == '|' || c == ')' {
			return n
		}
		t := r.term()
		if t == nil {
			return n
		}
		n.kids = append(n.kids, t)
	}
}

func (r *ebnfReader) term() *enode {
	var n *enode
	start := r.i
	switch c := r.s[r.i]; {
	case c == '"':
		j := r.i + 1
		for j < len(r.s) && r.s[j] != '"' {
			if r.s[j] == '\\' {
				j++
			}
			j++
		}
		lit := r.s[r.i+1 : min(j, len(r.s))]
		r.i = min(j+1, len(r.s))
		n = &enode{kind: 'l', text: lit}
	case c == '<':
		j := strings.IndexByte(r.s[r.i:], '>')
		if j < 0 {
			r.i = len(r.s)
			return nil
		}
		n = &enode{kind: 't', text: r.s[r.i : r.i+j+1]}
		r.i += j + 1
	case c == '(':
		r.i++
		if strings.HasPrefix(r.s[r.i:], "?=") || strings.HasPrefix(r.s[r.i:], "?!") {
			r.i += 2 // lookahead: matches nothing
			r.alts()
			if r.peek() == ')' {
				r.i++
			}
			return &enode{kind: ' ', opt: true}
		}
		n = r.alts()
		if r.peek() == ')' {
			r.i++
		}
	case c == '~':
		r.i++
		r.term()
		n = &enode{kind: 't', text: "<any>"}
	default:
		j := r.i
		for j < len(r.s) && (r.s[j] == '_' || 'a' <= r.s[j] && r.s[j] <= 'z' ||
			'A' <= r.s[j] && r.s[j] <= 'Z' || '0' <= r.s[j] && r.s[j] <= '9') {
			j++
		}
		if j == r.i {
			r.i++ // unknown character: skip it
			return &enode{kind: ' ', opt: true}
		}
		n = &enode{kind: 'n', text: r.s[r.i:j]}
		r.i = j
	}
	if r.i < len(r.s) {
		switch r.s[r.i] {
		case '?', '*':
			n = &enode{kind: ' ', kids: []*enode{n}, opt: true}
			r.i++
		case '+', '!':
			r.i++
		}
	}
	if r.i == start {
		r.i++
	}
	return n
}

// first appends to labels the words for the tokens n can begin with and
// reports whether n can match nothing.
func first(n *enode, labels []string, seen map[string]bool) ([]string, bool) {
	switch n.kind {
	case 'l':
		return appendLabel(labels, literalLabel(n.text)), false
	case 't':
		if l, ok := tokenLabels[n.text]; ok {
			return appendLabel(labels, l), false
		}
		return appendLabel(labels, strings.Trim(n.text, "<>")), false
	case 'n':
		if l, ok := productionLabels[n.text]; ok {
			return appendLabel(labels, l), false
		}
		body, ok := theGrammar().productions[n.text]
		if !ok || seen[n.text] {
			return labels, false
		}
		seen[n.text] = true
		return first(body, labels, seen)
	case '|':
		nullable := n.opt
		for _, k := range n.kids {
			var null bool
			labels, null = first(k, labels, seen)
			nullable = nullable || null
		}
		return labels, nullable
	}
	// sequence
	for _, k := range n.kids {
		var null bool
		labels, null = first(k, labels, seen)
		if !null {
			return labels, n.opt
		}
	}
	return labels, true
}

func appendLabel(labels []string, l string) []string {
	for _, x := range labels {
		if x == l {
			return labels
		}
	}
	return append(labels, l)
}

// literalLabel writes a keyword as itself (FROM) and punctuation in quotes
// ('=').
func literalLabel(lit string) string {
	if isBareWord(lit) {
		return strings.ToUpper(lit)
	}
	return "'" + lit + "'"
}

// expectedWords describes an EBNF expectation: "table name", "TABLE or
// INDEX", "')', ','".
func expectedWords(ebnf string) []string {
	labels, _ := first(parseEBNFExpr(ebnf), nil, map[string]bool{})
	return labels
}

// joinOr joins words as "a", "a or b", "a, b or c".
func joinOr(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
