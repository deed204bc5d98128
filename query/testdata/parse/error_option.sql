IMPORT glove FROM 'glove.6B.100d.txt'
  WITH (format 'glove');
