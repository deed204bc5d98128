package index

import (
	"fmt"
	"strings"
)

// Metric says how two vectors are compared. The zero value is Cosine.
type Metric uint8

const (
	// Cosine compares directions: vectors are normalised to unit length once,
	// when they are added, and scored by the dot product of the unit vectors,
	// as gensim's most_similar does. Scores lie in [-1, 1].
	Cosine Metric = iota
	// Dot scores by the plain dot product of the vectors as given.
	Dot
	// Euclidean ranks by straight-line distance. Its Score is the negated
	// distance (-‖a-b‖), so that a higher score is still better.
	Euclidean
)

// String returns the metric's canonical name: "cosine", "dot" or "euclidean".
func (m Metric) String() string {
	switch m {
	case Cosine:
		return "cosine"
	case Dot:
		return "dot"
	case Euclidean:
		return "euclidean"
	}
	return fmt.Sprintf("Metric(%d)", uint8(m))
}

// valid reports whether m is one of the defined metrics.
func (m Metric) valid() bool { return m <= Euclidean }

// ParseMetric returns the metric named s, case-insensitively. Besides the
// canonical names it accepts the names pgvector, hnswlib and faiss use:
// "cos", "ip", "inner_product", "l2" and "euclid".
func ParseMetric(s string) (Metric, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "cosine", "cos":
		return Cosine, nil
	case "dot", "ip", "inner_product", "innerproduct":
		return Dot, nil
	case "euclidean", "euclid", "l2":
		return Euclidean, nil
	}
	return 0, fmt.Errorf("parse metric %q: %w", s, ErrUnknownMetric)
}
