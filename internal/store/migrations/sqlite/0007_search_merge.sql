-- The search index merges its segments in small steps of their own (see
-- store.searchMerger) instead of inside the write that happens to fill a
-- level: FTS5's automatic merge ran in whichever statement flushed the
-- index next and held the single writer for up to hundreds of
-- milliseconds. The crisis merge stays as a safety net for a level that
-- grows past 64 segments.
INSERT INTO message_search (message_search, rank) VALUES ('automerge', 0);
INSERT INTO message_search (message_search, rank) VALUES ('crisismerge', 64);
-- A merge step merges a level once it holds 16 segments (not 4): each
-- entry is rewritten about half as often, and a query reads at most 16
-- segments per level.
INSERT INTO message_search (message_search, rank) VALUES ('usermerge', 16);
