"""Billing: charges from attended sessions, claims as X12 837P files (validated with
pyx12) and a CMS-1500-like PDF, self-pay restrictions shown where they block a payer,
and the superbill a client submits themselves. Claims leave through
`services.disclosures.insurers` (the one way out); this package prepares and reads."""
