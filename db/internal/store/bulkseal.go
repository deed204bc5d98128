package store

import "errors"

// A bulk load's vector chunks are most of what it writes. Each is sealed
// (checksum.go) in place, in the spare capacity its buffer is made with,
// sparing the copy Put makes: that copy was a third of the memory a flush
// holds (with the chunk and bbolt's pages) and a pass over every byte of
// the table.
//
// And each is sealed as it is filled (endChunk), not in the transaction
// that writes it: a 64 KiB chunk just written is still in the cache, where
// its CRC costs a fraction of what it did in the writer's transaction
// (4% of a Parquet IMPORT's CPU), and the writer's transactions, one at a
// time, are what a load waits for; the disk is idle while a transaction
// copies and seals, before it writes.

// appendSum appends the checksum of v under key x of keyspace p, as Put
// would seal it, when the table's values carry checksums (sums).
func appendSum(sums bool, p byte, x, v []byte) []byte {
	if !sums {
		return v
	}
	var buf [8]byte
	return sealOwned(append(append(buf[:0], p), x...), v)
}

// errFormatChanged fails a load whose file changed format under it (its
// values were sealed, or not, for the format it started in).
var errFormatChanged = errors.New("db: bulk load: the file's format changed during the load")

// putSealed is Put for a value appendSum has sealed for this keyspace's
// table (sums says whether it did), which the caller leaves unchanged until
// the transaction ends.
func (k keyspace) putSealed(sums bool, x, v []byte) error {
	if sums != k.t.sums {
		return errFormatChanged
	}
	return k.t.b.Put(k.key(x), v)
}
