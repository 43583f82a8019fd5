-- The search index numbers a message's row as its id times 10007
-- (store.sqliteSearchScale) instead of its id, so that the tombstones of
-- deleted rows scatter over FTS5's hash tables instead of filling one
-- contiguous run that every merge had to walk. The index is contentless:
-- it is rebuilt from the messages, the subject indexed with a ticket's
-- first message as intake does, and compacted.
INSERT INTO message_search (message_search) VALUES ('delete-all');
INSERT INTO message_search (rowid, subject, body)
SELECT m.id * 10007,
	CASE WHEN m.id = (SELECT min(f.id) FROM messages f WHERE f.ticket_id = m.ticket_id) THEN t.subject ELSE '' END,
	m.body
FROM messages m JOIN tickets t ON t.id = m.ticket_id
ORDER BY m.id;
INSERT INTO message_search (message_search) VALUES ('optimize');
