package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestComplianceCheck drives frist compliance check through a fresh
// installation, an error and a warning, and the integration gate of frist
// policy apply.
func TestComplianceCheck(t *testing.T) {
	t.Parallel()
	dir := newDataDir(t)
	out, err := run(t, "", "compliance", "check", "--data-dir", dir)
	if err != nil || exitStatus(err) != 0 || !strings.Contains(out, "compliance: nothing is open") {
		t.Fatalf("fresh installation: %q %v", out, err)
	}
	base, err := run(t, "", "policy", "export", "--data-dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	apply := func(t *testing.T, body string) (string, error) {
		t.Helper()
		f := filepath.Join(t.TempDir(), "policy.yaml")
		if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return run(t, "", "policy", "apply", "--data-dir", dir, f)
	}
	unsigned := strings.Replace(base, `signed_on: "2025-03-01"`, "", 1)
	if unsigned == base {
		t.Fatal("the default policy has no signed AVV to remove")
	}

	t.Run("Gate", func(t *testing.T) {
		out, err := apply(t, strings.Replace(unsigned, "enabled: false", "enabled: true", 1))
		if err == nil || !strings.Contains(err.Error(), "The integration mail_relay sends data to beispiel_mail (Beispiel Mail GmbH), which has no valid AVV.") {
			t.Errorf("an enabled integration without AVV was applied: %q %v", out, err)
		}
	})

	t.Run("Error", func(t *testing.T) {
		if out, err := apply(t, unsigned); err != nil {
			t.Fatalf("%s %v", out, err)
		}
		out, err := run(t, "", "compliance", "check", "--data-dir", dir)
		if exitStatus(err) != 1 || !strings.Contains(out, "compliance: 1 open (errors: 1, warnings: 0)") ||
			!strings.Contains(out, "ERROR    processor.avv_missing processor:beispiel_mail") || !strings.Contains(out, "No signed AVV") {
			t.Errorf("exit %d: %s", exitStatus(err), out)
		}
		out, err = run(t, "", "compliance", "check", "--json", "--lang", "de", "--data-dir", dir)
		if exitStatus(err) != 1 {
			t.Errorf("--json: exit %d", exitStatus(err))
		}
		var got complianceJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if got.Status != "open" || got.Errors != 1 || len(got.Items) != 1 || got.Items[0].Code != "processor.avv_missing" ||
			!strings.HasPrefix(got.Items[0].Message, "Für den Auftragsverarbeiter beispiel_mail") || got.Items[0].Text.EN == "" {
			t.Errorf("json: %+v", got)
		}
	})

	t.Run("Warning", func(t *testing.T) {
		india := strings.Replace(base, "country: DE\n    avv:", "country: IN\n    avv:", 1)
		if india == base {
			t.Fatal("no processor country to change")
		}
		if out, err := apply(t, india); err != nil {
			t.Fatalf("%s %v", out, err)
		}
		// LANG picks German.
		var stdout, stderr bytes.Buffer
		args := []string{"compliance", "check", "--data-dir", dir}
		env := getenvFor(args)
		m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string {
			if k == "LANG" {
				return "de_DE.UTF-8"
			}
			return env(k)
		}}
		defer m.Close()
		err := m.Run(context.Background(), args)
		out := stdout.String()
		if exitStatus(err) != 2 || !strings.Contains(out, "Compliance: 1 offen (Fehler: 0, Warnungen: 1)") ||
			!strings.Contains(out, "WARNUNG  processor.transfer_without_safeguard processor:beispiel_mail") || !strings.Contains(out, "Drittland ohne Angemessenheitsbeschluss") {
			t.Errorf("exit %d (%v): %s", exitStatus(err), err, out)
		}
	})

	t.Run("Usage", func(t *testing.T) {
		for _, args := range [][]string{{"compliance"}, {"compliance", "check", "extra"}, {"compliance", "check", "--lang", "fr"}} {
			if _, err := run(t, "", append(args, "--data-dir", dir)...); exitStatus(err) != 1 {
				t.Errorf("%v: %v", args, err)
			}
		}
	})
}
