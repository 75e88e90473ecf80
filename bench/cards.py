"""Realistic, deterministic vCards of German-speaking office contacts for demos and benchmarks.

``generate_cards(n, seed=...)`` returns ``(UID, vCard text)`` pairs.  Card *i* depends only on
``(seed, i)``, so the first 100 cards of a 1,000-card book are the 100 cards of a 100-card book.
The cards look like what real address books hold: umlauts and ß, Turkish and other
non-ASCII names, titles, several typed e-mails, phones and addresses (DE/AT/CH), birthdays,
multi-line notes with commas and semicolons, categories, Apple ``itemN.X-ABLabel`` groups,
X- properties and - on ``photo_ratio`` of the cards - a JPEG photo of about 20 KB.

Lines are folded at 75 octets with CRLF, never inside a multi-byte UTF-8 character.
Only the standard library is used.
"""

from __future__ import annotations

import base64
import random
import unicodedata
import uuid
from collections.abc import Iterable
from pathlib import Path

__all__ = ["fold_line", "generate_cards", "write_vcf"]

#: namespace for the generated UIDs (uuid5 of "seed:index" in it)
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://contactbox-sync.invalid/bench/cards")

CRLF = "\r\n"
MAX_OCTETS = 75

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

# fmt: off

# (first name, "f" | "m")
FIRST_NAMES: tuple[tuple[str, str], ...] = (
    ("Jürgen", "m"), ("Zoë", "f"), ("Özlem", "f"), ("Björn", "m"), ("Jörg", "m"),
    ("Günter", "m"), ("Käthe", "f"), ("Sören", "m"), ("Ümit", "m"), ("Ayşe", "f"),
    ("Çağla", "f"), ("Gökhan", "m"), ("René", "m"), ("Renée", "f"), ("Chloé", "f"),
    ("André", "m"), ("Hélène", "f"), ("Maximilian", "m"), ("Sophie", "f"), ("Lukas", "m"),
    ("Anna", "f"), ("Felix", "m"), ("Marie", "f"), ("Jonas", "m"), ("Lea", "f"),
    ("Thomas", "m"), ("Sabine", "f"), ("Michael", "m"), ("Ursula", "f"), ("Stefan", "m"),
    ("Petra", "f"), ("Andreas", "m"), ("Claudia", "f"), ("Matthias", "m"), ("Birgit", "f"),
    ("Wolfgang", "m"), ("Gisela", "f"), ("Klaus", "m"), ("Monika", "f"), ("Frank", "m"),
    ("Susanne", "f"), ("Dieter", "m"), ("Heike", "f"), ("Uwe", "m"), ("Jana", "f"),
    ("Niklas", "m"), ("Leonie", "f"), ("Tobias", "m"), ("Franziska", "f"), ("Hans-Peter", "m"),
    ("Anna-Lena", "f"), ("Karl-Heinz", "m"), ("Marie-Luise", "f"), ("Mehmet", "m"),
    ("Fatma", "f"), ("Emre", "m"), ("Elif", "f"), ("Dragan", "m"), ("Jelena", "f"),
    ("Agnieszka", "f"), ("Łukasz", "m"), ("Małgorzata", "f"), ("Tomáš", "m"), ("Zuzana", "f"),
    ("Ioannis", "m"), ("Eleni", "f"), ("Giulia", "f"), ("Luca", "m"), ("Søren", "m"),
    ("Åsa", "f"), ("Nguyễn", "m"), ("Oğuz", "m"), ("Gülşen", "f"), ("Ingrid", "f"),
    ("Reinhard", "m"), ("Bärbel", "f"), ("Jürgen-Otto", "m"), ("Lotte", "f"), ("Till", "m"),
)

LAST_NAMES: tuple[str, ...] = (
    "Müller", "Weiß", "Yılmaz", "Schäfer", "Schröder", "Köhler", "Günther", "Größ",
    "Meißner", "Jäger", "Krämer", "Böhm", "Löffler", "Hübner", "Fuß", "Strauß", "Voß",
    "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Neumann", "Schwarz",
    "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner",
    "Krause", "Lehmann", "Schmid", "Schulze", "Maier", "Köster", "Dörr", "Kühn", "Öztürk",
    "Kaya", "Demir", "Şahin", "Çelik", "Doğan", "Arslan", "Kowalski", "Nowak", "Wiśniewska",
    "Dvořák", "Novák", "Papadopoulos", "Rossi", "Jovanović", "Petrović", "Nguyen", "Andersen",
    "von Bülow", "zu Löwenstein", "van der Meer", "de Vries", "Müller-Lüdenscheidt",
    "Schulze-Böing", "Weiß-Öhler", "O'Connor", "Ångström", "Le Maître", "Straßburger",
)

PREFIXES: tuple[str, ...] = ("Dr.", "Dr.", "Dr.", "Prof. Dr.", "Dipl.-Ing.", "Mag.", "Dr. med.")
SUFFIXES: tuple[str, ...] = ("MBA", "LL.M.", "M.Sc.", "Jr.")
MIDDLE_NAMES: dict[str, tuple[str, ...]] = {
    "f": ("Maria", "Elisabeth", "Luise", "Johanna", "Sophie"),
    "m": ("Johannes", "Friedrich", "Emil", "Maria", "Alexander"),
}

# (name pattern; {n} = a family name, {c} = a city)
ORGS: tuple[str, ...] = (
    "Müller & Söhne GmbH", "Bäckerei {n} KG", "Stadtwerke {c}", "Großhandel Süd AG",
    "Ingenieurbüro {n}", "Kanzlei {n} & Partner mbB", "{n} Haustechnik GmbH & Co. KG",
    "Autohaus {n}", "Zahnarztpraxis Dr. {n}", "Steuerberatung {n}", "{c}er Versicherung AG",
    "Brauerei Würzburger Hofbräu", "Möbelhaus Schönwohnen", "Gärtnerei Grünblatt",
    "Schreinerei {n}", "Öko-Energie {c} eG", "Sparkasse {c}", "Volksbank {c} eG",
    "Universität {c}", "Klinikum {c}", "Landratsamt {c}", "Straßenbau {n} GmbH",
    "Druckerei Schwarz auf Weiß", "Übersetzungsbüro Wortgewandt", "IT-Systemhaus {n}",
    "Reisebüro Fernweh", "Café Kränzchen", "Fahrschule {n}", "Verlag {n} & Cie.",
    "Schweizerische Käseunion AG", "Österreichische Holz GmbH", "Messe {c} GmbH",
)
DEPARTMENTS: tuple[str, ...] = (
    "Vertrieb", "Einkauf", "Buchhaltung", "Personalabteilung", "Geschäftsführung", "IT",
    "Öffentlichkeitsarbeit", "Qualitätssicherung", "Kundendienst", "Forschung & Entwicklung",
    "Rechtsabteilung", "Logistik", "Marketing", "Controlling", "Empfang",
)
# (male, female)
TITLES: tuple[tuple[str, str], ...] = (
    ("Geschäftsführer", "Geschäftsführerin"), ("Sachbearbeiter", "Sachbearbeiterin"),
    ("Leiter Einkauf", "Leiterin Einkauf"), ("Projektmanager", "Projektmanagerin"),
    ("Assistent der Geschäftsführung", "Assistentin der Geschäftsführung"),
    ("Steuerberater", "Steuerberaterin"), ("Vertriebsleiter", "Vertriebsleiterin"),
    ("Prokurist", "Prokuristin"), ("Systemadministrator", "Systemadministratorin"),
    ("Außendienstmitarbeiter", "Außendienstmitarbeiterin"), ("Teamleiter", "Teamleiterin"),
    ("Referent Öffentlichkeitsarbeit", "Referentin Öffentlichkeitsarbeit"),
    ("Bürokaufmann", "Bürokauffrau"), ("Rechtsanwalt", "Rechtsanwältin"),
    ("Oberarzt", "Oberärztin"), ("Werkstudent", "Werkstudentin"),
)

STREETS: tuple[str, ...] = (
    "Hauptstraße", "Bahnhofstraße", "Schloßallee", "Königsweg", "Mühlenstraße",
    "Am Gänsemarkt", "Lindenstraße", "Goethestraße", "Friedrichstraße", "Tübinger Straße",
    "Äußere Sulzbacher Straße", "Gartenstraße", "Schulstraße", "Kirchplatz", "Marktplatz",
    "Rosenweg", "Birkenallee", "Industriestraße", "Am Hafen", "Ölmühlenweg", "Fürstenwall",
    "Große Bleichen", "Bürgermeister-Smidt-Straße", "Rue de la Gare", "Mariahilfer Straße",
    "Bahnhofquai", "Seefeldstrasse", "Herrengasse", "Über den Höfen", "Zur Schönen Aussicht",
)
EXTENDED: tuple[str, ...] = ("3. OG", "Gebäude B", "Hinterhaus", "c/o Empfang", "Zimmer 4.12")

# (city, postal code, region, country, phone country code, area code)
CITIES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("München", "80331", "Bayern", "Deutschland", "49", "89"),
    ("Köln", "50667", "Nordrhein-Westfalen", "Deutschland", "49", "221"),
    ("Düsseldorf", "40213", "Nordrhein-Westfalen", "Deutschland", "49", "211"),
    ("Nürnberg", "90402", "Bayern", "Deutschland", "49", "911"),
    ("Lübeck", "23552", "Schleswig-Holstein", "Deutschland", "49", "451"),
    ("Münster", "48143", "Nordrhein-Westfalen", "Deutschland", "49", "251"),
    ("Göttingen", "37073", "Niedersachsen", "Deutschland", "49", "551"),
    ("Würzburg", "97070", "Bayern", "Deutschland", "49", "931"),
    ("Saarbrücken", "66111", "Saarland", "Deutschland", "49", "681"),
    ("Berlin", "10117", "", "Deutschland", "49", "30"),
    ("Hamburg", "20095", "", "Deutschland", "49", "40"),
    ("Frankfurt am Main", "60311", "Hessen", "Deutschland", "49", "69"),
    ("Stuttgart", "70173", "Baden-Württemberg", "Deutschland", "49", "711"),
    ("Osnabrück", "49074", "Niedersachsen", "Deutschland", "49", "541"),
    ("Fürth", "90762", "Bayern", "Deutschland", "49", "911"),
    ("Gießen", "35390", "Hessen", "Deutschland", "49", "641"),
    ("Lüneburg", "21335", "Niedersachsen", "Deutschland", "49", "4131"),
    ("Görlitz", "02826", "Sachsen", "Deutschland", "49", "3581"),
    ("Wien", "1010", "Wien", "Österreich", "43", "1"),
    ("Graz", "8010", "Steiermark", "Österreich", "43", "316"),
    ("Linz", "4020", "Oberösterreich", "Österreich", "43", "732"),
    ("Salzburg", "5020", "Salzburg", "Österreich", "43", "662"),
    ("Innsbruck", "6020", "Tirol", "Österreich", "43", "512"),
    ("Pöchlarn", "3380", "Niederösterreich", "Österreich", "43", "2757"),
    ("Zürich", "8001", "ZH", "Schweiz", "41", "44"),
    ("Bern", "3011", "BE", "Schweiz", "41", "31"),
    ("Basel", "4051", "BS", "Schweiz", "41", "61"),
    ("St. Gallen", "9000", "SG", "Schweiz", "41", "71"),
    ("Biel/Bienne", "2502", "BE", "Schweiz", "41", "32"),
    ("Küsnacht", "8700", "ZH", "Schweiz", "41", "44"),
)
# German cities weigh more: most contacts of a German office are in Germany
CITY_WEIGHTS: tuple[int, ...] = tuple(
    6 if c[3] == "Deutschland" else 2 for c in CITIES
)

HOME_MAIL_DOMAINS: tuple[str, ...] = (
    "gmx.de", "web.de", "t-online.de", "posteo.de", "mailbox.org", "gmail.com", "gmx.at",
    "aon.at", "bluewin.ch", "icloud.com", "outlook.de", "freenet.de",
)
MOBILE_PREFIXES: dict[str, tuple[str, ...]] = {
    "49": ("151", "152", "160", "170", "171", "172", "176", "1520", "1575"),
    "43": ("650", "660", "664", "676", "699"),
    "41": ("76", "77", "78", "79"),
}
CATEGORIES: tuple[str, ...] = (
    "Kunden", "Lieferanten", "VIP", "Presse", "Behörden", "Partner", "Privat", "Familie",
    "Weihnachtskarte", "Newsletter", "Messe 2024", "Bewerber:innen", "Handwerker",
    "Ärzte", "Steuer & Recht",
)
NOTE_SENTENCES: tuple[str, ...] = (
    "Kunde seit 2012, bevorzugt Termine vormittags.",
    "Rückruf erbeten; am besten dienstags oder donnerstags.",
    "Parkplatz im Hof, Eingang über die Rampe.",
    "Ansprechpartnerin für Rechnungen: Frau Weiß (Durchwahl -23).",
    "Achtung: neue Bankverbindung ab 01.04., bitte Stammdaten prüfen!",
    "Hat Interesse an der Wartungsvereinbarung; Angebot Nr. 2024-117 liegt vor.",
    "Spricht Deutsch, Türkisch und Englisch.",
    "Geburtstagskarte nicht vergessen :-)",
    "Zuständig für Nord- und Süddeutschland, Österreich sowie die Schweiz.",
    "Vertrag läuft bis 31.12.; Kündigungsfrist 3 Monate.",
    "Kennt uns über die Messe in Köln; Visitenkarte liegt in der Ablage.",
    "Allergie: Nüsse, Gluten; beim Catering beachten.",
    "Lieferungen nur Mo–Fr 7:00–15:30 Uhr, Tor 4.",
    "Schreibt E-Mails lieber an die private Adresse.",
    "Vorgänger: Herr Groß (in Rente), Nachfolgerin ab März.",
    "Zahlt zuverlässig, Skonto 2 % bei Zahlung binnen 10 Tagen.",
    "Bitte immer „Sie“ – auch wenn er „du“ anbietet.",
    "Preise: 12,50 € netto/Stunde; Anfahrt pauschal 35,00 €.",
    'Projekt "Umzug Lager" gemeinsam; Abschluss geplant Q3.',
    "Sekretariat: Mo–Do 8–12 Uhr; Fr geschlossen.",
)
HISTORY: tuple[str, ...] = (
    "Erstkontakt auf der Messe; Visitenkarte erhalten",
    "Angebot verschickt, Nachfass in zwei Wochen",
    "Telefonat: Rückfragen zu Lieferzeiten, Preisen und Skonto",
    "Auftrag erteilt (Rahmenvertrag, 24 Monate)",
    "Reklamation wegen beschädigter Ware; Gutschrift über 149,90 €",
    "Umzug der Firma nach neuer Adresse; Stammdaten geändert",
    "Treffen vor Ort mit Herrn Schäfer und Frau Öztürk",
    "Newsletter abbestellt, Einwilligung widerrufen",
)
WEB_PATHS: tuple[str, ...] = ("", "", "kontakt", "ueber-uns", "team", "impressum")

ABLABELS_TEL: tuple[str, ...] = (
    "_$!<Assistant>!$_", "Zentrale", "Durchwahl Büro", "Notfall", "_$!<Main>!$_",
)
ABLABELS_MAIL: tuple[str, ...] = ("_$!<Other>!$_", "Rechnungen", "Büro Hamburg", "Vereinsadresse")
ABRELATED: tuple[str, ...] = ("_$!<Manager>!$_", "_$!<Assistant>!$_", "_$!<Spouse>!$_")

SOCIAL: tuple[tuple[str, str], ...] = (
    ("linkedin", "https://www.linkedin.com/in/{slug}"),
    ("xing", "https://www.xing.com/profile/{slug}"),
    ("mastodon", "https://social.example/@{slug}"),
)
# fmt: on

# ---------------------------------------------------------------------------------------------
# Escaping and folding
# ---------------------------------------------------------------------------------------------


def _esc_text(s: str) -> str:
    """A TEXT value: backslash, comma, semicolon and line breaks escaped (RFC 6350 3.4)."""
    return (
        s.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def _structured(*components: str) -> str:
    """A structured value (N, ADR, ORG): components escaped, joined with ';'."""
    return ";".join(_esc_text(c) for c in components)


def _text_list(values: Iterable[str]) -> str:
    """A list value (CATEGORIES, NICKNAME): values escaped, joined with ','."""
    return ",".join(_esc_text(v) for v in values)


def fold_line(line: str) -> str:
    """Fold one content line at 75 octets (CRLF + space), never inside a UTF-8 character.

    The result has no trailing CRLF.  Continuation lines start with one space, which counts
    toward their 75 octets.
    """
    if len(line.encode("utf-8")) <= MAX_OCTETS:
        return line
    out: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_OCTETS
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(ch)
        size += n
    out.append("".join(current))
    return (CRLF + " ").join(out)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

_TRANSLIT = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "å": "aa",
        "Å": "Aa",
        "æ": "ae",
    }
)


def _ascii_slug(s: str, sep: str = ".") -> str:
    """'Dr. Jürgen-Otto Müller' -> 'juergen-otto.mueller'-style mail/URL parts."""
    s = unicodedata.normalize("NFKD", s.translate(_TRANSLIT))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    out = []
    for ch in s.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch in "-":
            out.append("-")
        elif out and out[-1] != sep:
            out.append(sep)
    return "".join(out).strip(sep + "-")


def _pick_city(rng: random.Random) -> tuple[str, str, str, str, str, str]:
    return rng.choices(CITIES, weights=CITY_WEIGHTS)[0]


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _landline(rng: random.Random, cc: str, area: str, ext: str | None = None) -> str:
    """A landline number in one of the spellings people type: +49 30 1234567, +49 (0)30 ..."""
    number = _digits(rng, min(8, max(4, rng.randint(9, 10) - len(area) - (2 if ext else 0))))
    tail = f"-{ext}" if ext else ""
    style = rng.randrange(5 if ext else 6)
    if style == 0:
        return f"+{cc} {area} {number}{tail}"
    if style == 1:
        return f"+{cc} ({area}) {number[:3]} {number[3:]}{tail}"
    if style == 2:
        return f"+{cc}-{area}-{number}{tail}"
    if style == 3:
        return f"+{cc} (0){area} {number}{tail}"
    if style == 4:
        return f"+{cc} {area} {number[:2]} {number[2:4]} {number[4:]}{tail}".rstrip()
    return f"+{cc}{area}{number}"


def _mobile(rng: random.Random, cc: str) -> str:
    prefix = rng.choice(MOBILE_PREFIXES[cc])
    number = _digits(rng, 7)
    if rng.random() < 0.5:
        return f"+{cc} {prefix} {number}"
    return f"+{cc} {prefix} {number[:3]} {number[3:]}"


def _photo_b64(rng: random.Random) -> str:
    """Base64 of ~15 KB pseudo-random bytes that start like a JFIF JPEG (~20 KB of base64)."""
    header = (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00\xff\xdb\x00\x43\x00"
    )
    size = rng.randint(14_000, 16_000)
    body = rng.randbytes(size - len(header) - 2)
    return base64.b64encode(header + body + b"\xff\xd9").decode("ascii")


def _has_photo(index: int, ratio: float) -> bool:
    """Exactly floor(n * ratio) of the first n cards, spread evenly, prefix-stable."""
    if ratio <= 0:
        return False
    if ratio >= 1:
        return True
    return int((index + 1) * ratio) > int(index * ratio)


# ---------------------------------------------------------------------------------------------
# One card
# ---------------------------------------------------------------------------------------------


def _card(index: int, seed: int, *, photo: bool, version: str) -> tuple[str, str]:
    rng = random.Random(f"contactbox-bench:{seed}:{index}")
    v4 = version == "4.0"
    uid = str(uuid.uuid5(UID_NAMESPACE, f"{seed}:{index}")).upper()
    lines: list[str] = []
    add = lines.append

    def typ(*tokens: str) -> str:
        """TYPE parameter in the version's customary spelling."""
        if v4:
            toks = [t.lower() for t in tokens if t.upper() not in ("INTERNET", "VOICE")]
            if not toks:
                return ""
            joined = ",".join(toks)
            return f';TYPE="{joined}"' if len(toks) > 1 else f";TYPE={joined}"
        return ";TYPE=" + ",".join(t.upper() for t in tokens)

    given, gender = rng.choice(FIRST_NAMES)
    family = rng.choice(LAST_NAMES)
    prefix = rng.choice(PREFIXES) if rng.random() < 0.15 else ""
    suffix = rng.choice(SUFFIXES) if rng.random() < 0.04 else ""
    middle = rng.choice(MIDDLE_NAMES[gender]) if rng.random() < 0.08 else ""
    fn = " ".join(x for x in (prefix, given, middle, family) if x)
    if suffix:
        fn += f", {suffix}"

    home_city = _pick_city(rng)
    work_city = home_city if rng.random() < 0.7 else _pick_city(rng)
    has_org = rng.random() < 0.85
    org = ""
    if has_org:
        org = rng.choice(ORGS).format(n=rng.choice(LAST_NAMES), c=work_city[0])
    department = rng.choice(DEPARTMENTS) if has_org and rng.random() < 0.6 else ""
    title = rng.choice(TITLES)[0 if gender == "m" else 1] if has_org and rng.random() < 0.8 else ""
    org_slug = _ascii_slug(org.split(" GmbH")[0].split(" AG")[0], "-") or "firma"
    tld = {"Deutschland": "de", "Österreich": "at", "Schweiz": "ch"}[work_city[3]]
    domain = f"{org_slug[:40].strip('-')}.{tld}"
    person = _ascii_slug(f"{given} {family}")
    apple = rng.random() < 0.25

    add("BEGIN:VCARD")
    add(f"VERSION:{version}")
    if apple:
        add("PRODID:-//Apple Inc.//iPhone OS 17.5//EN")
    else:
        add(f"PRODID:-//Contactbox Sync//Bench Cards {version}//DE")
    if v4:
        add("KIND:individual")
    add(f"UID:{uid}")
    add("N:" + _structured(family, given, middle, prefix, suffix))
    add("FN:" + _esc_text(fn))
    if rng.random() < 0.1:
        nick = given.split("-")[0][:4] if len(given) > 4 else given
        add("NICKNAME:" + _text_list([nick]))
    if org:
        add("ORG:" + (_structured(org, department) if department else _structured(org)))
    if title:
        add("TITLE:" + _esc_text(title))
    if v4 and rng.random() < 0.5:
        add(f"GENDER:{'M' if gender == 'm' else 'F'}")

    # -- e-mails (1-3)
    group = 0
    n_mail = rng.choices((1, 2, 3), weights=(2, 5, 3))[0]
    mails: list[tuple[str, str]] = []
    if has_org:
        mails.append(("WORK", f"{person}@{domain}"))
    mails.append(
        ("HOME", f"{_ascii_slug(given)}.{rng.randint(1, 99)}@{rng.choice(HOME_MAIL_DOMAINS)}")
    )
    mails.append(
        (
            "WORK",
            f"{_ascii_slug(given)[:1]}.{_ascii_slug(family)}@"
            f"{'info-' if has_org else 'buero-'}{domain}",
        )
    )
    for k, (kind, addr) in enumerate(mails[:n_mail]):
        pref = (";PREF=1" if v4 else ",PREF") if k == 0 and n_mail > 1 else ""
        if apple and k == n_mail - 1 and n_mail > 1:
            group += 1
            add(f"item{group}.EMAIL{typ('INTERNET')}:{addr}")
            add(f"item{group}.X-ABLabel:" + _esc_text(rng.choice(ABLABELS_MAIL)))
        elif v4:
            add(f"EMAIL{typ(kind)}{pref}:{addr}")
        else:
            add(f"EMAIL{typ('INTERNET', kind)}{pref}:{addr}")

    # -- phones (1-3)
    n_tel = rng.choices((1, 2, 3), weights=(2, 5, 4))[0]
    cc, area = work_city[4], work_city[5]
    phones: list[tuple[tuple[str, ...], str]] = []
    if has_org:
        phones.append((("WORK", "VOICE"), _landline(rng, cc, area, str(rng.randint(10, 499)))))
    phones.append((("CELL",), _mobile(rng, home_city[4])))
    if has_org and rng.random() < 0.5:
        phones.append((("WORK", "FAX"), _landline(rng, cc, area, "99")))
    else:
        phones.append((("HOME", "VOICE"), _landline(rng, home_city[4], home_city[5])))
    for k, (kinds, number) in enumerate(phones[:n_tel]):
        if apple and k == 1 and n_tel > 2:
            group += 1
            add(f"item{group}.TEL:{number}")
            add(f"item{group}.X-ABLabel:" + _esc_text(rng.choice(ABLABELS_TEL)))
        else:
            add(f"TEL{typ(*kinds)}:{number}")

    # -- addresses (0-2)
    n_adr = rng.choices((0, 1, 2), weights=(1, 5, 4))[0]
    places: list[tuple[str, tuple[str, str, str, str, str, str]]] = []
    if has_org:
        places.append(("WORK", work_city))
    places.append(("HOME", home_city))
    if not has_org:
        places.append(("HOME", _pick_city(rng)))
    for kind, (city, plz, region, country, _cc, _area) in places[:n_adr]:
        street = f"{rng.choice(STREETS)} {rng.randint(1, 180)}{rng.choice(('', '', '', 'a', 'b'))}"
        ext = rng.choice(EXTENDED) if rng.random() < 0.15 else ""
        value = _structured(
            "", ext, street, city, region if rng.random() < 0.4 else "", plz, country
        )
        if apple and kind == "WORK":
            group += 1
            add(f"item{group}.ADR{typ(kind)}:{value}")
            add(f"item{group}.X-ABADR:{tld}")
        else:
            add(f"ADR{typ(kind)}:{value}")
            if not v4 and rng.random() < 0.6:
                # Outlook/Kerio also write the formatted label of the address
                label = "\n".join(x for x in (ext, street, f"{plz} {city}", country) if x)
                add(f"LABEL{typ(kind)}:" + _esc_text(label))

    # -- dates, notes, lists
    if rng.random() < 0.35:
        y, m, d = rng.randint(1945, 2003), rng.randint(1, 12), rng.randint(1, 28)
        if apple and rng.random() < 0.3:
            add(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{m:02d}-{d:02d}")
        elif v4 and rng.random() < 0.2:
            add(f"BDAY:--{m:02d}{d:02d}")
        elif v4:
            add(f"BDAY:{y:04d}{m:02d}{d:02d}")
        else:
            add(f"BDAY:{y:04d}-{m:02d}-{d:02d}")
    if rng.random() < 0.85:
        n_sent = rng.choices((1, 2, 3, 5, 8), weights=(1, 2, 3, 3, 3))[0]
        sentences = rng.sample(NOTE_SENTENCES, n_sent)
        sep = "\n" if rng.random() < 0.5 else " "
        if rng.random() < 0.55:
            history = [
                f"- {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2015, 2024)}:"
                f" {rng.choice(HISTORY)}"
                for _ in range(rng.randint(2, 7))
            ]
            sentences.append("\nHistorie:\n" + "\n".join(history))
        add("NOTE:" + _esc_text(sep.join(sentences)))
    if rng.random() < 0.6:
        add("CATEGORIES:" + _text_list(rng.sample(CATEGORIES, rng.randint(1, 3))))
    if has_org and rng.random() < 0.6:
        url = f"https://www.{domain}/{rng.choice(WEB_PATHS)}"
        if apple:
            group += 1
            add(f"item{group}.URL:{url}")
            add(f"item{group}.X-ABLabel:_$!<HomePage>!$_")
        else:
            add(f"URL{typ('WORK')}:{url}")
    if apple and rng.random() < 0.4:
        group += 1
        related = f"{rng.choice(FIRST_NAMES)[0]} {rng.choice(LAST_NAMES)}"
        add(f"item{group}.X-ABRELATEDNAMES:" + _esc_text(related))
        add(f"item{group}.X-ABLabel:" + rng.choice(ABRELATED))
    if apple and rng.random() < 0.2:
        group += 1
        add(
            f"item{group}.X-ABDATE:{rng.randint(1990, 2020)}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}"
        )
        add(f"item{group}.X-ABLabel:_$!<Anniversary>!$_")

    # -- X- properties of various writers
    if rng.random() < 0.4:
        net, pattern = rng.choice(SOCIAL)
        slug = _ascii_slug(f"{given} {family}", "-")
        add(f"X-SOCIALPROFILE;TYPE={net}:{pattern.format(slug=slug)}")
    if rng.random() < 0.15:
        add("X-PHONETIC-LAST-NAME:" + _esc_text(_ascii_slug(family, " ").title()))
    if has_org and rng.random() < 0.15:
        boss = f"{rng.choice(FIRST_NAMES)[0]} {rng.choice(LAST_NAMES)}"
        add("X-MANAGER:" + _esc_text(boss))
    if rng.random() < 0.25:
        add("X-CONTACTBOX-SOURCE:" + rng.choice(("Messe", "Website", "Empfehlung", "Import")))
    if apple:
        add(f"X-ABUID:{uid}\\:ABPerson")
    if rng.random() < 0.1:
        add("X-MS-OL-DEFAULT-POSTAL-ADDRESS:" + str(rng.randint(0, 2)))
    if rng.random() < 0.15:
        handle = _ascii_slug(f"{given} {family}", "_")
        if v4:
            add(f"IMPP;TYPE=work:xmpp:{handle}@jabber.{tld}")
        elif apple:
            add(f"IMPP;X-SERVICE-TYPE=Skype;TYPE=WORK:skype:{handle}")
        else:
            add(f"X-SKYPE:{handle}")
    if rng.random() < 0.2:
        add("X-EVOLUTION-FILE-AS:" + _esc_text(f"{family}, {given}"))
    if has_org and rng.random() < 0.2:
        add(
            "ROLE:"
            + _esc_text(
                rng.choice(
                    (
                        "Entscheider",
                        "Ansprechpartner Technik",
                        "Rechnungsempfänger",
                        "Vertretung, intern",
                    )
                )
            )
        )

    # -- photo and revision
    if photo:
        data = _photo_b64(rng)
        if v4:
            add(f"PHOTO:data:image/jpeg;base64,{data}")
        else:
            add(f"PHOTO;ENCODING=b;TYPE=JPEG:{data}")
    rev = (
        f"{rng.randint(2016, 2024)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        f"T{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}Z"
    )
    add(f"REV:{rev}" if v4 else f"REV:{rev[:4]}-{rev[4:6]}-{rev[6:11]}:{rev[11:13]}:{rev[13:]}")
    add("END:VCARD")
    return uid, "".join(fold_line(line) + CRLF for line in lines)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def generate_cards(
    n: int, *, seed: int = 0, photo_ratio: float = 0.05, version: str = "3.0"
) -> list[tuple[str, str]]:
    """``n`` deterministic ``(UID, vCard text)`` pairs; card *i* depends only on (seed, i).

    ``photo_ratio`` of the cards (exactly ``floor(n * photo_ratio)``, spread evenly) carry a
    JPEG PHOTO of about 20 KB of base64.  ``version`` is "3.0" or "4.0".
    """
    if version not in ("3.0", "4.0"):
        raise ValueError(f"version must be '3.0' or '4.0', not {version!r}")
    if n < 0:
        raise ValueError("n must not be negative")
    return [_card(i, seed, photo=_has_photo(i, photo_ratio), version=version) for i in range(n)]


def write_vcf(path: str | Path, cards: Iterable[tuple[str, str]]) -> Path:
    """Write all cards into one multi-card .vcf file (UTF-8, CRLF); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        for _uid, text in cards:
            f.write(text)
    return path
