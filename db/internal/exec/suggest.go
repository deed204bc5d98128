package exec

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
