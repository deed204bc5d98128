package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestProgressBar feeds a bar the reports of a TRAIN: a phase without a
// total, then one with, then the end.
func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	b := newProgressBar(&buf)
	b.throttle = 0 // draw every report
	b.update(db.Progress{Op: "train", Table: "w2v", Phase: "vocabulary", Done: 1000, Unit: "words"})
	first := b.bar
	b.update(db.Progress{Op: "train", Table: "w2v", Phase: "training", Done: 0, Total: 5000, Unit: "words",
		Detail: "epoch 1/5, alpha 0.025"})
	if b.bar == first {
		t.Errorf("a new phase kept the bar of the last one")
	}
	b.update(db.Progress{Op: "train", Table: "w2v", Phase: "training", Done: 2500, Total: 5000, Unit: "words",
		Detail: "epoch 3/5, alpha 0.0125"})
	b.update(db.Progress{Op: "train", Table: "w2v", Phase: "done", Done: 5000, Total: 5000, Unit: "words"})
	if b.bar != nil {
		t.Errorf("the bar is still up after the phase done")
	}
	b.finish() // idempotent
	out := buf.String()
	for _, want := range []string{
		`train w2v: vocabulary`,
		`train w2v: training \(epoch 1/5, alpha 0\.025\)`,
		`train w2v: training \(epoch 3/5, alpha 0\.0125\) +50% \|[^|]*\| \(2500/5000, \d+ words/s\)`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("progress output has no match for %s:\n%q", want, out)
		}
	}
	if !strings.HasSuffix(out, "\x1b[2K\r") {
		t.Errorf("progress output ends with %q, want the line erased", out[max(0, len(out)-20):])
	}
}
