/* A block comment
   over two lines */ SELECT -- a line comment
  word /* inline */ FROM w2v -- no semicolon at the end, and a comment
