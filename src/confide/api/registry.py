"""Every API operation, in the order they appear in the OpenAPI document. Each area
keeps its operations in its own module (one class per operation) and lists them here."""

from __future__ import annotations

from confide.api.operations import OPERATIONS as CORE
from confide.api.ops_accounting import OPERATIONS as ACCOUNTING
from confide.api.ops_accounting_requests import OPERATIONS as ACCOUNTING_REQUESTS
from confide.api.ops_amendments import OPERATIONS as AMENDMENTS
from confide.api.ops_billing import OPERATIONS as BILLING
from confide.api.ops_charting import OPERATIONS as CHARTING
from confide.api.ops_consultation import OPERATIONS as CONSULTATION
from confide.api.ops_insurers import OPERATIONS as INSURERS
from confide.api.ops_legal import OPERATIONS as LEGAL
from confide.api.ops_messages import OPERATIONS as MESSAGES
from confide.api.ops_minors import OPERATIONS as MINORS
from confide.api.ops_obligations import OPERATIONS as OBLIGATIONS
from confide.api.ops_record_requests import OPERATIONS as RECORD_REQUESTS
from confide.api.ops_privacy import OPERATIONS as PRIVACY
from confide.api.ops_releases import OPERATIONS as RELEASES
from confide.api.ops_safety import OPERATIONS as SAFETY
from confide.api.ops_scheduling import OPERATIONS as SCHEDULING
from confide.api.ops_tokens import OPERATIONS as TOKENS

ALL_OPERATIONS = (*CORE, *RELEASES, *ACCOUNTING, *ACCOUNTING_REQUESTS, *AMENDMENTS, *MESSAGES, *INSURERS, *MINORS,
                  *RECORD_REQUESTS, *OBLIGATIONS, *SAFETY, *LEGAL, *CONSULTATION, *SCHEDULING, *CHARTING, *TOKENS,
                  *BILLING, *PRIVACY)
