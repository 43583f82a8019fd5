-- SQLite only: the search index's merger leaves deleted rows to the
-- compaction. PostgreSQL's index needs nothing here.
SELECT 1;
