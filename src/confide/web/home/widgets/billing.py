"""The biller's work: the payer agreements on record."""

from __future__ import annotations

from confide.services.disclosures import insurers
from confide.web.home.widgets import widget


@widget(template="web/home/_payer_agreements.html", roles={"biller"}, order=20)
def payer_agreements(request):
    return {"agreements": insurers.payer_agreement_list(user=request.user)}
