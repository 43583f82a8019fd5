package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"frist/internal/auth"
	"frist/internal/config"
	"frist/internal/desk"
	"frist/internal/fault"
)

func (m *Main) userAdd(ctx context.Context, args []string) error {
	var email, name, role, departments string
	cfg, _, err := m.parse("user add", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.StringVar(&email, "email", "", "login email (required)")
		fs.StringVar(&name, "name", "", "display name (required)")
		fs.StringVar(&role, "role", "agent", "admin, agent, trainee or privacy-officer")
		fs.StringVar(&departments, "departments", "", "comma-separated department ids the account works in; empty for all")
	})
	if err != nil {
		return err
	}
	password, err := m.readPassword()
	if err != nil {
		return err
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	var depts []string
	if departments != "" {
		depts = strings.Split(departments, ",")
	}
	u, pw, err := d.CreateUser(ctx, desk.NewUser{Email: email, Name: name, Role: auth.Role(role), Password: password, Departments: depts})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(m.Stdout, "created %s account %s\n", u.Role, u.Email)
	if password == "" {
		fmt.Fprintf(m.Stdout, "one-time password: %s\n", pw)
	}
	return nil
}

func (m *Main) userReset(ctx context.Context, args []string) error {
	var email string
	cfg, _, err := m.parse("user reset", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.StringVar(&email, "email", "", "login email (required)")
	})
	if err != nil {
		return err
	}
	password, err := m.readPassword()
	if err != nil {
		return err
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	pw, err := d.ResetPassword(ctx, email, password)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintln(m.Stdout, "password changed; all sessions of the account ended")
	if password == "" {
		fmt.Fprintf(m.Stdout, "one-time password: %s\n", pw)
	}
	return nil
}

func (m *Main) tokenCreate(ctx context.Context, args []string) error {
	var email, name string
	cfg, _, err := m.parse("token create", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.StringVar(&email, "email", "", "account the token acts as (required)")
		fs.StringVar(&name, "name", "", "label of the token, e.g. the integration's name (required)")
	})
	if err != nil {
		return err
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	token, err := d.CreateToken(ctx, email, name)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(m.Stdout, "API token (shown only once; send as Authorization: Bearer TOKEN): %s\n", token)
	return nil
}

// readPassword reads a password from standard input when it is piped, and
// returns "" (generate one) when standard input is a terminal or empty.
func (m *Main) readPassword() (string, error) {
	if f, ok := m.Stdin.(*os.File); ok {
		if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice != 0 {
			return "", nil
		}
	}
	if m.Stdin == nil {
		return "", nil
	}
	line, err := bufio.NewReader(io.LimitReader(m.Stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// describe turns a fault with field errors into a readable CLI error.
func describe(err error) error {
	fields := fault.FieldsOf(err)
	if len(fields) == 0 {
		if fault.Code(err) == fault.Internal {
			return err
		}
		return errors.New(fault.Message(err))
	}
	var parts []string
	for _, f := range fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return fmt.Errorf("%s (%s)", fault.Message(err), strings.Join(parts, ", "))
}
