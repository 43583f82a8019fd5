-- SQLite only: the search index numbers rows by message id times a
-- prime. PostgreSQL's index keys by message id and needs nothing here.
SELECT 1;
