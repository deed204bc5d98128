SELECT 0, 42, -42, 1.5, -.5, 1., 3e-4, 1E+3, 9223372036854775807, -9223372036854775808, 9223372036854775808;
SELECT 'plain', 'it''s', '', 'C:\data\x.txt', 'multi
line', '你好';
SELECT TRUE, false, NULL, [], [1], [1, -2, 3.5];
SELECT "quoted ident", "with ""quotes""", "select", "count", count, "Count";
SELECT ?, ? + 1, [?, ?];
