package desk

import (
	"context"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/fault"
	"frist/internal/privacy"
	"frist/internal/store"
)

// Agent is a logged-in account: who acts, with which role, in which
// departments.
type Agent = store.UserRecord

// SessionTTL is how long a browser session lasts.
const SessionTTL = 12 * time.Hour

// Login checks an email and password and starts a session. It returns the
// session secret for the cookie. Wrong credentials give fault.Unauthorized
// with the same message and the same time whether or not the account
// exists.
func (d *Desk) Login(ctx context.Context, email, password string) (*Agent, string, error) {
	var u *Agent
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.FindUserByEmail(strings.TrimSpace(email))
		return err
	})
	if fault.Code(err) == fault.NotFound {
		auth.VerifyDummy(password)
		return nil, "", fault.Errorf(fault.Unauthorized, "Email or password is wrong.")
	} else if err != nil {
		return nil, "", err
	}
	if !auth.VerifyPassword(u.PasswordHash, password) || u.Disabled {
		return nil, "", fault.Errorf(fault.Unauthorized, "Email or password is wrong.")
	}
	secret := auth.NewSecret("")
	err = d.db.Write(ctx, func(tx *store.Tx) error { return tx.CreateSession(auth.HashSecret(secret), u.ID, SessionTTL) })
	if err != nil {
		return nil, "", err
	}
	return u, secret, nil
}

// Logout ends a session.
func (d *Desk) Logout(ctx context.Context, secret string) error {
	return d.db.Write(ctx, func(tx *store.Tx) error { return tx.DeleteSession(auth.HashSecret(secret)) })
}

// SessionAgent returns the agent of a session secret, or
// fault.Unauthorized.
func (d *Desk) SessionAgent(ctx context.Context, secret string) (*Agent, error) {
	var u *Agent
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.FindSessionUser(auth.HashSecret(secret))
		return err
	})
	return u, err
}

// TokenAgent returns the agent of an API token, or fault.Unauthorized.
func (d *Desk) TokenAgent(ctx context.Context, token string) (*Agent, error) {
	var u *Agent
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.FindTokenUser(auth.HashSecret(token))
		return err
	})
	return u, err
}

// NewUser describes an account to create.
type NewUser struct {
	Email       string
	Name        string
	Role        auth.Role
	Password    string   // "" to generate a one-time password
	Departments []string // nil: all departments
}

// CreateUser creates an agent account and returns it with the password
// that was set (the generated one when none was given). Returns
// fault.Invalid for bad input and fault.Conflict for a taken email.
func (d *Desk) CreateUser(ctx context.Context, nu NewUser) (*auth.User, string, error) {
	var errs []fault.FieldError
	email, msg := (&privacy.Attribute{Kind: privacy.KindEmail, MaxLen: 254}).Normalize(nu.Email)
	if msg != "" || email == "" {
		errs = append(errs, fault.FieldError{Field: "email", Message: privacy.ErrEmail})
	}
	name, msg := (&privacy.Attribute{Kind: privacy.KindText, MaxLen: 200}).Normalize(nu.Name)
	if msg != "" || name == "" {
		errs = append(errs, fault.FieldError{Field: "name", Message: privacy.ErrRequired})
	}
	if !nu.Role.Valid() {
		errs = append(errs, fault.FieldError{Field: "role", Message: privacy.ErrOption})
	}
	for _, dep := range nu.Departments {
		if _, ok := d.Policy().Department(dep); !ok {
			errs = append(errs, fault.FieldError{Field: "departments", Message: privacy.ErrOption})
			break
		}
	}
	password := nu.Password
	if password == "" {
		password = auth.NewPassword()
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		errs = append(errs, fault.FieldError{Field: "password", Message: "weak_password"})
	}
	if len(errs) > 0 {
		return nil, "", &fault.Error{Code: fault.Invalid, Message: "Please check the highlighted fields.", Fields: errs}
	}
	u := &auth.User{Email: email, Name: name, Role: nu.Role}
	err = d.db.Write(ctx, func(tx *store.Tx) error { return tx.CreateUser(u, hash, nu.Departments) })
	if err != nil {
		return nil, "", err
	}
	return u, password, nil
}

// ResetPassword sets a new password (generated when empty) for the account
// with the email and ends its sessions.
func (d *Desk) ResetPassword(ctx context.Context, email, password string) (string, error) {
	if password == "" {
		password = auth.NewPassword()
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", fault.Fields("The password is too weak.", fault.FieldError{Field: "password", Message: "weak_password"})
	}
	err = d.db.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.FindUserByEmail(email)
		if err != nil {
			return err
		}
		return tx.SetPassword(u.ID, hash)
	})
	return password, err
}

// CreateToken creates an API token for the account with the email and
// returns its secret; only the hash is stored.
func (d *Desk) CreateToken(ctx context.Context, email, label string) (string, error) {
	label = strings.TrimSpace(label)
	if label == "" || len(label) > 100 {
		return "", fault.Fields("Give the token a name of at most 100 characters.", fault.FieldError{Field: "name", Message: privacy.ErrRequired})
	}
	token := auth.NewSecret("frist_")
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.FindUserByEmail(email)
		if err != nil {
			return err
		}
		_, err = tx.CreateToken(u.ID, label, auth.HashSecret(token))
		return err
	})
	return token, err
}

// Agents returns all accounts, for assignee choices and the admin page.
func (d *Desk) Agents(ctx context.Context) ([]*Agent, error) {
	var out []*Agent
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.FindUsers()
		return err
	})
	return out, err
}

// CountAgents returns the number of accounts that can sign in. An
// installation without one (a new one, or a training installation whose
// accounts are the disabled pseudonyms of its tickets' agents) gets a
// first administrator when the server starts.
func (d *Desk) CountAgents(ctx context.Context) (int, error) {
	var n int
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.CountUsers()
		return err
	})
	return n, err
}
