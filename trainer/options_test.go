package trainer_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/embeddb/embeddb/trainer"
)

func TestDefaultOptions_GensimDefaults(t *testing.T) {
	o := trainer.DefaultOptions()
	got := o.Params()
	want := map[string]any{
		"vector_size": int64(100), "window": int64(5), "min_count": int64(5), "sg": int64(0), "hs": int64(0),
		"negative": int64(5), "ns_exponent": 0.75, "cbow_mean": int64(1), "sample": 1e-3, "alpha": 0.025,
		"min_alpha": 0.0001, "epochs": int64(5), "shrink_windows": true, "seed": int64(1), "workers": int64(3),
		"max_vocab_size": int64(0), "max_final_vocab": int64(0), "max_sentence_length": int64(10000), "deacc": false,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultOptions().Params() = %v, want %v", got, want)
	}
	if err := o.Validate(); err != nil {
		t.Errorf("DefaultOptions().Validate() = %v", err)
	}
	// FastText adds model, min_n, max_n, bucket and word_ngrams, which a Word2Vec model's
	// Params leaves out, and phrases its six phrases* options, left out while it is off.
	if len(trainer.ParamNames()) != len(want)+5+6 {
		t.Errorf("ParamNames() = %v, want %d names", trainer.ParamNames(), len(want)+5+6)
	}
}

func TestOptions_Set(t *testing.T) {
	tests := []struct {
		name  string
		value any
		check func(o trainer.Options) bool
	}{
		{"sg", int64(1), func(o trainer.Options) bool { return o.SkipGram }},
		{"sg", true, func(o trainer.Options) bool { return o.SkipGram }},
		{"hs", int64(1), func(o trainer.Options) bool { return o.HS }},
		{"cbow_mean", int64(0), func(o trainer.Options) bool { return !o.CBOWMean }},
		{"sample", 1e-5, func(o trainer.Options) bool { return o.Sample == 1e-5 }},
		{"sample", int64(0), func(o trainer.Options) bool { return o.Sample == 0 }},
		{"alpha", "0.05", func(o trainer.Options) bool { return o.Alpha == 0.05 }},
		{"vector_size", 50.0, func(o trainer.Options) bool { return o.VectorSize == 50 }},
		{"VECTOR_SIZE", int64(64), func(o trainer.Options) bool { return o.VectorSize == 64 }},
		{"size", int64(32), func(o trainer.Options) bool { return o.VectorSize == 32 }},
		{"shrink_windows", int64(0), func(o trainer.Options) bool { return !o.ShrinkWindows }},
		{"shrink_windows", false, func(o trainer.Options) bool { return !o.ShrinkWindows }},
		{"max_vocab_size", nil, func(o trainer.Options) bool { return o.MaxVocabSize == 0 }},
		{"max_final_vocab", int64(1000), func(o trainer.Options) bool { return o.MaxFinalVocab == 1000 }},
		{"seed", int64(-7), func(o trainer.Options) bool { return o.Seed == -7 }},
		{"ns_exponent", -0.5, func(o trainer.Options) bool { return o.NSExponent == -0.5 }},
		{"epochs", int64(1), func(o trainer.Options) bool { return o.Epochs == 1 }},
		{"deacc", true, func(o trainer.Options) bool { return o.Deacc }},
	}
	for _, tt := range tests {
		o := trainer.DefaultOptions()
		if err := o.Set(tt.name, tt.value); err != nil {
			t.Errorf("Set(%q, %v) = %v, want nil", tt.name, tt.value, err)
			continue
		}
		if !tt.check(o) {
			t.Errorf("Set(%q, %v): option not applied: %+v", tt.name, tt.value, o.Params())
		}
	}
}

func TestOptions_Set_Errors(t *testing.T) {
	tests := []struct {
		name    string
		value   any
		wantErr error
		wantMsg string
	}{
		{"vectorsize", int64(5), trainer.ErrUnknownParameter, `trainer: unknown parameter "vectorsize" (did you mean vector_size?)`},
		{"windw", int64(5), trainer.ErrUnknownParameter, `trainer: unknown parameter "windw" (did you mean window?)`},
		{"vector_size", int64(0), trainer.ErrInvalidOption, "trainer: vector_size must be at least 1, found 0"},
		{"window", int64(-1), trainer.ErrInvalidOption, "trainer: window must be at least 1, found -1"},
		{"sg", int64(2), trainer.ErrInvalidOption, "trainer: sg must be 0 or 1, found 2"},
		{"sample", -1.0, trainer.ErrInvalidOption, "trainer: sample must be a number >= 0, found -1"},
		{"alpha", int64(0), trainer.ErrInvalidOption, "trainer: alpha must be a number > 0, found 0"},
		{"workers", int64(0), trainer.ErrInvalidOption, "trainer: workers must be at least 1, found 0"},
		{"epochs", 1.5, trainer.ErrInvalidOption, "trainer: epochs must be an integer, found 1.5"},
		{"shrink_windows", int64(3), trainer.ErrInvalidOption, "trainer: shrink_windows must be a boolean, found 3"},
		{"min_count", "many", trainer.ErrInvalidOption, "trainer: min_count must be an integer, found 'many'"},
		{"negative", []int{1}, trainer.ErrInvalidOption, "trainer: negative must be an integer, found [1]"},
	}
	for _, tt := range tests {
		o := trainer.DefaultOptions()
		before := o.Params()
		err := o.Set(tt.name, tt.value)
		if !errors.Is(err, tt.wantErr) || err.Error() != tt.wantMsg {
			t.Errorf("Set(%q, %v) = %v, want %q", tt.name, tt.value, err, tt.wantMsg)
		}
		if !reflect.DeepEqual(o.Params(), before) {
			t.Errorf("Set(%q, %v) failed but changed the options", tt.name, tt.value)
		}
	}
}

func TestOptions_Validate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(o *trainer.Options)
		param  string
	}{
		{"NothingToTrain", func(o *trainer.Options) { o.Negative = 0 }, ""},
		{"MinAlphaAboveAlpha", func(o *trainer.Options) { o.MinAlpha = 0.5 }, ""},
		{"HugeVector", func(o *trainer.Options) { o.VectorSize = 1 << 20 }, "vector_size"},
		{"NegativeMaxVocab", func(o *trainer.Options) { o.MaxVocabSize = -1 }, "max_vocab_size"},
		{"NaNSample", func(o *trainer.Options) { o.Sample = 0 / zero() }, "sample"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := trainer.DefaultOptions()
			tt.modify(&o)
			err := o.Validate()
			var oe *trainer.OptionError
			if !errors.As(err, &oe) || !errors.Is(err, trainer.ErrInvalidOption) || oe.Param != tt.param {
				t.Errorf("Validate() = %v, want an OptionError for %q", err, tt.param)
			}
		})
	}
	o := trainer.DefaultOptions()
	o.HS, o.Negative = true, 0
	if err := o.Validate(); err != nil {
		t.Errorf("hs=1 negative=0: Validate() = %v, want nil", err)
	}
}

func zero() float64 { return 0 }
