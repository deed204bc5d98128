package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"io"
	"strings"
)

// Inline images on terminals that can show them. The protocol is chosen
// from the environment, as the tools that use them do (no terminal query,
// which would need the terminal in raw mode and a timeout):
//
//   - kitty's graphics protocol: TERM=xterm-kitty, KITTY_WINDOW_ID, or
//     TERM_PROGRAM=ghostty;
//   - iTerm2's inline images: TERM_PROGRAM=iTerm.app or WezTerm, or
//     LC_TERMINAL=iTerm2;
//   - sixel: TERM foot*, mlterm*, yaft*, contour*, or one naming sixel.
//
// EMBEDDB_IMAGES=kitty|iterm|sixel|none overrides the guess. Inside tmux
// or screen (TMUX, or TERM screen*/tmux*) no protocol is guessed, since
// they swallow the sequences unless told to pass them through.
type imageProtocol string

const (
	imagesNone  imageProtocol = ""
	imagesKitty imageProtocol = "kitty"
	imagesITerm imageProtocol = "iterm"
	imagesSixel imageProtocol = "sixel"
)

// detectImages returns the image protocol of the terminal the environment
// describes.
func detectImages(getenv func(string) string) imageProtocol {
	switch v := strings.ToLower(getenv("EMBEDDB_IMAGES")); v {
	case "kitty", "iterm", "sixel":
		return imageProtocol(v)
	case "none", "off":
		return imagesNone
	}
	term := getenv("TERM")
	if getenv("TMUX") != "" || strings.HasPrefix(term, "screen") || strings.HasPrefix(term, "tmux") {
		return imagesNone
	}
	prog := getenv("TERM_PROGRAM")
	switch {
	case term == "xterm-kitty" || getenv("KITTY_WINDOW_ID") != "" || prog == "ghostty":
		return imagesKitty
	case prog == "iTerm.app" || prog == "WezTerm" || getenv("LC_TERMINAL") == "iTerm2":
		return imagesITerm
	}
	for _, p := range []string{"foot", "mlterm", "yaft", "contour"} {
		if strings.HasPrefix(term, p) {
			return imagesSixel
		}
	}
	if strings.Contains(term, "sixel") {
		return imagesSixel
	}
	return imagesNone
}

// writeImage writes the PNG file contents pngData to w as an inline
// image in protocol p, followed by a newline.
func writeImage(w io.Writer, p imageProtocol, pngData []byte) error {
	bw := bufio.NewWriter(w)
	switch p {
	case imagesKitty:
		// a=T: transmit and show; f=100: PNG; chunks of 4096 base64 bytes,
		// m=1 on all but the last.
		enc := base64.StdEncoding.EncodeToString(pngData)
		for i := 0; i < len(enc); i += 4096 {
			end := min(i+4096, len(enc))
			more := 0
			if end < len(enc) {
				more = 1
			}
			if i == 0 {
				fmt.Fprintf(bw, "\x1b_Ga=T,f=100,m=%d;%s\x1b\\", more, enc[i:end])
			} else {
				fmt.Fprintf(bw, "\x1b_Gm=%d;%s\x1b\\", more, enc[i:end])
			}
		}
	case imagesITerm:
		fmt.Fprintf(bw, "\x1b]1337;File=inline=1;size=%d;preserveAspectRatio=1:%s\a",
			len(pngData), base64.StdEncoding.EncodeToString(pngData))
	case imagesSixel:
		img, err := png.Decode(bytes.NewReader(pngData))
		if err != nil {
			return err
		}
		writeSixel(bw, img)
	default:
		return fmt.Errorf("no image protocol")
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// writeSixel encodes img as sixel graphics, with colours rounded to a
// 6×6×6 cube (the plots are a few flat colours on white).
func writeSixel(w *bufio.Writer, img image.Image) {
	b := img.Bounds()
	wd, ht := b.Dx(), b.Dy()
	idx := make([]uint8, wd*ht)
	used := [216]bool{}
	for y := 0; y < ht; y++ {
		for x := 0; x < wd; x++ {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			c := uint8((r*5+0x7fff)/0xffff*36 + (g*5+0x7fff)/0xffff*6 + (bl*5+0x7fff)/0xffff)
			idx[y*wd+x] = c
			used[c] = true
		}
	}
	fmt.Fprintf(w, "\x1bPq\"1;1;%d;%d", wd, ht)
	for c := 0; c < 216; c++ {
		if used[c] {
			fmt.Fprintf(w, "#%d;2;%d;%d;%d", c, c/36*20, c/6%6*20, c%6*20)
		}
	}
	row := make([]byte, wd)
	for top := 0; top < ht; top += 6 {
		first := true
		for c := 0; c < 216; c++ {
			if !used[c] {
				continue
			}
			any := false
			for x := 0; x < wd; x++ {
				var bits byte
				for k := 0; k < 6 && top+k < ht; k++ {
					if idx[(top+k)*wd+x] == uint8(c) {
						bits |= 1 << k
					}
				}
				row[x] = 63 + bits
				any = any || bits != 0
			}
			if !any {
				continue
			}
			if !first {
				w.WriteByte('$') // back to the start of the band
			}
			first = false
			fmt.Fprintf(w, "#%d", c)
			sixelRLE(w, row)
		}
		w.WriteByte('-')
	}
	w.WriteString("\x1b\\")
}

// sixelRLE writes a band's characters, runs of four or more as !N<char>.
func sixelRLE(w *bufio.Writer, row []byte) {
	for i := 0; i < len(row); {
		j := i
		for j < len(row) && row[j] == row[i] {
			j++
		}
		if n := j - i; n >= 4 {
			fmt.Fprintf(w, "!%d%c", n, row[i])
		} else {
			w.Write(row[i:j])
		}
		i = j
	}
}
