package tokenize

import "errors"

// Errors of LoadBPE and ParseBPE. Each is wrapped with the detail that names
// the field, token or merge at fault; match them with errors.Is.
var (
	// ErrUnsupported means that tokenizer.json is well formed but uses a
	// feature this package does not implement, such as a WordPiece model or a
	// Metaspace pre-tokenizer. Only BPE models are supported.
	ErrUnsupported = errors.New("tokenize: unsupported")

	// ErrMalformed means that tokenizer.json is not valid JSON or is
	// inconsistent: a merge names a token missing from the vocabulary, an id
	// is negative, a required field is missing, and so on.
	ErrMalformed = errors.New("tokenize: malformed tokenizer.json")
)

// ErrUnknownID is returned (wrapped, with the id) by [BPE.Decode] for an id
// that is neither in the vocabulary nor an added token.
var ErrUnknownID = errors.New("tokenize: unknown token id")
