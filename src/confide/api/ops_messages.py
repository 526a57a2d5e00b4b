"""Messages that reveal nothing: contact preferences, reminder previews and sends, the
message log, and the front desk's script. One class per operation, each calling one
service in `confide.services.messages`."""

from __future__ import annotations

from typing import Literal

from ninja import Schema, Status
from pydantic import Field

from confide.api.operations import Operation
from confide.api.schemas import Strict
from confide.services import messages
from confide.services.reports import my_client_id

# --- schemas --------------------------------------------------------------------------


class ContactPreferencesIn(Strict):
    """How and where the practice may contact the client. Every channel is stated; there
    is no field for a reason, because none may be required (45 CFR 164.522(b)(2))."""

    voicemail: Literal["none", "name_callback", "details"]
    text: Literal["none", "neutral", "details"]
    email: Literal["none", "neutral", "details"]
    postal: Literal["none", "home", "alternate"]
    alternate_address: str | None = Field(default=None, max_length=messages.MAX_ADDRESS)
    alternate_phone: str | None = Field(default=None, max_length=messages.MAX_PHONE)
    alternate_email: str | None = Field(default=None, max_length=messages.MAX_EMAIL)
    timezone: str | None = Field(default=None, max_length=64)
    reminder_hours: Literal[2, 24, 48, 72] | None = Field(
        default=None, description="hours before an appointment that the automatic reminder goes out (by email and "
                                  "text where allowed); null: none")


class ContactPreferencesOut(Schema):
    voicemail: str
    text: str
    email: str
    postal: str
    alternate_address: str | None = None
    alternate_phone: str | None = None
    alternate_email: str | None = None
    timezone: str | None = None
    reminder_hours: int | None = None
    opt_in_details: list[str]


class ReminderSendIn(Strict):
    channel: Literal["voicemail", "text", "email", "postal"]
    appointment_id: str | None = Field(default=None, max_length=64,
                                       description="an upcoming appointment; the next one when left out")


class MessageSentOut(Schema):
    id: str
    channel: str
    status: str  # sent | refused | failed
    reason: str | None = None
    appointment_id: str
    text: str | None = None


class ChannelPreviewOut(Schema):
    allowed: bool
    reason: str | None = None
    to: str | None = None
    details: bool
    subject: str | None = None
    text: str | None = None


class ReminderPreviewOut(Schema):
    appointment_id: str
    channels: dict[str, ChannelPreviewOut]
    ics: str


class MessageOut(Schema):
    id: str
    at: str
    channel: str
    status: str
    reason: str | None = None
    to: str | None = None
    subject: str | None = None
    text: str | None = None
    appointment_id: str | None = None


class FrontDeskScriptOut(Schema):
    script: str
    guidance: list[str]


def _prefs(payload: ContactPreferencesIn) -> dict:
    return payload.model_dump(mode="json")


# --- operations -----------------------------------------------------------------------


class ContactPreferencesGetApi(Operation):
    path = "/clients/{client_id}/contact-preferences"
    summary = "The client's contact preferences, per channel"
    output = ContactPreferencesOut

    @staticmethod
    def handle(request, client_id: str):
        return messages.contact_preferences_get(user=request.auth, client_id=client_id)


class ContactPreferencesSetApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/contact-preferences"
    summary = "Replace the client's contact preferences (no reason is asked for)"
    output = ContactPreferencesOut

    @staticmethod
    def handle(request, client_id: str, payload: ContactPreferencesIn):
        return messages.contact_preferences_set(user=request.auth, client_id=client_id, prefs=_prefs(payload))


class MyContactPreferencesGetApi(Operation):
    path = "/me/contact-preferences"
    summary = "The signed-in client's own contact preferences"
    output = ContactPreferencesOut

    @staticmethod
    def handle(request):
        return messages.contact_preferences_get(user=request.auth, client_id=my_client_id(request.auth))


class MyContactPreferencesSetApi(Operation):
    method = "POST"
    path = "/me/contact-preferences"
    summary = "The signed-in client states how and where to be contacted (no reason is asked for)"
    output = ContactPreferencesOut

    @staticmethod
    def handle(request, payload: ContactPreferencesIn):
        return messages.contact_preferences_set(user=request.auth, client_id=my_client_id(request.auth),
                                                prefs=_prefs(payload))


class ReminderPreviewApi(Operation):
    path = "/clients/{client_id}/reminders/preview"
    summary = "What each channel would carry for an upcoming appointment, and its iCalendar event"
    output = ReminderPreviewOut

    @staticmethod
    def handle(request, client_id: str, appointment_id: str | None = None):
        return messages.reminder_preview(user=request.auth, client_id=client_id, appointment_id=appointment_id)


class ReminderSendApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/reminders"
    summary = "Send a reminder over one channel, if the client allowed it; every attempt is recorded"
    status = 201
    output = MessageSentOut

    @staticmethod
    def handle(request, client_id: str, payload: ReminderSendIn):
        return Status(201, messages.reminder_send(user=request.auth, client_id=client_id, channel=payload.channel,
                                                  appointment_id=payload.appointment_id))


class MessageListApi(Operation):
    path = "/clients/{client_id}/messages"
    summary = "Messages sent, refused or failed for this client, newest first"
    output = list[MessageOut]

    @staticmethod
    def handle(request, client_id: str):
        return messages.messages_list(user=request.auth, client_id=client_id)


class FrontDeskScriptApi(Operation):
    path = "/front-desk/script"
    summary = "The answer to \"is this person a client?\": neither confirms nor denies"
    output = FrontDeskScriptOut

    @staticmethod
    def handle(request):
        return messages.front_desk_script()


OPERATIONS = (ContactPreferencesGetApi, ContactPreferencesSetApi, MyContactPreferencesGetApi,
              MyContactPreferencesSetApi, ReminderPreviewApi, ReminderSendApi, MessageListApi, FrontDeskScriptApi)
