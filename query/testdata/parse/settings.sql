SET ef_search = 64;
SET exact = on;
SET exact = OFF;
SET Exact TO true;
SET "Mixed Case" = 'kept';
SET threshold = -0.5;
SET mode = index;
