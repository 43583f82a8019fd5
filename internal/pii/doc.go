// Package pii finds personal data in free text written by customers from
// Germany, Switzerland and Austria, so that other code can mask it before the
// text is stored for longer, exported or shown to someone who should not see it.
//
// Structured identifiers are validated, not only matched by shape: an IBAN
// must pass its country length and mod-97 check, a payment card number the
// Luhn check and a known issuer prefix, a Swiss AHV number its EAN-13 check
// digit and a German tax ID its ISO 7064 check digit and digit-repetition
// rule. Near-misses such as order or invoice numbers are therefore not
// flagged. Softer kinds (dates and places of birth, card security codes,
// national phone numbers, ID card numbers without a check digit) are only
// flagged in a context that makes them personal.
//
// Scan returns byte offsets only; callers must never log the text itself.
// Mask replaces findings with a label such as "[IBAN]" from Label.
// The package uses the standard library only and is safe for concurrent use.
package pii
