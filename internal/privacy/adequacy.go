package privacy

import (
	"strings"
	"time"
)

// CountryStatus says how GDPR Chapter V treats a transfer of personal data
// to a country: inside the EU/EEA it is no transfer at all, Switzerland
// and countries with an adequacy decision (Art. 45) need no further
// safeguard, every other country is a third country that needs one
// (Art. 46 ff.).
type CountryStatus string

// Country statuses.
const (
	StatusEEA          CountryStatus = "eu_eea"        // member state of the EU or the EEA
	StatusSwitzerland  CountryStatus = "switzerland"   // CH: adequacy decision 2000/518/EC; home country of Swiss operators
	StatusAdequacy     CountryStatus = "adequacy"      // third country with an adequacy decision in force
	StatusThirdCountry CountryStatus = "third_country" // a transfer needs a safeguard (TransferMechanism)
)

// eea lists the member states of the EU (with EL as Greece's ISO code GR)
// and the further members of the EEA: Iceland, Liechtenstein, Norway.
var eea = setOf("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO")

// Adequacy is an adequacy decision of the European Commission under GDPR
// Art. 45 (or, for older ones, Directive 95/46/EC Art. 25(6), which Art.
// 45(9) keeps in force).
type Adequacy struct {
	Country string // ISO 3166-1 alpha-2
	// Decision names the Commission decision, e.g. "(EU) 2019/419".
	Decision string
	From     string // YYYY-MM-DD: adopted on
	Until    string // YYYY-MM-DD: last day in force; "" while open-ended
	// Scope limits the decision to some recipients; empty: all.
	Scope Text
	// DPFOnly marks the EU-US Data Privacy Framework: only recipients
	// certified under it are covered (Processor.DPFCertified).
	DPFOnly bool
}

// Adequacies is the table of adequacy decisions Frist knows, as of the
// date in AdequacyTableDate. A decision the Commission adopts, renews or
// repeals later needs a new release of Frist; until then a processor in
// such a country shows as a third country (and needs a recorded transfer
// mechanism), which errs on the safe side.
var Adequacies = []Adequacy{
	{Country: "AD", Decision: "2010/625/EU", From: "2010-10-19"},
	{Country: "AR", Decision: "2003/490/EC", From: "2003-06-30"},
	{Country: "BR", Decision: "(EU) 2026/179", From: "2026-01-26"},
	{Country: "CA", Decision: "2002/2/EC", From: "2001-12-20",
		Scope: Text{DE: "nur Empfänger, die dem kanadischen PIPEDA unterliegen (kommerzielle Organisationen)", EN: "only recipients subject to Canada's PIPEDA (commercial organisations)"}},
	{Country: "CH", Decision: "2000/518/EC", From: "2000-07-26"},
	{Country: "FO", Decision: "2010/146/EU", From: "2010-03-05"},
	{Country: "GB", Decision: "(EU) 2021/1772, renewed 2025-12-19", From: "2021-06-28", Until: "2031-12-27"},
	{Country: "GG", Decision: "2003/821/EC", From: "2003-11-21"},
	{Country: "IL", Decision: "2011/61/EU", From: "2011-01-31"},
	{Country: "IM", Decision: "2004/411/EC", From: "2004-04-28"},
	{Country: "JE", Decision: "2008/393/EC", From: "2008-05-08"},
	{Country: "JP", Decision: "(EU) 2019/419", From: "2019-01-23",
		Scope: Text{DE: "nur Empfänger, die dem japanischen APPI unterliegen (privater Sektor)", EN: "only recipients subject to Japan's APPI (private sector)"}},
	{Country: "KR", Decision: "(EU) 2022/254", From: "2021-12-17"},
	{Country: "NZ", Decision: "2013/65/EU", From: "2012-12-19"},
	{Country: "US", Decision: "(EU) 2023/1795 (EU-US Data Privacy Framework)", From: "2023-07-10", DPFOnly: true,
		Scope: Text{DE: "nur nach dem EU-US Data Privacy Framework zertifizierte Organisationen", EN: "only organisations certified under the EU-US Data Privacy Framework"}},
	{Country: "UY", Decision: "2012/484/EU", From: "2012-08-21"},
}

// AdequacyTableDate is the day Adequacies was last checked against the
// Commission's list.
const AdequacyTableDate = "2026-11-01"

// AdequacyOf returns the adequacy decision for the country in force on
// the day of at (UTC), if any.
func AdequacyOf(country string, at time.Time) (Adequacy, bool) {
	day := at.UTC().Format(time.DateOnly)
	for _, a := range Adequacies {
		if a.Country == country && a.From <= day && (a.Until == "" || day <= a.Until) {
			return a, true
		}
	}
	return Adequacy{}, false
}

// StatusOf returns how a transfer to country is treated at the time at:
// dpf says whether the recipient is certified under the EU-US Data
// Privacy Framework, which only matters for the US.
func StatusOf(country string, dpf bool, at time.Time) CountryStatus {
	switch {
	case eea[country]:
		return StatusEEA
	case country == "CH":
		return StatusSwitzerland
	}
	if a, ok := AdequacyOf(country, at); ok && (!a.DPFOnly || dpf) {
		return StatusAdequacy
	}
	return StatusThirdCountry
}

// Describe names the status in German ("de") or English.
func (s CountryStatus) Describe(lang string) string {
	t := map[CountryStatus]Text{
		StatusEEA:          {DE: "EU/EWR", EN: "EU/EEA"},
		StatusSwitzerland:  {DE: "Schweiz", EN: "Switzerland"},
		StatusAdequacy:     {DE: "Angemessenheitsbeschluss", EN: "adequacy decision"},
		StatusThirdCountry: {DE: "Drittland ohne Angemessenheitsbeschluss", EN: "third country without adequacy decision"},
	}[s]
	return t.In(lang)
}

// isoCountries holds the officially assigned ISO 3166-1 alpha-2 codes.
var isoCountries = setOf(`AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
	CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
	GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
	KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
	NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
	SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
	UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`)

// ValidCountry reports whether s is an ISO 3166-1 alpha-2 code in upper
// case, e.g. "DE".
func ValidCountry(s string) bool { return isoCountries[s] }

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, x := range strings.Fields(s) {
		m[x] = true
	}
	return m
}
