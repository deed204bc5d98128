TRAIN w2v FROM 'C:\corpus\a.txt', 'b.txt', ? WITH (vector_size = 100, Window = 5, LIMIT = 10, "Odd Name" = 'x');
IMPORT glove FROM 'glove.6B.100d.txt';
IMPORT ft FROM 'cc.en.300.vec' WITH (format = fasttext, limit = 100000, binary = false);
EXPORT w2v TO ? WITH (format = 'word2vec', binary = TRUE);
EVALUATE w2v WITH (analogies = 'questions-words.txt', restrict_vocab = 300000, case_insensitive = true);
BACKUP TO 'backup.db';
VACUUM;
VACUUM INTO 'small.db';
CHECK DATABASE;
