PLOT w2v WORDS ('king', 'queen', 'man', 'woman', 'paris', 'france', 'rome', 'italy') TO 'map.svg';
PLOT w2v NEAREST ('python', 30) TO 'python.png' WITH (method = 'tsne', perplexity = 10, seed = 1);
PLOT w2v WHERE count > 1000 LIMIT 2000 TO 'top.svg' WITH (method = 'pca', labels = 'none');
plot "words" words ('a', ?) where count > 2 limit 5;
