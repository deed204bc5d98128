package query

// Hooks for selectparse_test.go, which holds the hand parser of SELECT to
// the participle grammar.

// ParseGrammarOnlyForTest is Parse with the participle grammar alone.
func ParseGrammarOnlyForTest(src string) ([]Statement, error) { return parseScript(src, false) }

// FirstStatementForTest parses the first statement of src, with the hand
// parser allowed (fast) or with participle alone. byHand reports whether
// the hand parser took the statement; s is nil when src has none.
func FirstStatementForTest(src string, fast bool) (s Statement, byHand bool, err error) {
	c := readChunk(newScanner(src))
	if c.empty() {
		if c.lexErr != nil {
			return nil, false, c.lexErr
		}
		return nil, false, nil
	}
	c.noFast = !fast
	s, err = c.parse()
	return s, c.fast, err
}
