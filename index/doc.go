// Package index answers nearest-neighbour queries over a table's vectors:
// exactly (Flat) or approximately (HNSW). It is a leaf package: of the
// project it imports only internal/vec (the distance kernels), and no
// third-party module.
//
// Rows are identified by uint32 ids (the db's row ids or token ids). Both
// implementations satisfy [Index]:
//
//   - [Flat] compares the query with every row. It gives gensim's
//     most_similar answer exactly (ties aside) and is the oracle for every
//     recall measurement; it is the right choice for small tables and for
//     selective filters.
//   - [HNSW] is a hierarchical navigable small-world graph (Malkov &
//     Yashunin 2018, algorithms 1–4 with the neighbour-selection heuristic),
//     for large tables. Build it with [Build] (all cores, progress,
//     cancellation) or [NewHNSW] and [HNSW.Add]; save it with
//     [HNSW.WriteTo] and open it with [ReadHNSW] (or [ReadIndex], either
//     kind) without rebuilding.
//
// # Similarity
//
// Under [Cosine] (the default, as gensim) vectors are normalised to unit
// length once, when added, and scored by dot products, so a Score is the
// cosine similarity. [Dot] scores by the plain dot product; [Euclidean]
// ranks by distance and reports Score = -distance, so that higher is always
// better. Results come best first; equal scores are ordered by id.
//
// gensim's most_similar(positive, negative) is [Combine] followed by a
// search that excludes the query rows:
//
//	q, err := index.Combine(pos, neg) // mean of unit vectors, weights +1/-1, normalised
//	res, err := ix.Search(ctx, q, k, index.SearchOptions{Exclude: queryIDs})
//
// SearchOptions.Filter restricts the answer to the rows a predicate accepts
// (WHERE combined with NEAREST). HNSW walks through rejected rows and keeps
// searching until it has k accepted ones, as hnswlib does, so a filter that
// accepts few rows makes it visit much of the graph: for those, search a
// Flat of the accepted rows instead.
//
// # Quantization
//
// Options.Quantization makes an HNSW compare compact codes while it walks
// the graph: [QuantInt8] (one byte a dimension, each dimension's range
// learned from the rows added first, clipped at the 0.05% and 99.95%
// quantiles so that a few outliers do not waste the 256 levels) or
// [QuantBinary] (one bit a dimension: above the dimension's mean or not,
// compared by Hamming distance). The graph itself is built from the float32
// vectors, so it is the graph a float32 index would have. A search keeps
// the Rescore × k nearest candidates by code and scores them again with
// the full vectors, so every Score is exact and only the choice of rows is
// approximate: this is pgvector's halfvec/bit with re-ranking, Qdrant's
// scalar and binary quantization with rescoring, Elasticsearch's int8_hnsw.
//
// The int8 distance is computed in integers: the query, multiplied by each
// dimension's step, is rounded to int16 weights (scaled so that no sum can
// overflow int32), and the dot product of weights and codes is exact, so
// the AVX2, AVX-512 VNNI and Go kernels agree bit for bit. Per row the
// index also keeps ‖x̂ - lo‖² for Euclidean distances.
//
// [HNSW.DropVectors] frees the float32 vectors; searches then read the
// candidates' vectors through SearchOptions.Vectors (embeddb reads them
// from the table, which holds them anyway), and the index costs the graph
// plus the codes, frozen (see Caveats): on 100,000 100-d word vectors
// with M 16, int8 costs 0.335× the float32 index (183 bytes a row), on
// 331,479 0.349× (the bit-packed links grow with the table: 19 bits
// each), binary about 0.3×. Speed at the same ef_search, and so at the
// same recall (int8 with rescore 2 reaches float32's recall@10 within
// 0.001), is about that of float32: 0.95–1.15× on 331,479 word vectors
// with 5,000 held-out queries (BenchmarkHNSW_Int8_VsFloat32, per CPU
// second, a shared machine). The walk visits the same nodes. Profiled
// there at ef_search 192, float32 spends 65% of a query on its rows
// (prefetch and kernel) and 19% on links and visited marks; int8 40% on
// its codes, 36% on its bit-packed links and visited marks (decoding,
// and waiting for 2-3 lines a node), 8% rescoring. The packing itself
// costs nothing measurable: one int8 graph searched with its links
// unpacked and then packed (written and read back) ran at 1.00-1.07x
// the unpacked speed packed, by CPU at ef_search 176 and 704, alternated
// in blocks of 20 queries. Two separate builds, one kept unpacked, had
// shown the packed one 10-20% slower: multi-threaded builds of the same
// rows make different graphs, and their speeds differ that much. Each
// index searched alone, int8 (rescore 4) ran at 1.15-1.27x float32 by
// CPU at ef_search 176 and 1.18-1.25x at 704 on the peers' 331,479 word
// vectors (three alternated runs, a shared machine). That is near the
// ceiling rows allow: BenchmarkRowFetch_Int8VsFloat32 fetches and scores
// batches of 20 random rows of a table that size, as an expansion does,
// and int8 codes cost 0.63x what float32 rows cost (1.57-1.61x as fast,
// five quiet runs), not 0.25x: a 100-byte code still spans two cache
// lines and waits as long for the first. With 65% of a float32 query on
// its rows and the rest the same for both, int8 can be at most
// 1/(0.35 + 0.65/1.6) = 1.32x as fast; twice as fast would need rows 4.3x
// cheaper to fetch. SearchOptions.Exact
// scans every code instead of walking
// the graph (SET exact = on): for 1,536-d LLM-shaped rows a binary scan
// reads 192 bytes a row instead of 6,144.
//
// Binary codes rank well only when the dimensions carry independent
// information (wide LLM embeddings); 100-d word vectors need a deep rescore
// (recall@10 0.68 at rescore 10 on Wikipedia-trained CBOW vectors, against
// 0.99 for int8 at 4).
//
// # Concurrency
//
// [Flat] and [HNSW] are safe for concurrent use. Searches share a read lock
// and run in parallel. HNSW.Add inserts with Options.Workers goroutines,
// 1,024 rows at a time under the write lock, so searches run between
// chunks even during a long build; writers (Add, Delete) are serialised.
// During a parallel insertion a node's list is changed under its lock and
// read without one, by atomic loads, and a new node is linked back only
// after its own lists on all its layers are set, so that no insertion
// steps down through a node whose list below is still empty. Filter
// functions run on the searching goroutine while the read lock is held:
// they must not call back into the index. Each concurrent HNSW search uses
// a bit of scratch per node (its visited marks), pooled.
//
// # Caveats
//
//   - Deleting from an HNSW marks the row deleted (hnswlib's markDeleted):
//     it stays in the graph as a routing node and is never returned, and its
//     memory is not reclaimed. Re-adding the id stores a new node. When
//     [HNSW.Deleted] approaches [HNSW.Len], rebuild with [Build].
//   - Search returns fewer than k results when fewer rows qualify; k larger
//     than the table is not an error. A non-positive k, a query of the wrong
//     length, with NaN or Inf, or (under Cosine) of all zeros is an error.
//     Rows of zeros are accepted (LLM padding rows) and score 0.
//   - A graph built with more than one worker depends on thread timing; with
//     Options.Workers = 1 and a fixed Seed it is the same bit for bit.
//   - [Dot] is not a metric, so HNSW recall under it is lower than under
//     Cosine or Euclidean at the same ef_search.
//   - HNSW's default ef_search is 64, not pgvector's 40: 40 gave recall@10
//     0.947 on 1M clustered vectors, 64 gives 0.985 (0.992 on word vectors).
//     Data with a higher intrinsic dimension may need more
//     (SearchOptions.EfSearch, [HNSW.SetEfSearch]). A saved index keeps the
//     ef_search it had.
//   - A quantized index learns its ranges (int8) or thresholds (binary)
//     from the first rows added; rows added later are encoded with them,
//     values outside clamped: after much new data of another kind,
//     rebuild. A quantized index without its vectors cannot grow (Add
//     fails): rebuild it with [Build]. Its graph is then frozen, kept in
//     less memory: layer-0 links bit-packed, int8 codes unpadded.
//   - Distances use AVX2 and FMA assembly (internal/vec) on amd64 CPUs that
//     have them, and portable Go elsewhere or when EMBEDDB_NOASM=1; the two
//     round differently, so scores can differ in the last bits between them.
//     The serialized format is little-endian on every machine and protected
//     by a CRC-32C.
//   - On Linux, an index that is read (ReadHNSW) or has finished adding
//     rows asks for 2 MiB pages under its vectors, codes and links
//     (MADV_HUGEPAGE, then MADV_COLLAPSE): a walk reads rows scattered over
//     them, and on 4 KiB pages each row also missed the TLB. On 331,479
//     word vectors at ef_search 192 this made float32 searches 1.33× as
//     fast and int8 ones 1.08× (BenchmarkHNSW_HugePages, one run). Where the kernel refuses (THP off,
//     no free huge page, before Linux 6.1) nothing changes but speed.
//
// # Why not github.com/coder/hnsw
//
// The design card named coder/hnsw. At the fixed commit
// (v0.6.2-0.20260622133054-36cab6028fed) it was measured beside this
// package on 20,000 clustered 100-d vectors (500 queries, one thread, CPU
// time, m 16, its EfSearch 200 while building since it has no separate
// ef_construction):
//
//	                  build          ef 20              ef 40              ef 100
//	coder/hnsw      638 inserts/s    0.787 @ 0.421 ms   0.896 @ 0.831 ms   0.970 @ 1.445 ms
//	this package  10,336 inserts/s   0.862 @ 0.028 ms   0.963 @ 0.059 ms   1.000 @ 0.079 ms
//	(recall@10 @ CPU time per query; exact Flat search: 0.335 ms per query)
//
// Its queries are slower than an exact scan, because its heap finds the
// maximum by a linear scan, neighbours live in maps whose keys are copied
// and sorted at every step, and CosineDistance recomputes norms at every
// call; it also has no locking and panics on a dimension mismatch. None of
// that can be fixed through its public API, so the graph is written here
// and the package no longer imports it.
//
// # Performance
//
// Measured on 2026-11-28 with scripts/compare-index.sh on this project's
// machine (2 vCPUs of a Xeon with AVX-512, shared with other work, so query
// rates are given per CPU-second of the querying thread, which other
// processes distort less than wall time). Peers, on the same vectors in the same run: hnswlib 0.6.2
// (Debian's, SSE only; M 16, ef_construction 200, knn_query of the whole
// query set on one thread) and numpy 1.24 with OpenBLAS 0.3.21 limited to
// one thread (Xn @ q, argpartition), the fastest of its core types. k = 10,
// 1,000 queries, one query thread; recall@10 against exact search.
//
// 1,000,000 clustered synthetic 100-d vectors (1,000 centres ~ N(0,1),
// rows and queries = centre + N(0, 0.5²); queries not in the set):
//
//	                                       this package      hnswlib     ratio
//	build, 1 thread (inserts/s)                   2,530         825*     3.07x
//	build, 2 threads (inserts/s)                  3,486       1,760*     1.98x
//	queries/s at recall@10 >= 0.95                7,740        6,351     1.22x
//	queries/s at recall@10 >= 0.99                5,791        5,060     1.14x
//	recall@10 at ef_search 40 / 64 (default)  0.947 / 0.985  0.949 / 0.984
//	exact search, 1 core (queries/s)               32.7      24.0 numpy  1.36x
//	memory of the built index / raw vectors       1.41x         -
//	saved file / raw vectors                      1.36x        1.37x
//	load (ReadHNSW, 1.67 s) / 2-thread build     0.006        0.001
//	(* hnswlib's 1M builds ran while other processes used 1.4-1.7 of the 2
//	 cores; this package's started on an idle machine, load average 3-4
//	 during them, not recorded per process: treat the build ratios as rough.)
//
// 42,563 word vectors (gensim 4.2 skip-gram, vector_size 100, trained on
// ../shared/testdata/corpus/wikipedia with /work/shared/peers/gensim_train.py;
// queries are vocabulary words left out of their own answers, as
// most_similar does):
//
//	                                       this package      hnswlib     ratio
//	build, 1 thread (inserts/s)                   7,334        5,634     1.30x
//	build, 2 threads (inserts/s)                  7,165        4,531     1.58x
//	queries/s at recall@10 >= 0.95 (ef 20)       46,354       39,963     1.16x
//	queries/s at recall@10 >= 0.99 (ef 64)       16,672       14,729     1.13x
//	recall@10 at ef_search 64 (default)           0.992        0.993
//	exact search, 1 core (queries/s)              1,008      934 numpy   1.08x
//	memory of the built index / raw vectors       1.40x         -
//	(hnswlib's builds ran while other processes used about 1 of the 2 cores;
//	 this package's after the machine had been idle for 3 s.)
//
// The 1.5x query-speed aim over hnswlib is not reached: at these sizes a
// query is bound by memory latency (random 400-byte rows), which both pay.
// Exact search reads 400 MB per query at 1M and runs at about 12 GB/s on one
// core, a third faster than OpenBLAS's sgemv plus numpy's argpartition.
//
// # Graph reordering (measured, left out)
//
// Relabelling the nodes so that neighbours lie near each other in memory
// (Coleman et al., NeurIPS 2022: breadth-first, RCM, Gorder) was measured
// on the 331,479 100-d word vectors (M 16, ef_construction 200, 5,000
// held-out queries, one thread, queries per CPU second, three alternated
// rounds on the shared 2-core machine; BenchmarkHNSW_Reorder with
// EMBEDDB_INDEX_DATA). The same graph relabelled breadth-first from the
// entry point over layer 0, or in the leaf order of a random-projection
// tree, gives the same answers and, with huge pages, no speed: 0.95x and
// 0.98x the build order at ef_search 176 (recall@10 0.951), 0.97x and
// 0.99x at 704 (0.990); two earlier runs gave breadth-first 0.99-1.03x.
// On 4 KiB pages breadth-first order is 1.12x and 1.21x as fast: the
// gain the paper reports is mostly TLB reach, which the huge pages above
// already give (build order on 4 KiB pages ran at 0.79x and 0.80x).
// What remains is small because the walk has nothing to share: at ef 176
// it reads 2,669 rows of 400 bytes, on 18,505 distinct cache lines in
// build order and 18,345 in breadth-first order (2,101 and 1,950 distinct
// 4 KiB pages; BenchmarkHNSW_ReorderLocality). A row spans 7 lines, so
// even rows side by side would save about a tenth of them, and a small
// world graph's breadth-first levels spread a query's neighbourhood over
// the whole array. The build order itself is not random: rows come in the
// vocabulary's frequency order, so the hubs a walk passes through sit
// together, and a random order is slower (0.92x the build order at ef
// 176, 2,797 pages a query): breadth-first order only matches that, and
// ordering by layer-0 in-degree (hubs first) gave 1.03x (2,092 pages).
//
// # Vamana's alpha (measured, left out)
//
// DiskANN's neighbour pruning keeps a candidate unless alpha times its
// distance to a kept neighbour is below its distance to the node, with
// alpha above 1 keeping more long edges. Applied to the heuristic above
// (on cosine distance 1 - dot) and measured on the 331,479 word vectors
// (M 16, ef_construction 200, 2 workers, 5,000 held-out queries, Zen 3),
// alpha 1.1 and 1.2 built in 63 and 69 s against 62, and at equal
// ef_search gave lower recall (ef 176: 0.9501 and 0.9445 against 0.9507;
// ef 704: 0.9884 and 0.9853 against 0.9901) at 0.94-1.11x the queries
// per second (alpha 1.2, two alternated rounds): at equal recall, no
// faster.
package index
