package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"frist/internal/config"
)

// policyDocument writes the deletion concept generated from the policy in
// force: Markdown (default) or a complete HTML page, German (default) or
// English, to standard output or a file.
func (m *Main) policyDocument(ctx context.Context, args []string) error {
	var format, lang, output string
	cfg, rest, err := m.parse("policy document", args, func(fs *flag.FlagSet, _ *config.Config) {
		fs.StringVar(&format, "format", "md", "md (Markdown) or html (a complete HTML page)")
		fs.StringVar(&lang, "lang", "de", "de (German) or en (English)")
		fs.StringVar(&output, "output", "", "write to this file instead of standard output")
	})
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errors.New("usage: frist policy document [--format md|html] [--lang de|en] [--output FILE]")
	}
	if format != "md" && format != "html" {
		return fmt.Errorf("--format %q: use md or html", format)
	}
	if lang != "de" && lang != "en" {
		return fmt.Errorf("--lang %q: use de or en", lang)
	}
	_, d, err := m.open(ctx, cfg, false, nil, nil)
	if err != nil {
		return err
	}
	doc, err := d.DeletionConcept(ctx, nil, lang)
	if err != nil {
		return err
	}
	body := doc.Markdown()
	if format == "html" {
		body = doc.HTML()
	}
	if output == "" {
		_, err = m.Stdout.Write(body)
		return err
	}
	if err := writeFileAtomic(output, body); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "deletion concept written to %s\n", output)
	return nil
}

// writeFileAtomic writes a file through a temporary file in the same
// directory, so that a reader never sees half a document.
func writeFileAtomic(name string, body []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(body); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}
