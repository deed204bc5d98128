//go:build !nocolumnar

package columnar

import (
	"sync"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// zstdLevel is the zstd level Parquet pages are compressed at: 1, the
// fastest. Vectors are floats whose low bytes are noise; no level finds
// matches in them, so a higher one only costs time.
const zstdLevel = 1

// fastZstd is arrow-go's zstd codec with another encoder. arrow-go's
// encoder forces entropy coding of every literal
// (zstd.WithAllLitEntropyCompression), which on float vectors saves about
// a tenth of the bytes at six times the time: it took two thirds of an
// EXPORT's time. This one codes literals when zstd's own estimate says it
// pays, as zstd itself does at level 1. Decoding is arrow-go's. The codec
// is registered for the process, which is safe because this package is
// the only user of arrow-go in embeddb; its output is ordinary zstd.
type fastZstd struct {
	compress.Codec
}

var zstdEncoders = sync.Pool{New: func() any {
	enc, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderConcurrency(1),
		zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(zstdLevel)))
	if err != nil {
		panic(err) // the options are constant
	}
	return enc
}}

func init() {
	c, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		return // arrow-go without zstd: leave it so
	}
	compress.RegisterCodec(compress.Codecs.Zstd, fastZstd{c})
}

// Encode compresses src at zstdLevel.
func (z fastZstd) Encode(dst, src []byte) []byte {
	enc := zstdEncoders.Get().(*zstd.Encoder)
	defer zstdEncoders.Put(enc)
	return enc.EncodeAll(src, dst[:0])
}

// EncodeLevel compresses src at zstdLevel whatever the level asked: the
// writer never asks another.
func (z fastZstd) EncodeLevel(dst, src []byte, _ int) []byte { return z.Encode(dst, src) }

// DecodeWithError decodes with arrow-go's codec, returning its errors.
func (z fastZstd) DecodeWithError(dst, src []byte) ([]byte, error) {
	return compress.Decode(z.Codec, dst, src)
}
