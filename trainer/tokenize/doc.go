// Package tokenize splits text into tokens: gensim's simple_preprocess for
// training, and Hugging Face byte-level BPE for imported language models.
package tokenize
