-- The search index keeps per word only which messages contain it
-- (detail = none), not where: a search asks for the messages that contain
-- all its words (store.Tx.Search) and never for phrases, nearness or a
-- column, and snippets are cut from the message itself. The doclists of
-- common words shrink to their row numbers, so merge steps, which FTS5
-- can end only between words, write less each and the index is smaller.
-- The index is contentless: it is rebuilt from the messages as migration
-- 0008 did, with the settings of migrations 0005 and 0007.
DROP TABLE message_search;
CREATE VIRTUAL TABLE message_search USING fts5 (
	subject, body,
	content = '', contentless_delete = 1, detail = none,
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1);
INSERT INTO message_search (message_search, rank) VALUES ('automerge', 0);
INSERT INTO message_search (message_search, rank) VALUES ('crisismerge', 64);
INSERT INTO message_search (message_search, rank) VALUES ('usermerge', 16);
INSERT INTO message_search (rowid, subject, body)
SELECT m.id * 10007,
	CASE WHEN m.id = (SELECT min(f.id) FROM messages f WHERE f.ticket_id = m.ticket_id) THEN t.subject ELSE '' END,
	m.body
FROM messages m JOIN tickets t ON t.id = m.ticket_id
ORDER BY m.id;
INSERT INTO message_search (message_search) VALUES ('optimize');
