package trainer

// HashBytes is Facebook fastText's hash of a string (gensim's ft_hash_bytes): 32-bit FNV-1a,
// except that each byte is sign-extended before the XOR, as fastText's C++ does with its
// signed char. Bytes from 0x80 up (all of UTF-8's multi-byte sequences) therefore hash
// differently from textbook FNV-1a; .bin files and gensim depend on this quirk.
func HashBytes(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h ^= uint32(int32(int8(c)))
		h *= 16777619
	}
	return h
}

// NgramBuckets appends to dst the bucket of every character n-gram of word, as gensim's
// ft_ngram_hashes and fastText's computeSubwords find them: the word is wrapped in '<' and '>',
// n-grams of minN to maxN characters (not bytes: a UTF-8 sequence is never split) are taken
// at every character position in order, the 1-grams '<' and '>' are left out, and each
// n-gram's [HashBytes] modulo bucket is its row. Repeated n-grams appear as often as they
// occur, as in both tools. With bucket 0 or maxN < minN there are none.
func NgramBuckets(dst []uint32, word string, minN, maxN, bucket int) []uint32 {
	if bucket <= 0 || maxN < minN || maxN < 1 {
		return dst
	}
	var stack [64]byte
	w := append(stack[:0], '<')
	w = append(w, word...)
	w = append(w, '>')
	nb := len(w)
	for i := 0; i < nb; i++ {
		if w[i]&0xC0 == 0x80 {
			continue // inside a UTF-8 sequence
		}
		j := i
		for n := 1; j < nb && n <= maxN; n++ {
			j++
			for j < nb && w[j]&0xC0 == 0x80 {
				j++
			}
			if n >= minN && !(n == 1 && (i == 0 || j == nb)) {
				dst = append(dst, HashBytes(w[i:j])%uint32(bucket))
			}
		}
	}
	return dst
}

// Ngrams returns word's character n-grams as strings, in [NgramBuckets]' order.
func Ngrams(word string, minN, maxN int) []string {
	var out []string
	if maxN < minN || maxN < 1 {
		return out
	}
	w := "<" + word + ">"
	nb := len(w)
	for i := 0; i < nb; i++ {
		if w[i]&0xC0 == 0x80 {
			continue
		}
		j := i
		for n := 1; j < nb && n <= maxN; n++ {
			j++
			for j < nb && w[j]&0xC0 == 0x80 {
				j++
			}
			if n >= minN && !(n == 1 && (i == 0 || j == nb)) {
				out = append(out, w[i:j])
			}
		}
	}
	return out
}
