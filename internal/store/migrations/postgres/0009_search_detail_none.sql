-- SQLite only: the search index keeps no word positions. PostgreSQL's
-- tsvector index needs nothing here.
SELECT 1;
