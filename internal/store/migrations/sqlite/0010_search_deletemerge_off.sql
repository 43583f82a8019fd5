-- Deleted rows no longer make the background merger rewrite the search
-- index's segments (FTS5 deletemerge, 10 % by default): under a large
-- retention sweep that rewrote the largest segment again after every
-- tenth of it was deleted, ten times its size in all, in steps that held
-- the single writer for 20-35 ms each. The compaction after a sweep
-- removes deleted entries instead (store.DB.CompactSearchIndex), or
-- rebuilds the index when most of it is deleted
-- (store.DB.RebuildSearchIndex).
INSERT INTO message_search (message_search, rank) VALUES ('deletemerge', 0);
