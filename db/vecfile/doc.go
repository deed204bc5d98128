// Package vecfile reads and writes vector files made by other tools:
// word2vec text and binary, GloVe, fastText .vec, NumPy .npy and safetensors.
package vecfile
