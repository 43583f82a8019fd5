package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPolicyDocument(t *testing.T) {
	t.Parallel()
	dir := newDataDir(t)

	out, err := run(t, "", "policy", "document", "--data-dir", dir)
	if err != nil || !strings.HasPrefix(out, "# Löschkonzept nach DIN 66398 – Beispiel GmbH") || !strings.Contains(out, "## 4. Löschklassen") {
		t.Fatalf("German Markdown: %.300s %v", out, err)
	}

	file := filepath.Join(dir, "loeschkonzept.html")
	out, err = run(t, "", "policy", "document", "--data-dir", dir, "--format", "html", "--lang", "en", "--output", file)
	if err != nil || !strings.Contains(out, "written to "+file) {
		t.Fatalf("HTML to a file: %s %v", out, err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{"<!DOCTYPE html>", `<html lang="en">`, "<style>", "<h2 id=\"classes-title\">4. Retention classes</h2>", "commercial_letter"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}

	// A changed policy changes the document.
	exported, err := run(t, "", "policy", "export", "--data-dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	policyFile := filepath.Join(dir, "policy.yaml")
	os.WriteFile(policyFile, []byte(strings.Replace(exported, "period: P90D", "period: P60D", 1)), 0o600)
	if out, err := run(t, "", "policy", "apply", "--data-dir", dir, policyFile); err != nil {
		t.Fatalf("policy apply: %s %v", out, err)
	}
	out, err = run(t, "", "policy", "document", "--data-dir", dir, "--lang", "en")
	if err != nil || !strings.Contains(out, "60 days after closure, then delete") || !strings.Contains(out, "policy no. 2") {
		t.Errorf("document after the change: %.400s %v", out, err)
	}

	for _, args := range [][]string{{"--format", "pdf"}, {"--lang", "fr"}, {"extra"}} {
		if out, err := run(t, "", append([]string{"policy", "document", "--data-dir", dir}, args...)...); err == nil {
			t.Errorf("%v accepted: %.100s", args, out)
		}
	}
}
