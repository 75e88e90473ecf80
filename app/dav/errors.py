"""Typed errors of the DAV layer; each carries a user message and a technical detail.

The messages are German msgids translated through `app.i18n` when the error is made (a
class's `default_message` is marked with `N_()` and translated in `DavError.__init__`).

Library exceptions (socket, ssl, http.client, lxml) stop here: callers see only these types.
Messages never contain a password or an Authorization header.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from app.i18n import N_, _


class DavError(Exception):
    """Base class: `message` is for the user (in the current language), `detail` for logs
    and reports.

    `server_text` is the server's own message from the answer's body, if it gave one
    (plain text, bounded, without credentials: app.dav.refusal); `message` quotes it
    where it helps the user.
    """

    default_message = N_("Der Server hat unerwartet geantwortet.")

    def __init__(
        self, message: str | None = None, detail: str = "", *, server_text: str = ""
    ) -> None:
        self.message = message or _(self.default_message)
        self.detail = detail
        self.server_text = server_text
        super().__init__(self.message if not detail else f"{self.message} ({detail})")

    def __str__(self) -> str:
        return self.message if not self.detail else f"{self.message} ({self.detail})"

    def message_for(self, name: str) -> str:
        """The message about one item called `name` (the same message where the item's
        name adds nothing)."""
        return self.message


class HostUnreachable(DavError):
    default_message = N_(
        "Der Server ist nicht erreichbar. Bitte prüfen Sie Serveradresse und Port "
        "sowie Ihre Internetverbindung."
    )


class TlsError(DavError):
    """The server's certificate is not trusted; `fingerprint` is its SHA-256 (AB:CD:...)."""

    default_message = N_(
        "Das Zertifikat des Servers ist nicht vertrauenswürdig. Prüfen Sie den "
        "Fingerabdruck mit Ihrem Administrator und vertrauen Sie dem Zertifikat nur, "
        "wenn er übereinstimmt."
    )

    def __init__(
        self, message: str | None = None, detail: str = "", fingerprint: str | None = None
    ) -> None:
        super().__init__(message, detail)
        self.fingerprint = fingerprint


class AuthError(DavError):
    default_message = N_(
        "Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch. Bitte prüfen "
        "Sie Ihre Zugangsdaten."
    )


# Nextcloud and ownCloud refuse the account password of a user with two-factor login (and,
# by an admin's choice, of everyone) on CardDAV/CalDAV: they want an app password.
# Translated where shown: _(APP_PASSWORD_HINT).format(product=…).
APP_PASSWORD_HINT = N_(
    "Nutzt Ihr Konto eine Zwei-Faktor-Anmeldung, verlangt {product} ein App-Passwort: "
    "Legen Sie es in {product} unter Einstellungen → Sicherheit → „Geräte & Sitzungen“ an "
    "und tragen Sie es hier als Passwort ein."
)


class NotFound(DavError):
    default_message = N_(
        "Die Adresse wurde auf dem Server nicht gefunden. Bitte prüfen Sie den Pfad."
    )


class NotCardDav(DavError):
    default_message = N_(
        "Unter dieser Adresse wurde kein CardDAV-Dienst gefunden. Bitte prüfen Sie "
        "Serveradresse, Port und Pfad oder wählen Sie die passende Servervorlage."
    )


class PreconditionFailed(DavError):
    """412: the card changed on the server since we read it (If-Match / If-None-Match failed)."""

    default_message = N_("Der Kontakt wurde gleichzeitig auf dem Server geändert.")


class SyncTokenInvalid(DavError):
    """The server no longer accepts our sync token: list the book in full instead."""

    default_message = N_(
        "Das Synchronisations-Token ist abgelaufen; das Adressbuch wird vollständig gelesen."
    )


class SyncUnsupported(DavError):
    """The server has no sync-collection REPORT: use PROPFIND listings."""

    default_message = N_("Der Server unterstützt keine inkrementelle Synchronisation.")


class _WithStatus(DavError):
    """A DavError that keeps the HTTP status it stems from in `status` (0: none)."""

    def __init__(
        self,
        message: str | None = None,
        detail: str = "",
        status: int = 0,
        *,
        server_text: str = "",
    ) -> None:
        super().__init__(message, detail, server_text=server_text)
        self.status = status


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class Refusal:
    """Why the server refused one item, in parts, so the item's name can go in:
    "Der Server hat den Kontakt „Käthe Weiß“ abgelehnt: ungültige vCard. Meldung des
    Servers: „…“. Der Kontakt bleibt in Contactbox unverändert …".

    Every part is already in the user's language (app.dav.refusal builds them);
    `head` and `head_named` are translated templates with `{reason}` (and `{name}`)."""

    head: str  # "Der Server hat den Kontakt abgelehnt: {reason}."
    head_named: str  # "Der Server hat den Kontakt „{name}“ abgelehnt: {reason}."
    reason: str  # in our words: "ungültige vCard"
    server_said: str  # the sentence quoting the server (or saying it gave no reason)
    advice: str  # what happens now and what to do

    def text(self, name: str = "") -> str:
        if name:
            head = self.head_named.format(name=name, reason=self.reason)
        else:
            head = self.head.format(reason=self.reason)
        return " ".join(part for part in (head, self.server_said, self.advice) if part)


class CardRejected(_WithStatus):
    """The server refused one card (400, 403, 409, 413, 415, 422, 507 on a PUT).

    Built from a `Refusal` (app.dav.refusal), its message names the item once its name is
    known (`message_for`)."""

    default_message = N_("Der Server hat den Kontakt abgelehnt.")

    def __init__(
        self,
        message: str | None = None,
        detail: str = "",
        status: int = 0,
        *,
        server_text: str = "",
        refusal: Refusal | None = None,
    ) -> None:
        if message is None and refusal is not None:
            message = refusal.text()
        super().__init__(message, detail, status, server_text=server_text)
        self.refusal = refusal

    def message_for(self, name: str) -> str:
        if self.refusal is None or not name:
            return self.message
        return self.refusal.text(name)


class ServerError(_WithStatus):
    """5xx or another unexpected answer."""

    default_message = N_(
        "Der Server hat einen Fehler gemeldet. Bitte versuchen Sie es später erneut; "
        "besteht das Problem weiter, wenden Sie sich an Ihren Administrator."
    )


class AccessDenied(DavError):
    """403 on something the user needs: the account lacks the rights."""

    default_message = N_(
        "Der Server verweigert den Zugriff auf diese Adresse. Bitte prüfen Sie die "
        "Berechtigungen des Benutzerkontos."
    )


class CrossHostRedirect(NotCardDav):
    """The server redirected to another host; we do not send the password there unasked."""

    def __init__(self, location: str, detail: str = "") -> None:
        host = urlsplit(location).hostname or location
        super().__init__(
            _(
                "Der Server leitet auf einen anderen Server weiter ({host}). Bitte tragen Sie "
                "diese Adresse als Serveradresse ein, wenn Sie ihr vertrauen."
            ).format(host=host),
            detail or _("Weiterleitung nach {url}").format(url=location),
        )
        self.location = location


# ---------------------------------------------------------------------- classification
# What kind of failure a typed error is, for the scheduler's retries and the reports'
# `error_kind` (app.scheduler re-exports both; "locked" is the scheduler's own kind on top).

ErrorKind = Literal["auth", "network", "server", "other"]


def kind_of_exception(exc: BaseException) -> ErrorKind:
    """The failure kind of a typed DAV error (anything else is "other")."""
    if isinstance(exc, AuthError):
        return "auth"
    if isinstance(exc, HostUnreachable):
        return "network"
    if isinstance(exc, ServerError):
        return "network" if exc.status == 0 else "server"
    if isinstance(exc, DavError) and type(exc) is DavError:
        return "server"
    return "other"
