-- Every statement of /work/shared/DESIGN.md's language section, verbatim.

-- Training, with gensim's parameter names and defaults
TRAIN w2v FROM 'train-data.txt'
  WITH (vector_size = 100, window = 5, min_count = 1, workers = 4, sg = 1);
TRAIN w2v FROM 'a.txt', 'b.txt' WITH (sg = 0, negative = 5, epochs = 5, seed = 1);
TRAIN w2v FROM 'more.txt' WITH (update = true);   -- continue training an existing table

-- Lookups (the seed's three operations)
SELECT NEAREST('python', 5) FROM w2v;
SELECT SIMILARITY('python', 'language') FROM w2v;
SELECT VECTOR('python') FROM w2v;

-- Vector arithmetic and analogies
SELECT NEAREST(VECTOR('king') - VECTOR('man') + VECTOR('woman'), 5) FROM w2v;

-- Plain table access
SELECT word, count FROM w2v WHERE word LIKE 'pyth%' ORDER BY count DESC LIMIT 10;
SELECT COUNT(*) FROM w2v;
SHOW TABLES;  DESCRIBE w2v;  DROP TABLE w2v;
CREATE TABLE pets (dim = 3);
INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]);
DELETE FROM pets WHERE word = 'cat';

-- Files: word2vec text and binary, GloVe, fastText .vec
IMPORT glove FROM 'glove.6B.100d.txt' WITH (format = 'glove');
EXPORT w2v TO 'vectors.bin' WITH (format = 'word2vec', binary = true);

-- An LLM's input-embedding matrix with its tokenizer
IMPORT qwen FROM 'model.safetensors'
  WITH (tensor = 'model.embed_tokens.weight', tokenizer = 'tokenizer.json');
SELECT TOKENS('Hi, 你好~') FROM qwen;
SELECT EMBED('Hi, 你好~') FROM qwen;

-- Index and evaluation
CREATE INDEX ON w2v USING hnsw WITH (m = 16, ef_construction = 200);
SET ef_search = 64;
EVALUATE w2v WITH (analogies = 'questions-words.txt');
EVALUATE w2v WITH (pairs = 'wordsim353.tsv');
