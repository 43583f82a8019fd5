-- Personal data found in free text at intake and on replies: per message,
-- the kinds the policy masked or flagged, the action and how often, e.g.
-- "iban:flag:1,payment_card:mask:1". Never the values.
ALTER TABLE messages ADD COLUMN pii TEXT NOT NULL DEFAULT '';
