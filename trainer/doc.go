// Package trainer trains Word2Vec embeddings (skip-gram and CBOW) from text,
// with gensim's parameters and semantics.
package trainer
