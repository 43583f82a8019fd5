package main

import (
	"context"
	"errors"
	"fmt"
	"os"
)

func (m *Main) policyApply(ctx context.Context, args []string) error {
	cfg, rest, err := m.parse("policy apply", args, nil)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("usage: frist policy apply FILE")
	}
	body, err := os.ReadFile(rest[0])
	if err != nil {
		return err
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	p, err := d.ApplyPolicy(ctx, body)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(m.Stdout, "policy applied: %s\n(a running server picks it up within a few seconds)\n", p.Summary())
	return nil
}

func (m *Main) policyExport(ctx context.Context, args []string) error {
	cfg, _, err := m.parse("policy export", args, nil)
	if err != nil {
		return err
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	body, err := d.ExportPolicy(ctx)
	if err != nil {
		return err
	}
	_, err = m.Stdout.Write(body)
	return err
}
