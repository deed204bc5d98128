package exec

import "math"

// oovVector is the vector of a word a FastText table does not have as a row; ok is false
// for a table without n-grams.
func (s *scope) oovVector(word string) (vec []float32, ok bool, err error) {
	return s.e.st.OOVVector(s.t, word)
}

// noRow is the row id wordRow gives a word that has a vector but no row (a FastText table's
// unseen word): nothing to leave out of a NEAREST answer.
const noRow = math.MaxUint32
