package db_test

import (
	"encoding/binary"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/embeddb/embeddb/db/vecfile"
	"github.com/embeddb/embeddb/internal/vec"
)

// writeEmbedTokens writes a safetensors file holding a rows×dim bfloat16
// tensor model.embed_tokens.weight of seeded random values in [-1, 1), and
// returns its path and raw little-endian bytes.
func writeEmbedTokens(t *testing.T, rows, dim int) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "model.safetensors")
	w, err := vecfile.Create(path, rows, dim, vecfile.WriteOptions{Format: vecfile.Safetensors,
		DType: vecfile.BFloat16, Tensor: "model.embed_tokens.weight"})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	raw := make([]byte, rows*dim*2)
	for i := 0; i < rows*dim; i++ {
		binary.LittleEndian.PutUint16(raw[2*i:], vec.Float32ToBFloat16(rng.Float32()*2-1))
	}
	if err := w.WriteRaw(nil, raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path, raw
}
