"""What a server says when it refuses a request: its own words, and ours built from them.

A refused request usually comes with a body that tells why, in one of the shapes servers
really send (the test servers' bodies are in tests/unit/test_refusal.py):

* RFC 4918 §16 DAV:error holding precondition elements: RFC 6352 §6.3.2.1
  CARD:no-uid-conflict (with the DAV:href of the card that has the UID),
  CARD:valid-address-data, CARD:supported-address-data, CARD:max-resource-size, their
  RFC 4791 §5.3.2.1 counterparts, RFC 3744 DAV:need-privileges, RFC 4331
  DAV:quota-not-exceeded. Xandikos adds a DAV:responsedescription with its parser's
  message (and names CALDAV:valid-calendar-data for a broken vCard as well).
* SabreDAV's DAV:error with s:exception and s:message (Nextcloud, ownCloud, Baïkal and
  Debian's SabreDAV 1.8): "Validation error in vCard: N MUST NOT appear more than once …".
* A plain-text body (Radicale: "Bad Request") or a short HTML error page (a web server's
  or proxy's "413 Request Entity Too Large").

`read_server_words` turns any of them into `ServerWords`: the preconditions named, the
server's own message as plain text (tags dropped, whitespace collapsed, at most
MAX_MESSAGE characters, no credentials, no user:password@ in URLs) and the hrefs it points
at. `Refusals` (one per kind: contacts, appointments) makes the text of one refused item
from them (`errors.Refusal`), in the user's language (German msgids through `app.i18n`):
what happened in our words, the server's message verbatim, and what happens now and what
to do.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import unquote

from lxml import etree

from app.dav import xml
from app.dav.errors import Refusal
from app.i18n import N_, _

if TYPE_CHECKING:
    from app.dav.response import DavResponse

#: The server's message is cut to this many characters (at a word, with "…").
MAX_MESSAGE = 300
#: Only the start of a long body is read for a message (a full web page says nothing more).
MAX_BODY = 64 * 1024

SABRE = "http://sabredav.org/ns"
NEXTCLOUD_HINT = "{o:}hint"  # Nextcloud's additional explanation beside s:message
TWISTED_DESCRIPTION = "{http://twistedmatrix.com/xml_namespace/dav/}error-description"
DAV_ERROR = xml.clark(xml.DAV, "error")
DAV_HREF = xml.clark(xml.DAV, "href")
#: Children of DAV:error that carry a message, not a precondition.
_MESSAGE_ELEMENTS = frozenset(
    {xml.clark(xml.DAV, "responsedescription"), TWISTED_DESCRIPTION, NEXTCLOUD_HINT}
)

# Preconditions (Clark names) we explain in our words. A CardDAV server checks the CardDAV
# ones; CalDAV's and CardDAV's are recognised for either kind (Xandikos names
# CALDAV:valid-calendar-data for a broken vCard).
_CARD, _CAL, _DAV = xml.CARD, xml.CALDAV, xml.DAV
INVALID = frozenset(
    {
        xml.VALID_ADDRESS_DATA,
        xml.clark(_CAL, "valid-calendar-data"),
        xml.clark(_CAL, "valid-calendar-object-resource"),
    }
)
UNSUPPORTED = frozenset(
    {xml.SUPPORTED_ADDRESS_DATA_COND, xml.clark(_CAL, "supported-calendar-data")}
)
UID_CONFLICT = frozenset({xml.NO_UID_CONFLICT, xml.clark(_CAL, "no-uid-conflict")})
TOO_LARGE = frozenset({xml.MAX_RESOURCE_SIZE, xml.clark(_CAL, "max-resource-size")})
NO_SPACE = frozenset(
    {xml.clark(_DAV, "quota-not-exceeded"), xml.clark(_DAV, "sufficient-disk-space")}
)
NO_RIGHTS = frozenset({xml.clark(_DAV, "need-privileges")})
WRONG_COMPONENT = frozenset({xml.clark(_CAL, "supported-calendar-component")})
OUT_OF_RANGE = frozenset({xml.clark(_CAL, "min-date-time"), xml.clark(_CAL, "max-date-time")})
TOO_MANY_INSTANCES = frozenset({xml.clark(_CAL, "max-instances")})
TOO_MANY_ATTENDEES = frozenset({xml.clark(_CAL, "max-attendees-per-instance")})

_PREFIXES = {_DAV: "DAV", _CARD: "CARDDAV", _CAL: "CALDAV"}


def condition_name(clark: str) -> str:
    """A precondition as people write it: "CARDDAV:no-uid-conflict", else "name (ns)"."""
    m = re.fullmatch(r"\{([^}]*)\}(.*)", clark)
    if not m:
        return clark
    ns, local = m.groups()
    prefix = _PREFIXES.get(ns)
    if prefix:
        return f"{prefix}:{local}"
    return f"{local} ({ns})" if ns else local


@dataclass(frozen=True)
class ServerWords:
    """What a refusal's body said: preconditions, the server's message, hrefs it named."""

    conditions: tuple[str, ...] = ()  # Clark names, in the order sent
    message: str = ""  # the server's own text: plain, bounded, without credentials
    hrefs: tuple[str, ...] = ()  # DAV:href inside the preconditions (e.g. no-uid-conflict)
    exception: str = ""  # SabreDAV's exception class, for the technical detail

    def only_reason_phrase(self, status: int) -> bool:
        """Is the message just the status line's phrase ("Bad Request"): no reason given?"""
        if not self.message:
            return True
        said = self.message.strip().rstrip(".!").casefold()
        try:
            phrase = HTTPStatus(status).phrase.casefold()
        except ValueError:
            return False
        return said in (phrase, f"{status} {phrase}", f"http {status} {phrase}")

    def detail(self) -> str:
        """The technical part for logs and tooltips (never a list repr of Clark names)."""
        parts: list[str] = []
        if self.conditions:
            names = ", ".join(condition_name(c) for c in self.conditions)
            parts.append(_("Bedingung {conditions}").format(conditions=names))
        if self.exception:
            parts.append(self.exception)
        if self.message:
            parts.append(f"„{self.message}“")
        return "; ".join(parts)


def read_server_words(resp: DavResponse, secrets: Iterable[str] = ()) -> ServerWords:
    """The server's words in an error answer, whatever its shape (see the module doc).

    `secrets` (the password and what is derived from it) never appear in the message, nor
    does the user:password part of a URL the server echoes.
    """
    content = resp.content[:MAX_BODY]
    if not content.strip():
        return ServerWords()
    ctype = (resp.header("content-type") or "").split(";", 1)[0].strip().lower()
    head = content.lstrip()[:200].lower()
    looks_html = ctype in ("text/html", "application/xhtml+xml") or head.startswith(
        (b"<!doctype html", b"<html")
    )
    text = replace(resp, content=content).text  # the start only, decoded as declared
    if looks_html:
        words = ServerWords(message=_strip_html(text))
    elif "xml" in ctype or head.startswith(b"<"):
        # XML we cannot read (broken, or with a DOCTYPE we refuse) says nothing reliable.
        words = _from_xml(content)
    else:
        words = ServerWords(message=text)
    return ServerWords(
        words.conditions,
        clean_message(words.message, secrets),
        tuple(h for h in (_clean(h) for h in words.hrefs) if h),
        _clean(words.exception)[:200],
    )


def _from_xml(content: bytes) -> ServerWords:
    """DAV:error (preconditions, SabreDAV's message, responsedescription), or the text of
    any other XML body; nothing from a body that is no XML we read."""
    try:
        root = xml.parse_xml(content)
    except xml.XmlError:
        return ServerWords()
    if root.tag != DAV_ERROR:
        return ServerWords(message=" ".join(_texts(root)))
    conditions: list[str] = []
    hrefs: list[str] = []
    messages: list[str] = []
    exception = ""
    for child in root:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag.startswith(f"{{{SABRE}}}"):
            if tag.endswith("}message"):
                messages.append("".join(_texts(child)))
            elif tag.endswith("}exception"):
                exception = "".join(_texts(child))
            continue  # version, header, file, line, stack trace: not for the user
        if tag in _MESSAGE_ELEMENTS:
            messages.append("".join(_texts(child)))
            continue
        conditions.append(tag)
        named = [(h.text or "").strip() for h in child.iter(DAV_HREF)]
        hrefs += [h for h in named if h]
        # Some servers explain inside the element (<C:valid-calendar-data>why</…>).
        said = " ".join(t for t in _texts(child) if t.strip() and t.strip() not in named)
        if said.strip():
            messages.append(said)
    seen: list[str] = []
    for m in (_collapse(m) for m in messages):
        if m and m not in seen:
            seen.append(m)
    return ServerWords(tuple(conditions), " – ".join(seen), tuple(hrefs), exception)


def _texts(element: etree._Element) -> list[str]:
    """The text pieces inside an element, as str."""
    return [str(t) for t in element.itertext()]


_BLOCKS = re.compile(r"<(script|style|head|title)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_FOOTER = re.compile(r"<hr\b.*", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _strip_html(text: str) -> str:
    """The visible text of a short HTML error page, without the server's signature line
    (Apache's <address>, nginx's "nginx" below the <hr>)."""
    body = _COMMENT.sub(" ", text)
    title = re.search(r"<title\b[^>]*>(.*?)</title\s*>", body, re.IGNORECASE | re.DOTALL)
    body = _BLOCKS.sub(" ", body)
    body = _FOOTER.sub(" ", body)
    visible = _collapse(html.unescape(_TAG.sub(" ", body)))
    if not visible and title:
        visible = _collapse(html.unescape(_TAG.sub(" ", title.group(1))))
    return visible


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")


def _collapse(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _clean(text: str) -> str:
    return _USERINFO.sub(r"\1", _collapse(text))


def clean_message(text: str, secrets: Iterable[str] = ()) -> str:
    """One line of plain text: control characters and runs of spaces collapsed, no
    user:password@ in URLs, no secret, at most MAX_MESSAGE characters (cut at a word)."""
    out = _clean(text)
    for secret in secrets:
        if secret:
            out = out.replace(secret, "***")
    if len(out) > MAX_MESSAGE:
        cut = out[: MAX_MESSAGE - 1]
        space = cut.rfind(" ")
        out = (cut[:space] if space > MAX_MESSAGE // 2 else cut).rstrip(" ,;:–-") + " …"
    return out


# ---------------------------------------------------------------------------
# Our words


@dataclass(frozen=True)
class Refusals:
    """How one kind's refused items are told: whole sentences per kind (German msgids
    marked with N_(), translated through `app.i18n` when a refusal is made), so that every
    language can word them its own way."""

    head: str  # "Der Server hat den Kontakt abgelehnt: {reason}."
    head_named: str  # "Der Server hat den Kontakt „{name}“ abgelehnt: {reason}."
    uid_conflict: str  # "ein anderer Kontakt im Adressbuch hat dieselbe UID"
    uid_conflict_with: str  # the same, naming the other item's file: "… UID („{other}“)"
    uid_advice: str  # check whether both are the same item
    too_large_advice: str  # make it smaller (what usually makes it too large)
    other_collection_advice: str  # choose another collection
    unsupported: str  # "der Server nimmt dieses vCard-Format nicht an"
    invalid: str  # "ungültige vCard"
    exists_advice: str  # a 409: is it there already?
    keep: str  # the item stays unchanged and is uploaded again

    def refusal(
        self, status: int, words: ServerWords, content_prefixes: Iterable[str] = ()
    ) -> Refusal:
        """Why the server refused the item (a PUT answered `status` with `words`)."""
        reason, advice = self._reason(status, words, tuple(content_prefixes))
        return Refusal(
            _(self.head), _(self.head_named), reason, _said(status, words), self._keep(advice)
        )

    def explains(self, words: ServerWords, content_prefixes: Iterable[str] = ()) -> bool:
        """Does the body name a precondition about the item itself? (Then a 412 is not a
        failed If-Match: Xandikos answers a broken card with 412 + valid-calendar-data.)"""
        prefixes = tuple(content_prefixes)
        return any(_known(c) or (prefixes and c.startswith(prefixes)) for c in words.conditions)

    def _reason(
        self, status: int, words: ServerWords, prefixes: tuple[str, ...]
    ) -> tuple[str, str]:
        """(reason, advice), both translated."""
        conds = set(words.conditions)
        if _gave_reason(status, words):
            correct = _(
                "Damit der Server ihn annimmt, korrigieren Sie ihn bitte in Contactbox "
                "(siehe die Meldung des Servers)."
            )
        else:
            correct = _("Damit der Server ihn annimmt, korrigieren Sie ihn bitte in Contactbox.")
        if conds & UID_CONFLICT:
            other = next((_file_name(h) for h in words.hrefs), "")
            reason = (
                _(self.uid_conflict_with).format(other=other) if other else _(self.uid_conflict)
            )
            return (reason, _(self.uid_advice))
        if conds & TOO_LARGE or status == 413:
            return (_("zu groß für den Server"), _(self.too_large_advice))
        if conds & NO_SPACE or status == 507:
            return (
                _("kein Speicherplatz mehr frei (Kontingent überschritten)"),
                _(
                    "Geben Sie auf dem Server Platz frei oder wenden Sie sich an Ihren "
                    "Administrator."
                ),
            )
        if conds & NO_RIGHTS:
            return (
                _("keine Schreibrechte"),
                _("Bitte prüfen Sie die Berechtigungen des Benutzerkontos."),
            )
        if conds & WRONG_COMPONENT:
            return (
                _("dieser Kalender nimmt keine Termine auf"),
                _(self.other_collection_advice),
            )
        if conds & OUT_OF_RANGE:
            return (_("Datum außerhalb des Zeitraums, den der Server annimmt"), correct)
        if conds & TOO_MANY_INSTANCES:
            return (_("zu viele Wiederholungen für den Server"), correct)
        if conds & TOO_MANY_ATTENDEES:
            return (_("zu viele Teilnehmer für den Server"), correct)
        if conds & UNSUPPORTED:
            return (_(self.unsupported), correct)
        content = bool(conds & INVALID) or any(c.startswith(prefixes) for c in conds if prefixes)
        if content or status in (400, 415, 422):
            return (_(self.invalid), correct)
        if status == 403:
            return (
                _(
                    "der Server erlaubt das Speichern nicht (fehlende Schreibrechte oder vom "
                    "Server nicht angenommener Inhalt)"
                ),
                _(
                    "Bitte prüfen Sie die Berechtigungen des Benutzerkontos und die Meldung "
                    "des Servers."
                ),
            )
        if status == 409:
            return (
                _("Konflikt mit einem vorhandenen Eintrag auf dem Server"),
                _(self.exists_advice),
            )
        unknown = [condition_name(c) for c in words.conditions]
        if unknown:
            return (
                _("Bedingung {conditions} nicht erfüllt").format(conditions=", ".join(unknown)),
                "",
            )
        return (f"HTTP {status}", "")

    def _keep(self, advice: str) -> str:
        keep = _(self.keep)
        return f"{keep} {advice}" if advice else keep


def _said(status: int, words: ServerWords) -> str:
    """The server's own words, verbatim; or that it gave no reason."""
    if _gave_reason(status, words):
        return _("Meldung des Servers: „{message}“.").format(message=words.message)
    if words.message:
        return _("Der Server nennt keinen näheren Grund („{message}“, HTTP {status}).").format(
            message=words.message, status=status
        )
    return _("Der Server nennt keinen näheren Grund (HTTP {status}).").format(status=status)


def _gave_reason(status: int, words: ServerWords) -> bool:
    return bool(words.message) and not words.only_reason_phrase(status)


def _known(condition: str) -> bool:
    return any(
        condition in group
        for group in (
            INVALID,
            UNSUPPORTED,
            UID_CONFLICT,
            TOO_LARGE,
            NO_SPACE,
            NO_RIGHTS,
            WRONG_COMPONENT,
            OUT_OF_RANGE,
            TOO_MANY_INSTANCES,
            TOO_MANY_ATTENDEES,
        )
    )


def _file_name(href: str) -> str:
    """The last segment of an href, decoded ("/…/anna.vcf" → "anna.vcf")."""
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", href.strip(), flags=re.IGNORECASE)
    return unquote(path.rstrip("/").rsplit("/", 1)[-1]) or href


CARD_REFUSALS = Refusals(
    head=N_("Der Server hat den Kontakt abgelehnt: {reason}."),
    head_named=N_("Der Server hat den Kontakt „{name}“ abgelehnt: {reason}."),
    uid_conflict=N_("ein anderer Kontakt im Adressbuch hat dieselbe UID"),
    uid_conflict_with=N_("ein anderer Kontakt im Adressbuch hat dieselbe UID („{other}“)"),
    uid_advice=N_("Prüfen Sie, ob beide derselbe Kontakt sind, und löschen Sie dann einen davon."),
    too_large_advice=N_("Verkleinern Sie den Kontakt (meist ist es ein großes Foto)."),
    other_collection_advice=N_("Wählen Sie für den Kontakt ein anderes Adressbuch."),
    unsupported=N_("der Server nimmt dieses vCard-Format nicht an"),
    invalid=N_("ungültige vCard"),
    exists_advice=N_("Prüfen Sie, ob es den Kontakt dort schon gibt (z. B. mit derselben UID)."),
    keep=N_(
        "Der Kontakt bleibt in Contactbox unverändert und wird beim nächsten Abgleich "
        "erneut hochgeladen."
    ),
)
EVENT_REFUSALS = Refusals(
    head=N_("Der Server hat den Termin abgelehnt: {reason}."),
    head_named=N_("Der Server hat den Termin „{name}“ abgelehnt: {reason}."),
    uid_conflict=N_("ein anderer Termin im Kalender hat dieselbe UID"),
    uid_conflict_with=N_("ein anderer Termin im Kalender hat dieselbe UID („{other}“)"),
    uid_advice=N_("Prüfen Sie, ob beide derselbe Termin sind, und löschen Sie dann einen davon."),
    too_large_advice=N_(
        "Verkleinern Sie den Termin (meist ist es ein großer Anhang oder eine lange Beschreibung)."
    ),
    other_collection_advice=N_("Wählen Sie für den Termin einen anderen Kalender."),
    unsupported=N_("der Server nimmt dieses Kalenderformat nicht an"),
    invalid=N_("ungültige iCalendar-Daten"),
    exists_advice=N_("Prüfen Sie, ob es den Termin dort schon gibt (z. B. mit derselben UID)."),
    keep=N_(
        "Der Termin bleibt in Contactbox unverändert und wird beim nächsten Abgleich "
        "erneut hochgeladen."
    ),
)

#: The `Refusals` of each kind, as `collection_base.Wording.refusals_of` names them.
REFUSALS = {"card": CARD_REFUSALS, "event": EVENT_REFUSALS}
