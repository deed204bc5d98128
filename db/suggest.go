package db

import (
	"unicode/utf8"

	"github.com/embeddb/embeddb/db/internal/store"
)

// suggestWord returns a word of the table one edit away from w (a letter
// deleted, inserted, replaced or two swapped), preferring the most frequent,
// or "" if there is none. It costs a few hundred lookups, so only error
// paths call it.
func suggestWord(t *store.Table, w string) string {
	if !utf8.ValidString(w) || utf8.RuneCountInString(w) > 32 {
		return ""
	}
	rs := []rune(w)
	alphabet := []rune("abcdefghijklmnopqrstuvwxyz")
	seen := map[rune]bool{}
	for _, r := range alphabet {
		seen[r] = true
	}
	for _, r := range rs {
		if !seen[r] {
			alphabet = append(alphabet, r)
			seen[r] = true
		}
	}
	best, bestCount := "", int64(-1)
	try := func(c []rune) {
		s := string(c)
		if s == w || s == "" {
			return
		}
		id, ok, err := t.WordID(s)
		if err != nil || !ok {
			return // a suggestion is a courtesy: a failed read gives none
		}
		_, count, live, err := t.RowMeta(id)
		if err == nil && live && count > bestCount {
			best, bestCount = s, count
		}
	}
	buf := make([]rune, 0, len(rs)+1)
	for i := range rs {
		buf = append(append(buf[:0], rs[:i]...), rs[i+1:]...)
		try(buf)
		if i+1 < len(rs) {
			buf = append(buf[:0], rs...)
			buf[i], buf[i+1] = buf[i+1], buf[i]
			try(buf)
		}
		for _, a := range alphabet {
			if a == rs[i] {
				continue
			}
			buf = append(buf[:0], rs...)
			buf[i] = a
			try(buf)
		}
	}
	for i := 0; i <= len(rs); i++ {
		for _, a := range alphabet {
			buf = append(append(append(buf[:0], rs[:i]...), a), rs[i:]...)
			try(buf)
		}
	}
	return best
}

// suggestName returns the name in names closest to s (at most two edits
// away), or else one that shares its stem with s ("analogy" for
// "analogies"), or "".
func suggestName(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(s, n, bestD); d < bestD {
			best, bestD = n, d
		}
	}
	if best != "" {
		return best
	}
	for _, n := range names {
		if sameStem(s, n) {
			return n
		}
	}
	return best
}

// sameStem reports whether a and b differ only in an ending of at most
// three letters after a shared start of at least five, as the singular
// and plural of a word (analogy, analogies) or its forms (restrict,
// restricted) do.
func sameStem(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && ra[n] == rb[n] {
		n++
	}
	return n >= 5 && len(ra)-n <= 3 && len(rb)-n <= 3
}

// editDistance is the Levenshtein distance of a and b, or limit if it is
// at least limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}
