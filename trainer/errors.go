package trainer

import (
	"errors"
	"fmt"
)

// Sentinel errors returned (usually wrapped) by this package. Match them with errors.Is.
var (
	// ErrInvalidOption is wrapped by every error from [Options.Validate] and [Options.Set]
	// that reports an out-of-range value or a value of the wrong type.
	ErrInvalidOption = errors.New("trainer: invalid option")

	// ErrUnknownParameter is wrapped by [Options.Set] for a parameter name gensim does not have.
	ErrUnknownParameter = errors.New("trainer: unknown parameter")

	// ErrEmptyVocabulary is returned by [Train] when no word of the corpus reaches min_count.
	ErrEmptyVocabulary = errors.New("trainer: empty vocabulary (no word reaches min_count)")

	// ErrCorruptState is wrapped by [Restore] when the training state is truncated, corrupt or
	// does not match the vocabulary and vectors it is restored with.
	ErrCorruptState = errors.New("trainer: corrupt training state")

	// ErrStateVersion is wrapped by [Restore] for a state written by a newer, unknown format version.
	ErrStateVersion = errors.New("trainer: unsupported training state version")

	// ErrNotTrainable is returned by [Model.Update] for a model that has no training state
	// (for example one built from imported vectors).
	ErrNotTrainable = errors.New("trainer: model has no training state")

	// ErrBadEvalFile is wrapped by the evaluation functions when the test file has no usable line.
	ErrBadEvalFile = errors.New("trainer: no usable line in evaluation file")

	// ErrDimension is wrapped when vectors do not match the declared dimension or word count.
	ErrDimension = errors.New("trainer: dimension mismatch")

	// ErrTooLarge is wrapped by the [*TooLargeError] that [Train] and [Model.Update] return
	// when the vocabulary or the weights would need more than Options.MemoryLimit.
	ErrTooLarge = errors.New("trainer: over the memory limit")
)

// TooLargeError reports that counting the vocabulary or allocating the weights would need
// about Need bytes, more than the Limit of Options.MemoryLimit.
type TooLargeError struct {
	Phase       string // "vocabulary" (counting) or "training" (the weights), as in Progress
	What        string // "counting the vocabulary (…)" or "training N words of dimension D"
	Need, Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("trainer: %s needs about %d bytes, over the memory limit of %d", e.What, e.Need, e.Limit)
}

// Unwrap returns ErrTooLarge.
func (e *TooLargeError) Unwrap() error { return ErrTooLarge }
