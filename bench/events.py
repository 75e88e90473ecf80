"""Realistic calendar objects for the calendar benchmark (``bench.sync calendar``).

``generate_events(n, seed)`` gives ``n`` (UID, iCalendar text) pairs, the same for the same
arguments: office appointments over two years with German titles and places (umlauts),
descriptions over several lines, a reminder (VALARM) on a third, attendees on a sixth; every
7th is all-day; every 10th is a weekly series in Europe/Berlin (with its VTIMEZONE), every
30th of those with an exception date and one moved occurrence (a RECURRENCE-ID override).
About 0.6 KB on average (a series with its VTIMEZONE 1.5 KB); CRLF, folded at 75 octets.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

TITLES = ("Jour fixe", "Besprechung", "Kundentermin", "Zahnarzt", "Projektabnahme",
          "Schulung", "Mittagessen", "Telefonkonferenz", "Übergabe", "Messe-Vorbereitung",
          "Quartalsgespräch", "Büro-Umzug", "Lieferantengespräch", "Jahresgespräch")  # fmt: skip
PLACES = ("Büro Köln, Raum 2.14", "Praxis Dr. Müller, Düsseldorf", "Kantine", "Online",
          "Hauptbahnhof München", "Kunde: Schäfer & Söhne GmbH, Würzburg", "")  # fmt: skip
PEOPLE = ("anna.schmidt", "jürgen.weiß", "lena.özdemir", "tom.becker", "eva.groß")
BERLIN_ZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)
HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Contactbox Bench//Events//DE\r\n"


def _fold(line: str) -> str:
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out) + "\r\n"


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def _local(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _event(i: int, rng: random.Random) -> tuple[str, str]:
    uid = f"bench-event-{i:06d}-{rng.randrange(16**8):08x}"
    start = datetime(2026, 1, 5, 7) + timedelta(
        days=rng.randrange(730), minutes=30 * rng.randrange(22)
    )
    length = timedelta(minutes=30 * rng.randint(1, 6))
    title = f"{rng.choice(TITLES)} {rng.choice(PEOPLE).split('.')[1].title()}"
    place = rng.choice(PLACES)
    notes = (
        f"Tagesordnung:\n1. Rückblick\n2. Offene Punkte ({rng.randint(2, 9)})\n"
        f"3. Nächste Schritte – bitte Unterlagen mitbringen.\nNr. {i}"
    )
    lines = [
        "BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T080000Z",
        f"CREATED:{_utc(start - timedelta(days=14))}",
        f"LAST-MODIFIED:{_utc(start - timedelta(days=7))}", "SEQUENCE:0",
    ]  # fmt: skip
    zone = ""
    extra: list[str] = []
    if i % 10 == 0:  # a weekly series in local time
        zone = BERLIN_ZONE
        lines += [f"DTSTART;TZID=Europe/Berlin:{_local(start)}",
                  f"DTEND;TZID=Europe/Berlin:{_local(start + length)}",
                  f"RRULE:FREQ=WEEKLY;COUNT={rng.randint(10, 52)}"]  # fmt: skip
        if i % 30 == 0:
            lines.append(f"EXDATE;TZID=Europe/Berlin:{_local(start + timedelta(weeks=2))}")
            moved = start + timedelta(weeks=3)
            extra = [
                "BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T080000Z",
                f"RECURRENCE-ID;TZID=Europe/Berlin:{_local(moved)}",
                f"DTSTART;TZID=Europe/Berlin:{_local(moved + timedelta(hours=2))}",
                f"DTEND;TZID=Europe/Berlin:{_local(moved + timedelta(hours=2) + length)}",
                f"SUMMARY:{_esc(title)} (verschoben)", "END:VEVENT",
            ]  # fmt: skip
    elif i % 7 == 3:  # all-day, one to three days
        day = start.date()
        lines += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{day + timedelta(days=rng.randint(1, 3)):%Y%m%d}",
                  "TRANSP:TRANSPARENT"]  # fmt: skip
    else:
        lines += [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(start + length)}"]
    lines.append(f"SUMMARY:{_esc(title)}")
    if place:
        lines.append(f"LOCATION:{_esc(place)}")
    lines.append(f"DESCRIPTION:{_esc(notes)}")
    if i % 6 == 1:
        lines.append(f"ORGANIZER;CN=Anna Schmidt:mailto:{PEOPLE[0]}@example.de")
        for who in rng.sample(PEOPLE[1:], 2):
            lines.append(f"ATTENDEE;CN={who.title()};PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;"
                         f"RSVP=TRUE:mailto:{who}@example.de")  # fmt: skip
    if i % 3 == 2:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Erinnerung",
                  f"TRIGGER:-PT{rng.choice((5, 15, 30))}M", "END:VALARM"]  # fmt: skip
    lines.append("END:VEVENT")
    body = "".join(_fold(line) for line in [*lines, *extra])
    return uid, HEAD + zone + body + "END:VCALENDAR\r\n"


def generate_events(n: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(f"events-{seed}")
    return [_event(i, rng) for i in range(n)]


def mark_event(text: str, tag: str) -> str:
    """The event with one extra property in its master: what an edit elsewhere looks like."""
    lines = [ln for ln in text.split("\r\n") if not ln.startswith("X-BENCH-EDIT:")]
    text = "\r\n".join(lines)
    return text.replace("\r\nEND:VEVENT", f"\r\nX-BENCH-EDIT:{tag}\r\nEND:VEVENT", 1)
