package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/embeddb/embeddb/db"
)

// progressBar draws the progress of a long statement (TRAIN, IMPORT,
// EXPORT, CREATE INDEX) on a terminal: a bar with the count, the rate and
// the time left, one line that is redrawn in place and erased at the end.
// A statement may go through several phases (reading the vocabulary, then
// training); each gets a bar of its own. The shell only makes one when
// standard error is a terminal.
type progressBar struct {
	w        io.Writer
	throttle time.Duration // the least time between two drawings
	bar      *progressbar.ProgressBar
	key      string // the op, table, phase and unit the bar is for
	total    int64
}

// statsWidth is room enough for the bar and the figures after the
// description: " 42% |######| (1234567/40000000, 1234567 words/s) [12s:1m40s]".
const statsWidth = 72

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, throttle: 100 * time.Millisecond}
}

// update shows p. It is the db.WithProgress callback, called from the
// statement's goroutine.
func (b *progressBar) update(p db.Progress) {
	if p.Phase == "done" {
		b.finish()
		return
	}
	desc := b.describe(p)
	key := p.Op + "\x00" + p.Table + "\x00" + p.Phase + "\x00" + p.Unit
	if b.bar == nil || key != b.key || (p.Total > 0) != (b.total > 0) {
		b.finish()
		b.key, b.total = key, p.Total
		b.bar = b.newBar(p, desc)
	} else if p.Total > 0 && p.Total != b.total {
		b.total = p.Total
		b.bar.ChangeMax64(p.Total)
	}
	b.bar.Describe(desc)
	b.bar.Set64(p.Done)
}

// describe is the text before the bar: "train w2v: training (epoch 2/5,
// alpha 0.0193)", cut to leave room for the bar and its figures on the
// terminal, so that the line never wraps (a wrapped line cannot be
// redrawn in place).
func (b *progressBar) describe(p db.Progress) string {
	desc := fmt.Sprintf("%s %s: %s", p.Op, p.Table, p.Phase)
	if p.Detail != "" {
		desc += " (" + p.Detail + ")"
	}
	if f, ok := b.w.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			desc = runewidth.Truncate(desc, max(w-statsWidth, 16), "...")
		}
	}
	return desc
}

func (b *progressBar) newBar(p db.Progress, desc string) *progressbar.ProgressBar {
	max := p.Total
	if max <= 0 {
		max = -1 // unknown: a spinner
	}
	unit := p.Unit
	if unit == "" {
		unit = "it"
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(24),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(b.throttle),
		progressbar.OptionUseANSICodes(true),
		// No spinner goroutine: the bar is redrawn when the statement
		// reports, a few times a second.
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionSetRenderBlankState(true),
	}
	if unit == "bytes" {
		opts = append(opts, progressbar.OptionShowBytes(true))
	} else {
		opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString(unit))
	}
	return progressbar.NewOptions64(max, opts...)
}

// finish erases the bar, if any, so that the results print on a clean
// line.
func (b *progressBar) finish() {
	if b.bar == nil {
		return
	}
	b.bar.Exit()
	b.bar.Clear()
	b.bar = nil
}
