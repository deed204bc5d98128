package store

import "encoding/binary"

// putOwned is Put for a value the caller owns and leaves unchanged until
// the transaction ends: its checksum is appended in place when v has the
// spare capacity, sparing the copy Put makes. A bulk load's vector chunks
// are most of what it writes, so that copy was a third of the memory a
// flush holds (with the chunk and bbolt's pages) and a pass over every
// byte of the table.
func (k keyspace) putOwned(x, v []byte) error {
	if !k.t.sums || cap(v)-len(v) < sumLen {
		return k.Put(x, v)
	}
	full := k.key(x)
	v = binary.LittleEndian.AppendUint32(v, valueSum(full, v))
	return k.t.b.Put(full, v)
}
