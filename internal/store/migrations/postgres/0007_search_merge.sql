-- SQLite only: the FTS5 search index merges in steps of their own.
-- PostgreSQL's GIN index needs nothing here.
SELECT 1;
