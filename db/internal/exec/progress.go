package exec

import (
	"context"
	"time"
)

// Progress reports the advance of a long statement (TRAIN, IMPORT, EXPORT,
// CREATE INDEX) to the function given to WithProgress.
type Progress struct {
	Op    string // "train", "import", "export" or "index"
	Table string
	Phase string // what is happening now: "vocabulary", "training", "reading", "writing", "building", "calibrating", "saving"
	Done  int64  // units done so far
	Total int64  // units in all, or 0 if unknown
	Unit  string // "words", "bytes" or "rows"
	Rate  float64
	ETA   time.Duration // 0 if unknown
	// Detail is a short human-readable addition, such as "epoch 2/5,
	// alpha 0.0193".
	Detail string
}

type progressKey struct{}

// WithProgress returns a context that makes long statements run with it
// call fn a few times a second. fn is called from the statement's
// goroutine and must return quickly.
func WithProgress(ctx context.Context, fn func(Progress)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// progressFunc returns the context's progress function, or one that does
// nothing.
func progressFunc(ctx context.Context) func(Progress) {
	if fn, ok := ctx.Value(progressKey{}).(func(Progress)); ok && fn != nil {
		return fn
	}
	return func(Progress) {}
}

// throttle calls fn at most every interval, always on the final call.
type throttle struct {
	fn       func(Progress)
	last     time.Time
	interval time.Duration
}

func newThrottle(ctx context.Context) *throttle {
	return &throttle{fn: progressFunc(ctx), interval: 200 * time.Millisecond}
}

func (t *throttle) report(p Progress, final bool) {
	if now := time.Now(); final || now.Sub(t.last) >= t.interval {
		t.last = now
		t.fn(p)
	}
}
