package store

import (
	"bytes"
	"context"
	"fmt"
)

// DumpText returns every row of every table as text, one row per line,
// for tests that prove deleted data is gone from the tables (PostgreSQL:
// rows as the server renders them; SQLite tests read the files instead).
// Dead row versions that VACUUM has not yet reclaimed are not visible to
// SQL; see docs/retention.md.
func (db *DB) DumpText(ctx context.Context) ([]byte, error) {
	var out bytes.Buffer
	err := db.Read(ctx, func(tx *Tx) error {
		q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'message_search%' ORDER BY name`
		if tx.d.name != sqliteDialect.name {
			q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
		}
		rows, err := tx.query(q)
		if err != nil {
			return err
		}
		var tables []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return err
			}
			tables = append(tables, name)
		}
		rows.Close()
		for _, table := range tables {
			sel := `SELECT CAST(t AS TEXT) FROM "` + table + `" t`
			if tx.d.name == sqliteDialect.name {
				sel = `SELECT * FROM "` + table + `"`
			}
			rows, err := tx.query(sel)
			if err != nil {
				return fmt.Errorf("dump %s: %w", table, err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				fmt.Fprintf(&out, "%s %v\n", table, vals)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return out.Bytes(), err
}
