//go:build ignore

// gen_unifont writes ../unifont.bin: the glyphs of GNU Unifont (Debian's
// unifont package, /usr/share/unifont/unifont.hex) for the characters of
// the Basic Multilingual Plane that the Go fonts lack, so that PNG labels
// in Chinese, Japanese, Korean, Arabic, Hebrew, Devanagari, Thai... do not
// draw as boxes. Run by gen_unifont.sh.
//
// Format, flate-compressed: runs of consecutive code points of one width,
// each a little-endian uint16 first code point, uint16 count and a byte
// width (8 or 16), then count glyphs of 16 rows, one byte a row for width
// 8 and two for width 16, the leftmost pixel in the top bit.
package main

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

func main() {
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(hexPath, out string) error {
	goFont, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		return err
	}
	var buf sfnt.Buffer
	f, err := os.Open(hexPath)
	if err != nil {
		return err
	}
	defer f.Close()
	glyphs := map[rune][]byte{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cp, bits, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			return fmt.Errorf("bad line %q", sc.Text())
		}
		r, err := strconv.ParseUint(cp, 16, 32)
		if err != nil || r > 0xFFFF {
			continue
		}
		b, err := hex.DecodeString(bits)
		if err != nil || (len(b) != 16 && len(b) != 32) {
			return fmt.Errorf("U+%04X: bad bitmap", r)
		}
		if r < 0x20 || (r >= 0x7F && r < 0xA0) || (r >= 0xD800 && r < 0xF900) {
			continue // controls, surrogates, private use
		}
		if i, err := goFont.GlyphIndex(&buf, rune(r)); err == nil && i != 0 {
			continue // the Go font draws it
		}
		glyphs[rune(r)] = b
	}
	if err := sc.Err(); err != nil {
		return err
	}
	var raw bytes.Buffer
	n := 0
	for r := rune(0); r <= 0xFFFF; {
		g, ok := glyphs[r]
		if !ok {
			r++
			continue
		}
		start, w := r, len(g)
		var body []byte
		for ; r <= 0xFFFF && len(glyphs[r]) == w && r-start < 0xFFFF; r++ {
			body = append(body, glyphs[r]...)
		}
		binary.Write(&raw, binary.LittleEndian, [2]uint16{uint16(start), uint16(r - start)})
		raw.WriteByte(byte(w / 2))
		raw.Write(body)
		n += int(r - start)
	}
	var z bytes.Buffer
	zw, err := flate.NewWriter(&z, flate.BestCompression)
	if err != nil {
		return err
	}
	zw.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		return err
	}
	fmt.Printf("%d glyphs, %d bytes, %d compressed\n", n, raw.Len(), z.Len())
	return os.WriteFile(out, z.Bytes(), 0o644)
}
