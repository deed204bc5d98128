SELECT word FROM w2v WHERE word = 'it's';
SELECT 2;
