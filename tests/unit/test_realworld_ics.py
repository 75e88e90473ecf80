"""Real-world calendar objects (tests/unit/ics_realworld/, see SOURCES.md) through the app.

34 files from 22 producers - Exchange 2010, Google, Apple iCal/Calendar, Thunderbird,
Evolution, Nextcloud/SabreDAV, SOGo, Zimbra, Lotus Notes, DAVx5, Etar, Cyrus, Confluence,
khal, ... - split into the resources a CalDAV server holds (`ical.split_objects`; files with
several UIDs are exports). For every resource:

- the summary (`ical.summarize`) and the store import the calendar sync does
  (`CalendarSide.read` + `import_item`) give the hand-written expectations below: title,
  start/end as UTC instants (time zones resolved), all-day, location, recurrence, and the
  agenda's occurrences in local time (Europe/Berlin here) - computed by hand from the files;
- the import is not a local change (local hash == server hash: nothing is uploaded back);
- `normalized_hash` is stable under the re-serializations servers do (line endings, folding);
- a title edit (`ical.edit_event`) changes the master's SUMMARY (and DTSTAMP/LAST-MODIFIED)
  only: everything else - X- properties, VALARMs, VTIMEZONEs, overrides, ATTENDEEs, folding,
  line endings - stays byte-identical;
- VTODO/VJOURNAL objects are not appointments (`NotAnEvent`) and stay untouched.

`test_sync_with_a_server` runs each file through a real `CalendarSync` against a real
Xandikos (which keeps the bytes it is given): import, a second run that changes nothing, a
title edit uploaded as exactly that edit, and the non-events left alone.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from app import ical
from app.dav.caldav import (
    ICAL_CONTENT_TYPE,
    CalDavClient,
    RemoteCalendar,
    find_calendar_homes,
    make_calendar,
)
from app.dav.session import DavSession
from app.store import agenda, calsync
from app.store.models import Account, Appointment, CalendarBinding, EventState, User
from app.store.occurrences import occurrences
from app.sync.calendar import CalendarSide, CalendarSync
from tests.servers.conftest import xandikos_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from tests.unit.test_ical import _refold as refold

CORPUS = Path(__file__).parent / "ics_realworld"
FILES = sorted(p.name for p in CORPUS.glob("*.ics"))
NOW = datetime(2026, 1, 2, 3, 4, 5)
NEW_TITLE = "Neuer Titel – geändert, mit; Zeichen"


def read(name: str) -> str:
    return (CORPUS / name).read_bytes().decode("utf-8")


def resources(name: str) -> list[str]:
    """The calendar object resources of a file (one per UID; a file without UIDs whole)."""
    text = read(name)
    return ical.split_objects(text) or [text]


def utc(*args: int) -> datetime:
    return datetime(*args)  # type: ignore[arg-type]


local = utc  # naive local (Europe/Berlin) times of the agenda's occurrences


# Local time is Europe/Berlin for every test (occurrences come in local time).
pytestmark = pytest.mark.usefixtures("berlin_time")


# ---------------------------------------------------------------------------- expectations

Occ = tuple[datetime, datetime, str, bool]  # local start, local end, summary, is_exception


@dataclass(frozen=True)
class Expect:
    summary: str
    start: datetime | date | None  # naive UTC, or the first day of an all-day event
    end: datetime | date | None  # naive UTC, or the last day (inclusive)
    location: str = ""
    tzid: str = ""
    recurring: bool = False
    exceptions: int = 0
    description: str | None = None  # None: not checked
    window: tuple[date, date] | None = None  # local days whose occurrences are listed
    occurrences: tuple[Occ, ...] = ()


def allday(*days: tuple[int, int, int], summary: str, exc: Iterable[int] = ()) -> tuple[Occ, ...]:
    """All-day occurrences of one day each (start and end: midnight of that day)."""
    out = []
    for i, d in enumerate(days):
        midnight = local(*d)
        out.append((midnight, midnight, summary, i in set(exc)))
    return tuple(out)


def weekly(
    days: Iterable[tuple[int, int, int]], start: tuple[int, int], end: tuple[int, int], summary: str
) -> tuple[Occ, ...]:
    return tuple((local(*d, *start), local(*d, *end), summary, False) for d in days)


BERLIN = "Europe/Berlin"
HPR = "HPR Community News"
EXPECTED: dict[tuple[str, int], Expect] = {
    # Apple iCal 3.0: 09:00 in Vancouver (PDT since 2009-03-08) = 16:00 UTC = 17:00 CET;
    # Berlin changes to CEST on 2009-03-29, so the last one is at 18:00 here.
    ("apple_ical3_weekly.ics", 0): Expect(
        "Go to work.", utc(2009, 3, 9, 16), utc(2009, 3, 10, 0), tzid="America/Vancouver",
        recurring=True, description="It will pay the bills.",
        window=(date(2009, 3, 9), date(2009, 3, 31)),
        occurrences=(
            (local(2009, 3, 9, 17), local(2009, 3, 10, 1), "Go to work.", False),
            (local(2009, 3, 16, 17), local(2009, 3, 17, 1), "Go to work.", False),
            (local(2009, 3, 23, 17), local(2009, 3, 24, 1), "Go to work.", False),
            (local(2009, 3, 30, 18), local(2009, 3, 31, 2), "Go to work.", False),
        ),
    ),
    ("apple_macosx108_allday_default_alarm.ics", 0): Expect(
        "Start Vorbereitung", date(2012, 7, 16), date(2012, 7, 16),
        window=(date(2012, 7, 15), date(2012, 7, 17)),
        occurrences=allday((2012, 7, 16), summary="Start Vorbereitung"),
    ),
    ("confluence_custom_vtimezone.ics", 0): Expect(
        "test", date(2021, 12, 15), date(2021, 12, 15), description="test event",
        window=(date(2021, 12, 14), date(2021, 12, 16)),
        occurrences=allday((2021, 12, 15), summary="test"),
    ),
    # Two RRULEs: every Thursday, and the 2nd Monday of February and March.
    ("cyrus_two_rrules.ics", 0): Expect(
        "My repeating event", utc(2023, 1, 12, 10), utc(2023, 1, 12, 12),
        tzid="Europe/London", recurring=True, window=(date(2023, 1, 12), date(2023, 2, 16)),
        occurrences=weekly(
            [(2023, 1, 12), (2023, 1, 19), (2023, 1, 26), (2023, 2, 2), (2023, 2, 9),
             (2023, 2, 13), (2023, 2, 16)],
            (11, 0), (13, 0), "My repeating event",
        ),
    ),
    # No UID; DTSTART repeated as the first RDATE (one occurrence, not two); UTC times.
    ("dataical_rdate_list.ics", 0): Expect(
        HPR, utc(2013, 8, 3, 19), utc(2013, 8, 3, 21),
        location="mumble.openspeak.cc port: 64747", recurring=True,
        description=(
            "This is from http://www.hackerpublicradio.org/eps/hpr1286/"
            "iCalendar_Hacking_shownotes.html"
        ),
        window=(date(2013, 8, 1), date(2013, 11, 30)),
        occurrences=(
            *weekly([(2013, 8, 3), (2013, 8, 31), (2013, 10, 5)], (21, 0), (23, 0), HPR),
            *weekly([(2013, 11, 2), (2013, 11, 30)], (20, 0), (22, 0), HPR),  # CET
        ),
    ),
    # Weekly on Tuesday 16:15; EXDATEs in UTC (14:15Z in summer, 15:15Z in winter) remove
    # nine; UNTIL 15:14:59Z ends before the last Tuesday, which the RDATE adds back.
    ("davx5_rdate_on_until.ics", 0): Expect(
        "Test", utc(2019, 10, 15, 14, 15), utc(2019, 10, 15, 15, 45), location="Example",
        tzid=BERLIN, recurring=True, window=(date(2019, 10, 1), date(2020, 2, 29)),
        occurrences=weekly(
            [(2019, 10, 29), (2019, 11, 12), (2019, 12, 10), (2020, 1, 7), (2020, 1, 14),
             (2020, 1, 21), (2020, 1, 28), (2020, 2, 4)],
            (16, 15), (17, 45), "Test",
        ),
    ),
    # DTSTART 13:00 Europe/London (BST), DTEND 13:00 UTC.
    ("etar_london_alarms_utc_dtend.ics", 0): Expect(
        "event with alarms android", utc(2024, 10, 5, 12), utc(2024, 10, 5, 13),
        tzid="Europe/London", window=(date(2024, 10, 5), date(2024, 10, 5)),
        occurrences=(
            (local(2024, 10, 5, 14), local(2024, 10, 5, 15), "event with alarms android", False),
        ),
    ),
    ("evolution_allday_weekly_override.ics", 0): Expect(
        "Base event", date(2020, 9, 8), date(2020, 9, 8), location="Changed again",
        recurring=True, exceptions=1, window=(date(2020, 9, 1), date(2020, 9, 30)),
        occurrences=(
            *allday((2020, 9, 8), (2020, 9, 15), summary="Base event"),
            *allday((2020, 9, 22), summary="Modified event", exc=[0]),
            *allday((2020, 9, 29), summary="Base event"),
        ),
    ),
    ("evolution_freeassociation_tzid.ics", 0): Expect(
        "testing", utc(2012, 10, 3, 6), utc(2012, 10, 3, 6, 30),
        tzid="/freeassociation.sourceforge.net/Tzfile/Europe/Ljubljana",
        window=(date(2012, 10, 3), date(2012, 10, 3)),
        occurrences=((local(2012, 10, 3, 8), local(2012, 10, 3, 8, 30), "testing", False),),
    ),
    # Every other Monday, a week long; the EXDATE (a date-time in "GMT Standard Time") takes
    # out 15.7.; UNTIL 2024-07-28T23:00Z is midnight of 29.7. in London: 29.7. is included.
    ("exchange2010_allday_biweekly_exdate.ics", 0): Expect(
        "test123", date(2024, 7, 1), date(2024, 7, 7), recurring=True,
        window=(date(2024, 7, 1), date(2024, 8, 31)),
        occurrences=(
            (local(2024, 7, 1), local(2024, 7, 7), "test123", False),
            (local(2024, 7, 29), local(2024, 8, 4), "test123", False),
        ),
    ),
    ("exchange2010_allday_biweekly_exdate.ics", 1): Expect(
        "test123 - edited event!!!!", date(2024, 7, 1), date(2024, 7, 7), recurring=True,
        window=(date(2024, 7, 1), date(2024, 8, 31)),
        occurrences=(
            (local(2024, 7, 1), local(2024, 7, 7), "test123 - edited event!!!!", False),
            (local(2024, 7, 29), local(2024, 8, 4), "test123 - edited event!!!!", False),
        ),
    ),
    ("exchange2010_allday_biweekly_exdate.ics", 2): Expect(
        "outlook event with alarm", utc(2024, 10, 4, 17, 30), utc(2024, 10, 4, 18),
        tzid="GMT Standard Time", description="",
        window=(date(2024, 10, 4), date(2024, 10, 4)),
        occurrences=(
            (local(2024, 10, 4, 19, 30), local(2024, 10, 4, 20), "outlook event with alarm", False),
        ),
    ),
    # Bi-weekly Thursdays; the overrides' RECURRENCE-IDs are date-times in a Windows zone
    # and move 16.4. to 17.4. and 28.5. to 29.5.
    ("exchange2010_allday_overrides.ics", 0): Expect(
        "Refuse black bin", date(2020, 4, 2), date(2020, 4, 2), recurring=True, exceptions=3,
        description="", window=(date(2020, 4, 1), date(2020, 6, 15)),
        occurrences=allday(
            (2020, 4, 2), (2020, 4, 17), (2020, 4, 30), (2020, 5, 14), (2020, 5, 29),
            (2020, 6, 11), summary="Refuse black bin", exc=[1, 4],
        ),
    ),
    ("exchange2010_allday_overrides.ics", 1): Expect(
        "Blue Recycle bin", date(2020, 4, 9), date(2020, 4, 9), recurring=True,
        window=(date(2020, 4, 1), date(2020, 6, 15)),
        occurrences=allday(
            (2020, 4, 9), (2020, 4, 23), (2020, 5, 7), (2020, 5, 21), (2020, 6, 4),
            summary="Blue Recycle bin",
        ),
    ),
    # Daily 14:00 Berlin; EXDATE 12:00Z is 27.4. 14:00; the floating UNTIL (29.4. 00:00)
    # ends the series before 29.4. 14:00.
    ("exchange2010_evolution_floating_until.ics", 0): Expect(
        "Reoccur", utc(2020, 4, 26, 12), utc(2020, 4, 26, 12, 30), tzid=BERLIN,
        recurring=True, window=(date(2020, 4, 20), date(2020, 5, 10)),
        occurrences=weekly([(2020, 4, 26), (2020, 4, 28)], (14, 0), (14, 30), "Reoccur"),
    ),
    ("google_allday_weekdays_absolute_alarms.ics", 0): Expect(
        "Day Long Event", date(2012, 8, 3), date(2012, 8, 3), recurring=True, description="",
        window=(date(2012, 8, 3), date(2012, 8, 12)),
        occurrences=allday(
            (2012, 8, 3), (2012, 8, 6), (2012, 8, 7), (2012, 8, 8), (2012, 8, 9), (2012, 8, 10),
            summary="Day Long Event",
        ),
    ),
    # COUNT=1 plus two RDATEs written as "20131210Z" (a DATE with a stray Z).
    ("google_birthday_overrides.ics", 0): Expect(
        "PErson #2's birthday", date(2014, 12, 10), date(2014, 12, 10), recurring=True,
        window=(date(2012, 12, 1), date(2014, 12, 31)),
        occurrences=allday(
            (2012, 12, 10), (2013, 12, 10), (2014, 12, 10), summary="PErson #2's birthday"
        ),
    ),
    # Three overridden instances and no master.
    ("google_birthday_overrides.ics", 1): Expect(
        "PErson #2's birthday", date(2012, 12, 10), date(2012, 12, 10), recurring=True,
        exceptions=3, description="Today is PErson #2's birthday!",
        window=(date(2012, 12, 1), date(2014, 12, 31)),
        occurrences=allday(
            (2012, 12, 10), (2013, 12, 10), (2014, 12, 10), summary="PErson #2's birthday",
            exc=[0, 1, 2],
        ),
    ),
    # 11:30 Lisbon = 12:30 Berlin all year (both change on the same Sunday, 25.10.).
    ("google_lisbon_weekly.ics", 0): Expect(
        "MDS-t", utc(2020, 9, 21, 10, 30), utc(2020, 9, 21, 12), tzid="Europe/Lisbon",
        recurring=True, window=(date(2020, 9, 21), date(2020, 11, 2)),
        occurrences=weekly(
            [(2020, 9, 21), (2020, 9, 28), (2020, 10, 5), (2020, 10, 12), (2020, 10, 19),
             (2020, 10, 26), (2020, 11, 2)],
            (12, 30), (14, 0), "MDS-t",
        ),
    ),
    # Last Friday of the month; the 31.12. moved to 17.12. (the override comes first in the
    # file and has no DTEND: zero length like the master).
    ("google_override_before_master.ics", 0): Expect(
        "Karaoke", utc(2021, 11, 26, 20, 30), utc(2021, 11, 26, 20, 30), tzid=BERLIN,
        recurring=True, exceptions=1, window=(date(2021, 11, 1), date(2022, 1, 31)),
        occurrences=(
            (local(2021, 11, 26, 21, 30), local(2021, 11, 26, 21, 30), "Karaoke", False),
            (local(2021, 12, 17, 21, 30), local(2021, 12, 17, 21, 30), "Karaoke", True),
            (local(2022, 1, 28, 21, 30), local(2022, 1, 28, 21, 30), "Karaoke", False),
        ),
    ),
    # DTSTART/DTEND "20131009T170000T" cannot be read: imported without a time (kept as it
    # is), so nothing shows in the agenda.
    ("ical4android_utf8_broken_times.ics", 0): Expect(
        "© äö — üß", None, None, location="中华人民共和国", description="Test Description",
        window=(date(2013, 10, 1), date(2013, 10, 31)),
    ),
    # No DTEND (ends when it starts); the escape "\n" is folded between "\" and "n".
    ("icalendar_ruby_no_dtend_dup_vtimezone.ics", 0): Expect(
        "2019-01-17 openLab", utc(2019, 1, 17, 17, 0, 25), utc(2019, 1, 17, 17, 0, 25),
        tzid=BERLIN,
        description=(
            "Zwei FH-Studentinnen (Anne und Caro) haben sich die Bar angeschaut und wollen "
            "wiederkommen. \nIch habe sie zu diesem Discourse eingeladen. \nOtto baute mit "
            "dem Laserdrucker ein Gehäuse für ein DMX Interface. \nEs gab die Ve&hellip;"
        ),
        window=(date(2019, 1, 17), date(2019, 1, 17)),
        occurrences=(
            (local(2019, 1, 17, 18, 0, 25), local(2019, 1, 17, 18, 0, 25),
             "2019-01-17 openLab", False),
        ),
    ),
    ("icalendar_ruby_no_dtend_dup_vtimezone.ics", 1): Expect(
        "Hanf als nachhaltiges Material -- Workshop in der Machbar",
        utc(2019, 2, 28, 14, 0, 14), utc(2019, 2, 28, 17, 30, 14), tzid=BERLIN,
        window=(date(2019, 2, 28), date(2019, 2, 28)),
        occurrences=(
            (local(2019, 2, 28, 15, 0, 14), local(2019, 2, 28, 18, 30, 14),
             "Hanf als nachhaltiges Material -- Workshop in der Machbar", False),
        ),
    ),
    ("icalendar_ruby_no_dtend_dup_vtimezone.ics", 2): Expect(
        "Einmietung HACKademy - erste drei Märzwochenenden",
        utc(2019, 3, 1, 17, 0, 35), utc(2019, 3, 1, 20, 0, 35), tzid=BERLIN,
        window=(date(2019, 3, 1), date(2019, 3, 1)),
        occurrences=(
            (local(2019, 3, 1, 18, 0, 35), local(2019, 3, 1, 21, 0, 35),
             "Einmietung HACKademy - erste drei Märzwochenenden", False),
        ),
    ),
    ("icalendar_ruby_no_dtend_dup_vtimezone.ics", 3): Expect(
        "Potsdamer Tag der Wissenschaften 11.5.2019",
        utc(2019, 5, 11, 11, 0, 21), utc(2019, 5, 11, 18, 0, 21), tzid=BERLIN,
        window=(date(2019, 5, 11), date(2019, 5, 11)),
        occurrences=(
            (local(2019, 5, 11, 13, 0, 21), local(2019, 5, 11, 20, 0, 21),
             "Potsdamer Tag der Wissenschaften 11.5.2019", False),
        ),
    ),
    ("icaleventmaker_dublin_no_final_eol.ics", 0): Expect(
        "Testing Event", utc(2023, 4, 20, 11), utc(2023, 4, 20, 11), tzid="Europe/Dublin",
        window=(date(2023, 4, 20), date(2023, 4, 20)),
        occurrences=((local(2023, 4, 20, 13), local(2023, 4, 20, 13), "Testing Event", False),),
    ),
    # Floating times (the computer's zone); two overridden instances, no master.
    ("khal_overrides_only_floating.ics", 0): Expect(
        "Arbeit", utc(2014, 6, 30, 5, 30), utc(2014, 6, 30, 10), recurring=True, exceptions=2,
        window=(date(2014, 6, 30), date(2014, 7, 31)),
        occurrences=(
            (local(2014, 6, 30, 7, 30), local(2014, 6, 30, 12), "Arbeit", True),
            (local(2014, 7, 7, 8, 30), local(2014, 7, 7, 12), "Arbeit", True),
        ),
    ),
    # One overridden instance (08:00 Chicago, CDT), no UID. Its RDATE list of later weeks is
    # not expanded (see the report: an RDATE inside an override).
    ("khal_rdate_period_tzid.ics", 0): Expect(
        "Event", utc(2018, 3, 27, 13), utc(2018, 3, 27, 14), tzid="America/Chicago",
        recurring=True, exceptions=1, window=(date(2018, 3, 27), date(2018, 3, 27)),
        occurrences=((local(2018, 3, 27, 15), local(2018, 3, 27, 16), "Event", True),),
    ),
    # The Windows name wins over the VTIMEZONE's wrong rules: 13:00 NZDT (+13).
    ("khal_windows_tzid_odd_vtimezone.ics", 0): Expect(
        "Event with Windows TZ name", utc(2019, 11, 20, 0), utc(2019, 11, 20, 1, 30),
        tzid="New Zealand Standard Time", window=(date(2019, 11, 20), date(2019, 11, 20)),
        occurrences=(
            (local(2019, 11, 20, 1), local(2019, 11, 20, 2, 30), "Event with Windows TZ name",
             False),
        ),
    ),
    # "Pacific" is no known zone: the VTIMEZONE's rules (DST from the 1st Sunday in April,
    # 4.4.2004) give PDT, -7.
    ("lotus_notes6_request_quoted_tzid.ics", 0): Expect(
        "hjold intyel", utc(2004, 4, 15, 19), utc(2004, 4, 15, 20), tzid="Pacific",
        window=(date(2004, 4, 15), date(2004, 4, 15)),
        occurrences=((local(2004, 4, 15, 21), local(2004, 4, 15, 22), "hjold intyel", False),),
    ),
    ("nextcloud_allday_attendees.ics", 0): Expect(
        "Welcome!", date(2025, 1, 30), date(2025, 1, 30), location="Test",
        description="Welcome!!!", window=(date(2025, 1, 29), date(2025, 1, 31)),
        occurrences=allday((2025, 1, 30), summary="Welcome!"),
    ),
    # Daily until 20.3. 04:00 (UNTIL 03:00Z, inclusive); 19.3. lasts 3 hours (DURATION).
    ("nextcloud_sabredav_override_duration.ics", 0): Expect(
        "original event", utc(2019, 3, 18, 3), utc(2019, 3, 18, 4), tzid=BERLIN,
        recurring=True, exceptions=1, window=(date(2019, 3, 17), date(2019, 3, 31)),
        occurrences=(
            (local(2019, 3, 18, 4), local(2019, 3, 18, 5), "original event", False),
            (local(2019, 3, 19, 4), local(2019, 3, 19, 7), "edited duration", True),
            (local(2019, 3, 20, 4), local(2019, 3, 20, 5), "original event", False),
        ),
    ),
    # Weekly Monday 00:30 Berlin, COUNT=8; EXDATE 2019-03-10T23:30Z is 11.3. 00:30.
    ("nextcloud_sabredav_weekly_exdate_utc.ics", 0): Expect(
        "test6", utc(2019, 3, 3, 23, 30), utc(2019, 3, 4), tzid=BERLIN, recurring=True,
        window=(date(2019, 3, 1), date(2019, 4, 30)),
        occurrences=weekly(
            [(2019, 3, 4), (2019, 3, 18), (2019, 3, 25), (2019, 4, 1), (2019, 4, 8),
             (2019, 4, 15), (2019, 4, 22)],
            (0, 30), (1, 0), "test6",
        ),
    ),
    # Every other day 12:00Z. RANGE=THISANDFUTURE at 13.9.: from then on 3 hours earlier and
    # 7 hours long (also the RDATE of 14.9.); 15.9. moved alone; a second THISANDFUTURE at
    # 21.9. moves that and all later ones by +1 day 2:22 and makes them 1:51 long.
    ("reservas_thisandfuture_rdate.ics", 0): Expect(
        "ORIGINAL EVENT", utc(2024, 9, 1, 12), utc(2024, 9, 1, 14), recurring=True,
        exceptions=3, description="2 hours long", window=(date(2024, 9, 9), date(2024, 9, 24)),
        occurrences=(
            (local(2024, 9, 9, 14), local(2024, 9, 9, 16), "ORIGINAL EVENT", False),
            (local(2024, 9, 11, 14), local(2024, 9, 11, 16), "ORIGINAL EVENT", False),
            (local(2024, 9, 13, 11), local(2024, 9, 13, 18), "MODIFIED EVENT", True),
            (local(2024, 9, 14, 8), local(2024, 9, 14, 15), "MODIFIED EVENT", True),
            (local(2024, 9, 15, 19), local(2024, 9, 15, 21), "MODIFIED EVENT", True),
            (local(2024, 9, 17, 11), local(2024, 9, 17, 18), "MODIFIED EVENT", True),
            (local(2024, 9, 19, 11), local(2024, 9, 19, 18), "MODIFIED EVENT", True),
            (local(2024, 9, 22, 16, 22), local(2024, 9, 22, 18, 13), "EDITED EVENT", True),
            (local(2024, 9, 24, 16, 22), local(2024, 9, 24, 18, 13), "EDITED EVENT", True),
        ),
    ),
    ("sogo_2_2_16_organizer_attendees.ics", 0): Expect(
        "testmeeting", utc(2015, 4, 29, 9), utc(2015, 4, 29, 10, 30), location="daheim",
        tzid="Europe/Vienna", description="important meeting 1",
        window=(date(2015, 4, 29), date(2015, 4, 29)),
        occurrences=((local(2015, 4, 29, 11), local(2015, 4, 29, 12, 30), "testmeeting", False),),
    ),
    # Daily, COUNT=3; the 29.1. is cancelled by an override with STATUS:CANCELLED.
    ("thunderbird_cancelled_occurrence.ics", 0): Expect(
        "one is cancelled", utc(2020, 1, 28, 21), utc(2020, 1, 28, 22), tzid=BERLIN,
        recurring=True, exceptions=1, window=(date(2020, 1, 27), date(2020, 2, 5)),
        occurrences=weekly([(2020, 1, 28), (2020, 1, 30)], (22, 0), (23, 0), "one is cancelled"),
    ),
    # No DTSTART: shown at DTEND.
    ("thunderbird_dtend_without_dtstart.ics", 0): Expect(
        "Missing DTSTART 2", utc(2024, 5, 14, 11, 30), utc(2024, 5, 14, 11, 30), tzid=BERLIN,
        window=(date(2024, 5, 14), date(2024, 5, 14)),
        occurrences=(
            (local(2024, 5, 14, 13, 30), local(2024, 5, 14, 13, 30), "Missing DTSTART 2", False),
        ),
    ),
    ("thunderbird_moved_occurrences.ics", 0): Expect(
        "test7", utc(2019, 3, 18, 3), utc(2019, 3, 18, 4), tzid=BERLIN, recurring=True,
        exceptions=1, description="description should be the same",
        window=(date(2019, 3, 17), date(2019, 3, 31)),
        occurrences=(
            (local(2019, 3, 18, 4), local(2019, 3, 18, 5), "test7", False),
            (local(2019, 3, 19, 4), local(2019, 3, 19, 5), "test7 - edited", True),
            (local(2019, 3, 20, 4), local(2019, 3, 20, 5), "test7", False),
        ),
    ),
    # Daily 02:00 until 10.3. (UNTIL 01:00Z, inclusive); 8.3. moved an hour earlier (DTEND
    # wins over the extra DURATION:PT0S), 9.3. an hour later.
    ("thunderbird_moved_occurrences.ics", 1): Expect(
        "New Event", utc(2019, 3, 7, 1), utc(2019, 3, 7, 2), tzid=BERLIN, recurring=True,
        exceptions=2, window=(date(2019, 3, 1), date(2019, 3, 31)),
        occurrences=(
            (local(2019, 3, 7, 2), local(2019, 3, 7, 3), "New Event", False),
            (local(2019, 3, 8, 1), local(2019, 3, 8, 2), "New Event", True),
            (local(2019, 3, 9, 3), local(2019, 3, 9, 4), "New Event", True),
            (local(2019, 3, 10, 2), local(2019, 3, 10, 3), "New Event", False),
        ),
    ),
    # Monthly on the 1st Tuesday 10:00 Los Angeles, plus RDATEs (one a PERIOD) and EXDATEs:
    # 2.10. moved to 15:00 PDT (= 3.10. 00:00 here); the RDATE 5.11. 10:00 PST is overridden
    # by a UTC RECURRENCE-ID (18:00Z) and moved to 6.11. 20:00 PST; 4.12. is excluded.
    ("zimbra_rdate_period_overrides.ics", 0): Expect(
        "Crazy Event Thingy!", utc(2012, 10, 2, 17), utc(2012, 10, 2, 17, 30), location="PLACE",
        tzid="America/Los_Angeles", recurring=True, exceptions=2, description="IAM FOO",
        window=(date(2012, 10, 1), date(2013, 1, 31)),
        occurrences=(
            (local(2012, 10, 3, 0), local(2012, 10, 3, 0, 30), "Crazy Event Thingy!", True),
            (local(2012, 11, 6, 19), local(2012, 11, 6, 19, 30), "Crazy Event Thingy!", False),
            (local(2012, 11, 7, 5), local(2012, 11, 7, 5, 30), "Crazy Event Thingy!", True),
            (local(2012, 11, 10, 19), local(2012, 11, 10, 19, 30), "Crazy Event Thingy!", False),
            (local(2012, 11, 30, 19), local(2012, 11, 30, 19, 30), "Crazy Event Thingy!", False),
            (local(2013, 1, 1, 19), local(2013, 1, 1, 19, 30), "Crazy Event Thingy!", False),
        ),
    ),
}  # fmt: skip

NOT_EVENTS = {"caldav_client_vjournal.ics": "VJOURNAL", "caldav_client_vtodo_yearly.ics": "VTODO"}

CASES = sorted(EXPECTED)
ALL_RESOURCES = [(name, i) for name in FILES for i in range(len(resources(name)))]


def case_id(case: tuple[str, int]) -> str:
    return f"{case[0].removesuffix('.ics')}#{case[1]}"


# ---------------------------------------------------------------------------- the corpus


@pytest.fixture
def binding(store: Path) -> CalendarBinding:
    user = agenda.current_user()
    account = Account.create(label="K", kind="caldav", username="u", server="s")
    return CalendarBinding.create(account=account, user=user, remote_href="/cal/")


def test_corpus_is_documented_and_fully_expected() -> None:
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| ([a-z0-9_]+\.ics) \|", sources, re.M)
    assert sorted(listed) == FILES and len(FILES) >= 25
    events = {(n, i) for n, i in ALL_RESOURCES if n not in NOT_EVENTS}
    assert events == set(EXPECTED)  # every appointment has hand-written expectations
    assert {n for n, _ in ALL_RESOURCES} - {n for n, _ in EXPECTED} == set(NOT_EVENTS)


@pytest.mark.parametrize("name", sorted(NOT_EVENTS))
def test_todos_and_journals_are_not_appointments_and_stay_untouched(
    binding: CalendarBinding, name: str
) -> None:
    text = read(name)
    side = CalendarSide(binding, None)  # type: ignore[arg-type]  # no server requests here
    with pytest.raises(ical.NotAnEvent):
        ical.summarize(text)
    with pytest.raises(ical.NotAnEvent):
        side.read("/cal/x.ics", text)  # the sync keeps it as "other": never imported
    with pytest.raises(ical.NotAnEvent):
        ical.edit_event(text, summary=NEW_TITLE)  # nothing can edit it by mistake
    [comp] = ical.components(text)
    assert comp.name == NOT_EVENTS[name] and comp.text in text
    assert ical.split_objects(text) == [text]
    assert side.other_hash(text) == ical.normalized_hash(text) != ""


# ---------------------------------------------------------------------------- summary


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_summary(case: tuple[str, int]) -> None:
    e = EXPECTED[case]
    s = ical.summarize(resources(case[0])[case[1]])
    all_day = e.start is not None and not isinstance(e.start, datetime)
    assert (s.summary, s.start, s.end, s.all_day, s.location) == (
        e.summary, e.start, e.end, all_day, e.location,
    )  # fmt: skip
    assert (s.tzid, s.recurring, s.exceptions) == (e.tzid, e.recurring, e.exceptions)
    if e.description is not None:
        assert s.description == e.description


# ---------------------------------------------------------------------------- the store


def import_as_the_sync_does(binding: CalendarBinding, href: str, text: str) -> Appointment:
    side = CalendarSide(binding, None)  # type: ignore[arg-type]  # no server requests here
    side.import_item(href, '"1"', side.read(href, text))
    [state] = calsync.state_items(binding)
    return Appointment.get_by_id(state.contact_id)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_store_import_and_agenda(binding: CalendarBinding, case: tuple[str, int]) -> None:
    e = EXPECTED[case]
    text = resources(case[0])[case[1]]
    a = import_as_the_sync_does(binding, f"/cal/{case[0]}", text)
    assert a.ical == text  # byte-identical
    assert a.uid == (ical.summarize(text).uid or calsync.uid_from_href(f"/cal/{case[0]}"))
    assert (a.summary, a.location, bool(a.all_day)) == (
        e.summary, e.location, e.start is not None and not isinstance(e.start, datetime),
    )  # fmt: skip
    as_db = [v if v is None or isinstance(v, datetime) else datetime(v.year, v.month, v.day)
             for v in (e.start, e.end)]  # fmt: skip
    assert [a.start, a.end] == as_db
    # Not a local change: the text Contactbox would upload hashes like the server's.
    [state] = calsync.state_items(binding)
    assert state.local_hash == state.remote_hash == ical.normalized_hash(text)
    assert calsync.local_text(a) == text
    assert e.window is not None
    found = [o for o in occurrences(*e.window) if o.appointment_id == a.id]
    assert [(o.start, o.end, o.summary, o.is_exception) for o in found] == list(e.occurrences)
    assert all(o.all_day == bool(a.all_day) for o in found)
    assert all(o.recurring == e.recurring for o in found)


# ---------------------------------------------------------------------------- hash and edit


@pytest.mark.parametrize("case", ALL_RESOURCES, ids=case_id)
def test_normalized_hash_is_stable(case: tuple[str, int]) -> None:
    text = resources(case[0])[case[1]]
    h = ical.normalized_hash(text)
    assert len(h) == 64 and ical.normalized_hash(text) == h
    swapped = text.replace("\r\n", "\n") if "\r\n" in text else text.replace("\n", "\r\n")
    assert ical.normalized_hash(swapped) == h
    assert ical.normalized_hash(refold(text, 50)) == h


def unfolded(text: str) -> list[str]:
    return re.sub(r"\r?\n[ \t]", "", text).splitlines()


def master_of(text: str) -> ical.Component:
    events = [c for c in ical.components(text) if c.name == "VEVENT"]
    return next((c for c in events if c.recurrence_id is None), events[0])


def assert_only_the_title_changed(before: str, after: str, title: str) -> None:
    """Outside the master VEVENT nothing changed; in it only SUMMARY/DTSTAMP/LAST-MODIFIED."""
    m_before, m_after = master_of(before), master_of(after)
    assert after.replace(m_after.text, m_before.text) == before  # the rest byte-identical
    gone = [x for x in unfolded(m_before.text) if x not in unfolded(m_after.text)]
    new = [x for x in unfolded(m_after.text) if x not in unfolded(m_before.text)]
    stamps = ("DTSTAMP", "LAST-MODIFIED")
    assert all(x.startswith(("SUMMARY", *stamps)) for x in gone + new), (gone, new)
    assert [x for x in new if x.startswith("SUMMARY")] == [
        "SUMMARY:" + title.replace(",", "\\,").replace(";", "\\;")
    ]
    assert ("\r\n" in before) == ("\r\n" in after)  # the line endings stay the producer's


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_title_edit_keeps_everything_else(case: tuple[str, int]) -> None:
    text = resources(case[0])[case[1]]
    before = ical.summarize(text)
    edited = ical.edit_event(text, summary=NEW_TITLE, now=NOW)
    assert_only_the_title_changed(text, edited, NEW_TITLE)
    # X- properties, VALARMs, VTIMEZONEs, overrides, ATTENDEEs: every other component whole
    others = [c.text for c in ical.components(text) if c.text != master_of(text).text]
    assert all(c in edited for c in others)
    for marker in ("BEGIN:VALARM", "ATTENDEE", "ORGANIZER", "X-", "RECURRENCE-ID", "EXDATE",
                   "RDATE", "RRULE", "BEGIN:VTIMEZONE"):  # fmt: skip
        assert edited.count(marker) == text.count(marker), marker
    after = ical.summarize(edited)
    assert after == dataclasses.replace(before, summary=NEW_TITLE)
    assert ical.normalized_hash(edited) != ical.normalized_hash(text)
    back = ical.edit_event(edited, summary=before.summary, now=NOW)
    assert ical.normalized_hash(back) == ical.normalized_hash(text)  # only the stamps differ


# ---------------------------------------------------------------------------- a whole sync


def _put(server: DavServer, url: str, text: str) -> None:
    """Store an object as another client would (the bytes as they are)."""
    resp = server.request(
        "PUT", url, body=text.encode("utf-8"), headers={"Content-Type": ICAL_CONTENT_TYPE}
    )
    assert resp.status_code in (201, 204), (url, resp.status_code, resp.text[:300])


@pytest.mark.servers
@pytest.mark.parametrize("name", FILES)
def test_sync_with_a_server(
    store: Path,
    xandikos_server: DavServer,  # noqa: F811
    name: str,
) -> None:
    """Each file on a real Xandikos (it keeps the bytes it is given): the first run imports
    and writes nothing, the second does nothing, a title edit goes up as exactly that edit,
    and to-dos and journals stay untouched."""
    server = xandikos_server
    session = DavSession(server.root_url, server.user, server.password)
    client = CalDavClient(session)
    home = find_calendar_homes(session)[0]
    if name in NOT_EVENTS:  # a calendar for every kind of component (MKCALENDAR as is)
        href = f"{home}korpus-{uuid.uuid4().hex[:8]}/"
        assert server.request("MKCALENDAR", server.url(href)).status_code == 201
        cal = RemoteCalendar(href=href, display_name=name)
    else:
        cal = make_calendar(session, home, f"Korpus {name[:-4]}")
    for i, text in enumerate(resources(name)):
        _put(server, server.url(f"{cal.href}{i}.ics"), text)
    original = {
        o.href: o.text for o in client.multiget(cal.href, client.list_etags(cal.href).etags)
    }
    events = {h: t for h, t in original.items() if name not in NOT_EVENTS}

    user = User.create(name=f"Nutzer {name}")
    account = Account.create(label=name, kind="caldav", username=server.user, server="s")
    binding = CalendarBinding.create(
        account=account, user=user, remote_href=cal.href, supports_sync=cal.supports_sync_collection
    )

    def run() -> dict[str, str]:
        report = CalendarSync(CalendarBinding.get_by_id(binding.id), client).run()
        assert (report.error, report.errors) == ("", [])
        return dict(client.list_etags(cal.href).etags)

    try:
        etags = run()  # first run: everything imported, nothing written to the server
        imported = {
            s.href: Appointment.get_by_id(s.contact_id) for s in calsync.state_items(binding)
        }
        assert {h: a.ical for h, a in imported.items()} == events
        others = EventState.select().where(
            (EventState.binding == binding) & (EventState.kind == "other")
        )
        assert sorted(s.href for s in others) == sorted(set(original) - set(events))

        assert run() == etags  # nothing changed: nothing to do (the import is no local change)

        renamed = {h for h, a in imported.items() if a.start is not None}
        for h in renamed:
            agenda.update_appointment(imported[h].id, summary=NEW_TITLE)
        after = run()  # the title edits go up, each as exactly that edit
        assert sorted(h for h in after if after[h] != etags[h]) == sorted(renamed)
        now = {o.href: o.text for o in client.multiget(cal.href, list(after))}
        for href in renamed:
            assert_only_the_title_changed(original[href], now[href], NEW_TITLE)
        for href in set(original) - set(events):  # todos and journals: untouched
            assert now[href] == original[href]
        assert set(now) == set(original)  # nothing deleted

        assert run() == after
    finally:
        session.close()
