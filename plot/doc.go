// Package plot draws maps of embedding neighbourhoods: it projects vectors
// to two dimensions and renders the points with their labels as SVG or PNG.
//
// Projections:
//
//   - [PCA] is exact principal component analysis: the right singular
//     vectors of the centred data, as scikit-learn's PCA(n_components=2)
//     computes them, signs fixed the same way (the largest loading of each
//     component is positive).
//   - [TSNE] is t-distributed stochastic neighbour embedding with
//     scikit-learn's defaults (perplexity 30, early exaggeration 12 for 250
//     iterations, learning rate "auto", PCA initialisation, 1000
//     iterations): exact gradients for small inputs and the Barnes-Hut
//     approximation (van der Maaten 2014, angle 0.5) above
//     [TSNEOptions.ExactMax] points.
//   - [UMAP] is uniform manifold approximation and projection (McInnes et
//     al. 2018) with umap-learn's defaults (15 neighbours, min_dist 0.1,
//     500 epochs of SGD with negative sampling), from a PCA start.
//   - [KMeans] groups points for colouring (k-means++ seeding, then Lloyd).
//
// [Trustworthiness] measures how well a projection keeps neighbourhoods, as
// sklearn.manifold.trustworthiness does.
//
// Rendering: [Plot] holds points, labels and colours; [Plot.WriteSVG] and
// [Plot.WritePNG] draw it. Labels that would overlap one drawn earlier are
// left out, in the order the points were given, so the first points (the
// query word, the most frequent words) keep theirs.
//
// PNG labels use the Go fonts, and GNU Unifont's bitmaps (embedded,
// unifont.go) for each character those lack: CJK, Hangul, kana, Arabic,
// Hebrew, Indic scripts, Thai and the rest of the Basic Multilingual Plane.
//
// It is a leaf package: it imports nothing from the project, and only
// golang.org/x/image (for the PNG's font) from outside the standard library.
//
// # Concurrency
//
// Every function is safe for concurrent use; none keeps state. [TSNE] and
// [PCA] use up to [runtime.GOMAXPROCS] goroutines, split into a fixed number
// of chunks summed in a fixed order, so a given input and seed give the same
// answer bit for bit whatever the number of workers.
//
// # Caveats
//
// t-SNE and UMAP find exact nearest neighbours by comparing every pair of points
// (O(n²·dim)), which suits the few thousand points a readable map has.
package plot
