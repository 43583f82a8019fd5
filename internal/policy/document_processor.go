package policy

import (
	"strings"

	"frist/internal/privacy"
)

// 9. Processors: the register of processors and the integrations that
// send them data, with the state of each AVV on the day of generation.
func (b *docBuilder) processors() Section {
	s := Section{ID: "processors", Title: b.t("9. Auftragsverarbeiter", "9. Processors")}
	s.Blocks = append(s.Blocks, Block{Paragraph: line(b.t(
		"Personenbezogene Daten verlassen Frist nur über die unten aufgeführten Integrationen und nur an eingetragene Auftragsverarbeiter (Art. 28 DSGVO). Was dort gespeichert ist, löscht der Auftragsverarbeiter nach den Vorgaben des Auftragsverarbeitungsvertrags (AVV); die Fristen dieses Löschkonzepts gelten für Daten in Frist. Eine Richtlinie, die eine Integration ohne gültigen AVV aktiviert, lehnt Frist ab, sofern keine begründete Ausnahme eingetragen ist; offene Punkte zeigt ",
		"Personal data leaves Frist only through the integrations listed below and only to registered processors (Art. 28 GDPR). What is stored there the processor deletes as the processing agreement (AVV) requires; the periods of this deletion concept apply to data in Frist. Frist refuses a policy that enables an integration without a valid AVV unless an override with a reason is recorded; open items are shown by "),
		code("frist compliance check"), ".")})
	if len(b.p.Processors) == 0 {
		s.Blocks = append(s.Blocks, Block{Paragraph: line(b.t("Es sind keine Auftragsverarbeiter eingetragen.", "No processors are registered."))})
	} else {
		t := &Table{
			Caption: b.t("Verzeichnis der Auftragsverarbeiter", "Register of processors"),
			Header: []string{b.t("Auftragsverarbeiter", "Processor"), b.t("Leistung", "Service"), b.t("Datenkategorien", "Data categories"),
				b.t("Ort der Verarbeitung", "Place of processing"), b.t("AVV", "AVV (processing agreement)"), b.t("Übermittlung", "Transfer")},
		}
		for i := range b.p.Processors {
			p := &b.p.Processors[i]
			cats := make([]string, len(p.Categories))
			for j, c := range p.Categories {
				cats[j] = b.categoryName(c)
			}
			t.Rows = append(t.Rows, []Inline{
				line(p.Provider, " (", code(p.ID), ")"),
				line(p.Service.In(b.lang)),
				line(strings.Join(cats, ", ")),
				b.place(p.Country, p.DPFCertified),
				b.avv(p),
				b.transfer(p.Country, p.DPFCertified, p.Transfer),
			})
		}
		s.Blocks = append(s.Blocks, Block{Table: t})
		var subs []Inline
		for _, p := range b.p.Processors {
			for _, x := range p.SubProcessors {
				subs = append(subs, line(x.Name, ", ", x.Service, " – ", b.place(x.Country, x.DPFCertified), "; ",
					b.transfer(x.Country, x.DPFCertified, x.Transfer), " (", b.t("für ", "for "), code(p.ID), ")"))
			}
		}
		if len(subs) > 0 {
			s.Blocks = append(s.Blocks, Block{Heading: b.t("Unterauftragsverarbeiter", "Sub-processors")}, Block{List: subs})
		}
	}
	s.Blocks = append(s.Blocks, Block{Heading: b.t("Integrationen", "Integrations")})
	if len(b.p.Integrations) == 0 {
		s.Blocks = append(s.Blocks, Block{Paragraph: line(b.t("Es sind keine Integrationen eingetragen.", "No integrations are declared."))})
		return s
	}
	t := &Table{
		Caption: b.t("Integrationen, über die Daten Frist verlassen", "Integrations through which data leaves Frist"),
		Header:  []string{b.t("Anbindung", "Integration"), b.t("Art", "Kind"), b.t("Ziel", "Endpoint"), b.t("Auftragsverarbeiter", "Processor"), b.t("Aktiv", "Enabled")},
	}
	for _, in := range b.p.Integrations {
		enabled := b.yesNo(in.Enabled)
		if in.Enabled && in.Override != nil {
			enabled = line(enabled, b.t(" (mit Ausnahme ohne gültigen AVV, Begründung in der Richtlinie)", " (under an override without a valid AVV, reason in the policy)"))
		}
		t.Rows = append(t.Rows, []Inline{line(code(in.ID)), line(in.Kind.Describe(b.lang)), line(code(in.Host)), line(code(in.Processor)), enabled})
	}
	s.Blocks = append(s.Blocks, Block{Table: t})
	return s
}

// place names a country with its status under GDPR Chapter V.
func (b *docBuilder) place(country string, dpf bool) Inline {
	status := privacy.StatusOf(country, dpf, b.meta.GeneratedAt)
	out := line(code(country), " – ", status.Describe(b.lang))
	if status == privacy.StatusAdequacy {
		if a, ok := privacy.AdequacyOf(country, b.meta.GeneratedAt); ok {
			out = line(out, " ", a.Decision)
			if scope := a.Scope.In(b.lang); scope != "" {
				out = line(out, ", ", scope)
			}
		}
	}
	return out
}

// avv describes a processor's AVV: signed, until, where it is kept, and
// its state on the day of generation when it is not simply in force.
func (b *docBuilder) avv(p *privacy.Processor) Inline {
	if p.AVV.SignedOn == "" {
		return line(b.t("kein AVV eingetragen", "no AVV recorded"))
	}
	out := line(b.t("unterzeichnet am ", "signed on "), p.AVV.SignedOn, ", ")
	if p.AVV.ValidUntil == "" {
		out = line(out, b.t("unbefristet", "open-ended"))
	} else {
		out = line(out, b.t("gültig bis ", "valid until "), p.AVV.ValidUntil)
	}
	if p.AVV.Document != "" {
		out = line(out, "; ", b.t("Ablage: ", "kept at: "), p.AVV.Document)
	}
	switch state, _ := p.AVVState(b.meta.GeneratedAt, b.p.Location()); state {
	case privacy.AVVExpired:
		out = line(out, b.t(" – abgelaufen", " – expired"))
	case privacy.AVVExpiring:
		out = line(out, b.t(" – läuft bald ab", " – ends soon"))
	case privacy.AVVNotInForce:
		out = line(out, b.t(" – noch nicht in Kraft", " – not yet in force"))
	}
	return out
}

// transfer names the transfer mechanism, or why none is needed.
func (b *docBuilder) transfer(country string, dpf bool, t *privacy.Transfer) Inline {
	if t != nil {
		out := line(t.Mechanism.Describe(b.lang))
		if t.Note != "" {
			out = line(out, " (", t.Note, ")")
		}
		return out
	}
	if privacy.StatusOf(country, dpf, b.meta.GeneratedAt) == privacy.StatusThirdCountry {
		return line(b.t("kein Übermittlungsmechanismus eingetragen", "no transfer mechanism recorded"))
	}
	return line(b.t("kein Übermittlungsmechanismus nötig", "no transfer mechanism needed"))
}
