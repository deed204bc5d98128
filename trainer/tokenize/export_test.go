package tokenize

// LossyString exposes lossyString to the external tests.
var LossyString = lossyString

// ClearCache empties b's merge cache, for cold-cache benchmarks.
func ClearCache(b *BPE) {
	b.cache.mu.Lock()
	clear(b.cache.m)
	b.cache.mu.Unlock()
}

// CacheLen returns the number of entries in b's merge cache.
func CacheLen(b *BPE) int {
	b.cache.mu.RLock()
	defer b.cache.mu.RUnlock()
	return len(b.cache.m)
}

// CacheMaxEntries is the bound of the merge cache.
const CacheMaxEntries = cacheMaxEntries
