"""The caller's own API tokens: list, issue another (after the second factor), revoke."""

from __future__ import annotations

from ninja import Status

from confide.api import schemas as s
from confide.api.operations import Operation
from confide.services import tokens


class TokenListApi(Operation):
    path = "/tokens"
    summary = "The caller's API tokens: when issued, when they expire, when last used, whether revoked"
    output = list[s.TokenOut]

    @staticmethod
    def handle(request):
        return tokens.token_list(user=request.auth)


class TokenIssueApi(Operation):
    method = "POST"
    path = "/tokens"
    summary = "Issue another token for the caller (staff give a current one-time code); shown once"
    status = 201
    output = s.TokenIssuedOut

    @staticmethod
    def handle(request, payload: s.TokenIssueIn):
        return Status(201, {"token": tokens.token_create(user=request.auth, otp=payload.otp, name=payload.name,
                                                         days=payload.days)})


class TokenRevokeApi(Operation):
    method = "DELETE"
    path = "/tokens/{token_id}"
    summary = "Revoke one of the caller's tokens (this one included)"
    output = s.TokenRevokedOut

    @staticmethod
    def handle(request, token_id: int):
        return {"revoked": tokens.token_revoke(user=request.auth, token_id=token_id)}


OPERATIONS = (TokenListApi, TokenIssueApi, TokenRevokeApi)
