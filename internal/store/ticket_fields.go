package store

import "fmt"

// FindTicketFields returns the form fields of the tickets by ticket id;
// tickets without fields are missing. Lists load tickets without their
// fields; masking a list by role needs them (desk).
func (tx *Tx) FindTicketFields(ids []int64) (map[int64]map[string]string, error) {
	out := map[int64]map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.query(`SELECT ticket_id, field, value FROM ticket_fields WHERE ticket_id IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("find fields: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k, v string
		if err := rows.Scan(&id, &k, &v); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]string{}
		}
		out[id][k] = v
	}
	return out, rows.Err()
}
