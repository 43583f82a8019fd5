package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"frist/internal/fault"
	"frist/internal/store"
	"frist/internal/ticket"
)

func TestAttachments(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, now)
	ctx := context.Background()
	tk := MustCreateTicket(t, db, "support", now.Add(time.Hour), "Anbei die Rechnung.")
	other := MustCreateTicket(t, db, "support", now.Add(time.Hour), "Zweites Ticket.")
	var first, note int64
	var made []store.Attachment
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if first, err = tx.FirstMessageID(tk.ID); err != nil {
			return err
		}
		m := &ticket.Message{TicketID: tk.ID, Visibility: ticket.Internal, Author: ticket.ByAgent, Body: "Notiz"}
		if err := tx.CreateMessage(m); err != nil {
			return err
		}
		note = m.ID
		for i, msg := range []int64{first, first, note} {
			a := &store.Attachment{TicketID: tk.ID, MessageID: msg, Name: fmt.Sprintf("Rechnung-%d.pdf", i), ContentType: "application/pdf",
				Size: int64(100 + i), SHA256: "abc", StorageKey: fmt.Sprintf("%032x", i+1)}
			if err := tx.CreateAttachment(a); err != nil {
				return err
			}
			a.Public = msg == first
			made = append(made, *a)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := db.Read(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("FindAttachments", func(t *testing.T) {
		read(func(tx *store.Tx) error {
			all, err := tx.FindAttachments(tk.ID, true)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(made, all); diff != "" {
				t.Errorf("all (-want +got):\n%s", diff)
			}
			public, err := tx.FindAttachments(tk.ID, false)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(made[:2], public); diff != "" {
				t.Errorf("public (-want +got):\n%s", diff)
			}
			byMsg, err := tx.FindMessageAttachments(note)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(made[2:], byMsg); diff != "" {
				t.Errorf("by message (-want +got):\n%s", diff)
			}
			none, err := tx.FindAttachments(other.ID, true)
			if len(none) != 0 {
				t.Errorf("other ticket has %d", len(none))
			}
			return err
		})
	})
	t.Run("FindAttachment", func(t *testing.T) {
		read(func(tx *store.Tx) error {
			a, err := tx.FindAttachment(tk.ID, made[1].ID)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(made[1], *a); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// Another ticket's id does not find it.
			if _, err := tx.FindAttachment(other.ID, made[1].ID); fault.Code(err) != fault.NotFound {
				t.Errorf("other ticket: %v", err)
			}
			return nil
		})
	})
	t.Run("KnownStorageKeys", func(t *testing.T) {
		read(func(tx *store.Tx) error {
			known, err := tx.KnownStorageKeys([]string{made[0].StorageKey, "ffffffffffffffffffffffffffffffff", made[2].StorageKey})
			want := map[string]bool{made[0].StorageKey: true, made[2].StorageKey: true}
			if diff := cmp.Diff(want, known); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			return err
		})
	})
	t.Run("ErrDuplicateKey", func(t *testing.T) {
		err := db.Write(ctx, func(tx *store.Tx) error {
			return tx.CreateAttachment(&store.Attachment{TicketID: tk.ID, MessageID: first, Name: "x", ContentType: "text/plain", Size: 1, SHA256: "x", StorageKey: made[0].StorageKey})
		})
		if fault.Code(err) != fault.Conflict {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrNoMessage", func(t *testing.T) {
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.FirstMessageID(999999)
			return err
		})
		if fault.Code(err) != fault.NotFound {
			t.Fatalf("got %v", err)
		}
	})
}

func TestFileDeletions(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, now)
	ctx := context.Background()
	keys := []string{"aa", "bb", "cc"}
	write := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := db.Write(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	write(func(tx *store.Tx) error { return tx.QueueFileDeletions(keys) })
	write(func(tx *store.Tx) error { return tx.QueueFileDeletions(keys[:1]) }) // again: no error
	var got []string
	write(func(tx *store.Tx) error {
		var err error
		got, err = tx.PendingFileDeletions(2)
		return err
	})
	if diff := cmp.Diff(keys[:2], got); diff != "" {
		t.Fatalf("pending (-want +got):\n%s", diff)
	}
	write(func(tx *store.Tx) error { return tx.DoneFileDeletions(got) })
	write(func(tx *store.Tx) error {
		var err error
		got, err = tx.PendingFileDeletions(10)
		return err
	})
	if diff := cmp.Diff(keys[2:], got); diff != "" {
		t.Fatalf("pending after done (-want +got):\n%s", diff)
	}
}
