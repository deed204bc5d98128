package query

import "github.com/alecthomas/participle/v2/lexer"

// This file reads the rows of an INSERT. They are parsed by hand, one at a
// time, straight from the scanner: participle would first read every token
// of the statement (some 64 bytes each, kept until the end) and stops at a
// million items in a list, while an INSERT of embeddings may hold a
// million rows. Script hands the rows over in batches, so that a caller can
// write them as they come and never hold them all.

// rowReader reads the rows of an INSERT's VALUES list, the head of the
// statement (up to VALUES) being parsed already.
type rowReader struct {
	c    *chunk
	lex  *rowLexer
	p    exprParser
	rows int  // rows read so far
	done bool // the list, and the statement, ended
	err  error
}

func newRowReader(c *chunk) *rowReader {
	lex := &rowLexer{cl: c.cl}
	lex.cur = lex.read()
	return &rowReader{c: c, lex: lex, p: exprParser{lex: lex}}
}

// next returns the next row; ok is false at the end of the list, where the
// statement must end too.
func (r *rowReader) next() (row Row, ok bool, err error) {
	if r.done {
		return Row{}, false, r.err
	}
	if r.rows > 0 {
		if !r.isPunct(",") {
			return Row{}, false, r.end()
		}
		r.lex.Next()
	}
	if !r.isPunct("(") {
		return Row{}, false, r.fail(r.p.expected("'('"))
	}
	r.lex.reuse()
	row.Pos = position(r.lex.Next().Pos)
	// Most rows are (word, vector): room for two values spares a
	// reallocation per row.
	if row.Values, err = r.p.listInto(make([]Expr, 0, 2), ")", false); err != nil {
		return Row{}, false, r.fail(err)
	}
	r.rows++
	r.c.numberParams(&row)
	return row, true, nil
}

func (r *rowReader) isPunct(s string) bool {
	t := r.lex.Peek()
	return t.Type == tokPunct && t.Value == s
}

// end checks that the statement ends after the last row.
func (r *rowReader) end() error {
	r.done = true
	t := r.lex.Peek()
	switch {
	case r.c.lexErr != nil:
		r.err = r.c.lexErr // the lexer stopped at it
	case !t.EOF():
		r.err = trailing(*t)
	}
	return r.err
}

// fail records err, as the chunk words it, and ends the reading.
func (r *rowReader) fail(err error) error {
	r.done = true
	r.err = r.c.convertError(err)
	return r.err
}

// rowLexer hands the expression parser the tokens of the chunk's lexer one
// at a time. Tokens live in slabs, so that the pointers Next returns stay
// valid while the parser holds them, and a slab is garbage once the rows
// that used it are.
type rowLexer struct {
	cl   *chunkLexer
	slab []lexer.Token
	cur  *lexer.Token
}

func (l *rowLexer) read() *lexer.Token {
	if len(l.slab) == cap(l.slab) {
		l.slab = make([]lexer.Token, 0, 64)
	}
	t, _ := l.cl.Next() // a chunkLexer never fails
	l.slab = append(l.slab, t)
	return &l.slab[len(l.slab)-1]
}

// reuse lets the tokens before the next one be overwritten: the parser
// holds none of them between rows (nodes copy what they need of a token),
// so the tokens of a million rows need not all become garbage.
func (l *rowLexer) reuse() {
	cur := *l.cur
	l.slab = append(l.slab[:0], cur)
	l.cur = &l.slab[0]
}

// Peek returns the next token.
func (l *rowLexer) Peek() *lexer.Token { return l.cur }

// Next returns the next token and moves past it; at the end it returns
// the final EOF token again and again.
func (l *rowLexer) Next() *lexer.Token {
	t := l.cur
	if !t.EOF() {
		l.cur = l.read()
	}
	return t
}

// Script reads a script one statement at a time, as Parse does, but
// without holding every statement at once, nor every row of an INSERT: a
// caller can run each statement as it comes and write an INSERT's rows a
// batch at a time. Positions are relative to the whole script. A Script is
// not safe for concurrent use.
type Script struct {
	sc   *scanner
	c    *chunk  // the chunk of the INSERT whose rows are being read
	ins  *Insert // that INSERT
	done bool
}

// NewScript returns a Script that reads src.
func NewScript(src string) *Script { return &Script{sc: newScanner(src)} }

// Next returns the next statement, or nil and nil after the last one. A
// malformed statement gives the *Error that Parse would return, and ends
// the script. An INSERT comes without its rows: Rows is empty and End is
// not set until [Script.Rows] has read them all; Next reads past any that
// are left (checking them, not keeping them) before the next statement.
func (s *Script) Next() (Statement, error) {
	for s.ins != nil {
		if _, err := s.Rows(256); err != nil {
			return nil, err
		}
	}
	for !s.done {
		c := readChunk(s.sc)
		var st Statement
		if !c.empty() {
			var err error
			if st, err = c.parseHead(); err != nil {
				s.done = true
				return nil, err
			}
			if c.rows != nil {
				s.c, s.ins = c, st.(*Insert)
				return st, nil
			}
		}
		s.done = !c.semicolon || c.lexErr != nil
		if c.lexErr != nil {
			return nil, c.lexErr
		}
		if st != nil {
			return st, nil
		}
	}
	return nil, nil
}

// Rows returns up to max (at least 1) further rows of the INSERT that Next
// returned last, their ? parameters numbered within the statement. At the
// end of its VALUES list it returns no rows and sets the INSERT's End; an
// error in a row or after the last one is returned as Next would, and ends
// the script.
func (s *Script) Rows(max int) ([]Row, error) {
	if s.ins == nil {
		return nil, nil
	}
	var out []Row
	for len(out) < max {
		r, ok, err := s.c.rows.next()
		if err != nil {
			s.ins, s.c, s.done = nil, nil, true
			return nil, err
		}
		if !ok {
			s.ins.End = s.c.end
			s.done = !s.c.semicolon
			s.ins, s.c = nil, nil
			break
		}
		if out == nil {
			out = make([]Row, 0, min(max, 1024))
		}
		out = append(out, r)
	}
	return out, nil
}
