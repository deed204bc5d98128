package tokenize

// LossyString exposes lossyString to the external tests.
var LossyString = lossyString
