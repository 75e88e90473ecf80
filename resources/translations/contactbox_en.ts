<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../../ui/account_dialog.py" line="117"/>
        <source>Account bearbeiten</source>
        <extracomment>The connection check, run on a worker thread with the form&apos;s fields. Whether the dialog asks how groups are written (address book accounts only).</extracomment>
        <translation>Edit account</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="117"/>
        <source>Account hinzufügen</source>
        <translation>Add account</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="136"/>
        <source>z. B. Büro Kerio</source>
        <translation>e.g. Office Kerio</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="141"/>
        <source>unverändert (leer lassen)</source>
        <translation>unchanged (leave empty)</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="144"/>
        <source>Andere</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="147"/>
        <source>z. B. mail.example.de</source>
        <translation>e.g. mail.example.com</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="150"/>
        <location filename="../../ui/account_dialog.py" line="311"/>
        <source>automatisch</source>
        <translation>automatic</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="157"/>
        <source>Bezeichnung:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="158"/>
        <source>Benutzername / E-Mail:</source>
        <translation>User name / e-mail:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="159"/>
        <source>Passwort:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="160"/>
        <source>Servertyp:</source>
        <translation>Server type:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="161"/>
        <source>Serveradresse:</source>
        <translation>Server address:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="162"/>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="163"/>
        <source>Path:</source>
        <translation>Path:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="165"/>
        <source>Gruppen schreiben als:</source>
        <translation>Write groups as:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="180"/>
        <source>Verbindungsstatus</source>
        <translation>Connection status</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="196"/>
        <source>Diesem Zertifikat vertrauen</source>
        <translation>Trust this certificate</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="199"/>
        <source>Nur ankreuzen, wenn der Fingerabdruck mit dem Zertifikat Ihres Servers übereinstimmt (fragen Sie im Zweifel Ihre IT).</source>
        <translation>Only tick this if the fingerprint matches your server&apos;s certificate (if in doubt, ask your IT department).</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="205"/>
        <source>Erneut prüfen</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="209"/>
        <source>Unverschlüsselt (http) verbinden</source>
        <translation>Connect unencrypted (http)</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="214"/>
        <source>Verbindet ohne Verschlüsselung: Passwort und Kontakte gehen lesbar durch das Netzwerk.</source>
        <translation>Connects without encryption: password and contacts cross the network readable by anyone.</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="235"/>
        <source>Speichern</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="236"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="339"/>
        <source>Unverschlüsselte Verbindung (http://): Passwort und Kontakte werden im Klartext übertragen und können im Netzwerk mitgelesen werden. Verwenden Sie nach Möglichkeit https://.</source>
        <translation>Unencrypted connection (http://): the password and contacts travel in plain text and can be read on the network. Use https:// where possible.</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="426"/>
        <source>Eine verschlüsselte Verbindung (https) zu diesem Server kam nicht zustande, aber unter {0} antwortet er unverschlüsselt. Ohne Verschlüsselung werden Ihr Passwort und Ihre Kontakte lesbar durch das Netzwerk übertragen und können unterwegs mitgelesen werden. Steht der Server in Ihrem eigenen, vertrauenswürdigen Netz, können Sie „Unverschlüsselt (http) verbinden“ wählen; sonst bitten Sie Ihren Administrator, https einzurichten.</source>
        <translation>An encrypted connection (https) to this server could not be made, but it answers unencrypted at {0}. Without encryption, your password and your contacts cross the network readable and can be read by anyone on the way. If the server is in your own, trusted network, you can choose “Connect unencrypted (http)”; otherwise ask your administrator to set up https.</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="468"/>
        <source>Bitte geben Sie Serveradresse, Benutzername und Passwort ein; die Verbindung wird dann automatisch geprüft.</source>
        <translation>Please enter the server address, user name and password; the connection is then checked automatically.</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="476"/>
        <source>Die Verbindung wird gleich geprüft …</source>
        <translation>The connection will be checked in a moment …</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="481"/>
        <source>Verbindung wird geprüft …</source>
        <translation>Checking the connection …</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="485"/>
        <source>Fingerabdruck (SHA-256) des Serverzertifikats:</source>
        <translation>Fingerprint (SHA-256) of the server certificate:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="534"/>
        <source>Nicht gespeichert: es wurde kein Passwortspeicher gewählt.</source>
        <translation>Not saved: no password store was chosen.</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="560"/>
        <source>Einen Account „{0}“ gibt es bereits.</source>
        <translation>An account “{0}” already exists.</translation>
    </message>
</context>
<context>
    <name>AddressBookSyncPage</name>
    <message>
        <location filename="../../ui/sync_page.py" line="100"/>
        <source>Konfiguration ▸ Adressbuchverwaltung ▸ Adressbuch-Synchronisierung</source>
        <translation>Configuration ▸ Address book management ▸ Address book synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="97"/>
        <source>Remote-Accounts</source>
        <translation>Remote accounts</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="109"/>
        <location filename="../../ui/sync_page.py" line="110"/>
        <source>Account hinzufügen</source>
        <translation>Add account</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="114"/>
        <location filename="../../ui/sync_page.py" line="115"/>
        <location filename="../../ui/sync_page.py" line="346"/>
        <source>Account entfernen</source>
        <translation>Remove account</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="117"/>
        <source>Bearbeiten</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="118"/>
        <source>Zugangsdaten des Accounts ändern</source>
        <translation>Change the account&apos;s credentials</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="141"/>
        <source>Import/Synchronisierung einrichten</source>
        <translation>Set up import/synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="143"/>
        <source>Ordner des Servers auswählen, die mit Contactbox abgeglichen werden</source>
        <translation>Choose the server folders that are synchronized with Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="146"/>
        <source>Frühere Berichte</source>
        <translation>Earlier reports</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="147"/>
        <source>Die Importberichte dieses Accounts ansehen</source>
        <translation>View this account&apos;s import reports</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="158"/>
        <source>Account-Status:</source>
        <translation>Account status:</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="161"/>
        <source>an</source>
        <translation>on</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="163"/>
        <source>aus</source>
        <translation>off</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="172"/>
        <source>Der Account wird regelmäßig abgeglichen</source>
        <translation>The account is synchronized regularly</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="173"/>
        <source>Der Account wird nicht abgeglichen</source>
        <translation>The account is not synchronized</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="179"/>
        <source>Importintervall:</source>
        <translation>Import interval:</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="190"/>
        <source>Wie oft dieser Account im Hintergrund abgeglichen wird</source>
        <translation>How often this account is synchronized in the background</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="203"/>
        <source>Importierte Adressbücher</source>
        <translation>Imported address books</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="212"/>
        <source>Noch keine Adressbücher. Über „Import/Synchronisierung einrichten“ wählen Sie die Ordner des Servers aus.</source>
        <translation>No address books yet. Choose the server&apos;s folders with “Set up import/synchronization”.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="225"/>
        <source>Synchronisation</source>
        <translation>Synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="226"/>
        <source>OneWay-Synchronisation</source>
        <translation>One-way synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="227"/>
        <source>Einmaliger Import</source>
        <translation>One-time import</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="241"/>
        <source>Legen Sie mit „+“ einen Remote-Account an und wählen Sie ihn aus, um Adressbücher zu synchronisieren.</source>
        <translation>Add a remote account with “+” and select it to synchronize address books.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="290"/>
        <location filename="../../ui/sync_page.py" line="368"/>
        <source>{0} (aus)</source>
        <translation>{0} (off)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="314"/>
        <location filename="../../ui/sync_page.py" line="377"/>
        <source>{0} Min.</source>
        <translation>{0} min.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="348"/>
        <source>Soll der Account „{0}“ wirklich entfernt werden?

Die Verbindung zum Server und die Einstellungen der Synchronisierung werden gelöscht. Die Kontakte in Contactbox bleiben erhalten.</source>
        <translation>Do you really want to remove the account “{0}”?

The connection to the server and the synchronization settings are deleted. The contacts in Contactbox are kept.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="474"/>
        <source>Adressbuch entfernen</source>
        <translation>Remove address book</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="476"/>
        <source>Soll das Adressbuch „{0}“ aus der Synchronisierung entfernt werden?

Es wird dann nicht mehr mit dem Server abgeglichen. Die Kontakte in Contactbox bleiben erhalten.</source>
        <translation>Remove the address book “{0}” from synchronization?

It will no longer be synchronized with the server. The contacts in Contactbox are kept.</translation>
    </message>
    <message>
        <source>noch nie</source>
        <translation>never</translation>
    </message>
    <message>
        <source>gerade eben</source>
        <translation>just now</translation>
    </message>
    <message>
        <source>vor {0} Min.</source>
        <translation>{0} min. ago</translation>
    </message>
    <message>
        <source>vor {0} Std.</source>
        <translation>{0} h ago</translation>
    </message>
    <message>
        <source>gestern</source>
        <translation>yesterday</translation>
    </message>
    <message>
        <source>vor {0} Tagen</source>
        <translation>{0} days ago</translation>
    </message>
    <message>
        <source>Dieses Adressbuch wurde noch nie abgeglichen.</source>
        <translation>This address book has never been synchronized.</translation>
    </message>
    <message>
        <source>Letzter Abgleich: {0} Uhr</source>
        <translation>Last synchronized: {0}</translation>
    </message>
    <message>
        <source>Vollständige Synchronisation (beide Richtungen)</source>
        <translation>Full synchronization (both directions)</translation>
    </message>
    <message>
        <source>OneWay-Synchronisation (Contactbox → Server)</source>
        <translation>One-way synchronization (Contactbox → server)</translation>
    </message>
    <message>
        <source>Einmaliger Import (Server → Contactbox)</source>
        <translation>One-time import (server → Contactbox)</translation>
    </message>
    <message>
        <source>Server: {0}
In Contactbox: Adressbuch „{1}“</source>
        <translation>Server: {0}
In Contactbox: address book “{1}”</translation>
    </message>
    <message>
        <source>„Neu anlegen“ leert das Adressbuch in Contactbox und importiert es neu. Das geschieht nie im Hintergrund: Klicken Sie auf „Adressbuch abgleichen“, um es jetzt auszuführen.</source>
        <translation>“Recreate” empties the address book in Contactbox and imports it again. This never happens in the background: click “Synchronize address book” to do it now.</translation>
    </message>
    <message>
        <source>„Neu anlegen“ wartet auf Ihren Start</source>
        <translation>“Recreate” waits for you to start it</translation>
    </message>
    <message>
        <source>{0} (deaktiviert)</source>
        <translation>{0} (disabled)</translation>
    </message>
    <message>
        <source>zuletzt: {0}</source>
        <translation>last: {0}</translation>
    </message>
    <message>
        <source>fehlgeschlagen</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>Adressbuch abgleichen</source>
        <translation>Synchronize address book</translation>
    </message>
    <message>
        <source>deaktivieren</source>
        <translation>disable</translation>
    </message>
    <message>
        <source>aktivieren</source>
        <translation>enable</translation>
    </message>
    <message>
        <source>Dieses Adressbuch vorerst nicht mehr abgleichen</source>
        <translation>Stop synchronizing this address book for now</translation>
    </message>
    <message>
        <source>Dieses Adressbuch wieder abgleichen</source>
        <translation>Synchronize this address book again</translation>
    </message>
    <message>
        <source>Adressbuch aus der Synchronisierung entfernen</source>
        <translation>Remove the address book from synchronization</translation>
    </message>
</context>
<context>
    <name>AgendaPage</name>
    <message>
        <location filename="../../ui/agenda_view.py" line="96"/>
        <source>Heute</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="106"/>
        <source>+ Neuer Termin</source>
        <translation>+ New appointment</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="108"/>
        <location filename="../../ui/agenda_view.py" line="392"/>
        <source>Verlauf …</source>
        <translation>History …</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="111"/>
        <source>Frühere Fassungen des ausgewählten Termins anzeigen und wiederherstellen</source>
        <translation>Show and restore earlier versions of the selected appointment</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="113"/>
        <source>Papierkorb …</source>
        <translation>Trash …</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="116"/>
        <source>Gelöschte Termine anzeigen, wiederherstellen oder endgültig löschen</source>
        <translation>Show, restore or permanently delete deleted appointments</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="122"/>
        <source>Tag</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="123"/>
        <source>Woche</source>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="124"/>
        <source>Liste</source>
        <translation>List</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="161"/>
        <location filename="../../ui/agenda_view.py" line="396"/>
        <source>Löschen</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="281"/>
        <source>Serie bearbeiten – „{0}“</source>
        <translation>Edit series – “{0}”</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="284"/>
        <source>Dieser Termin gehört zu einer Serie. Änderungen gelten für die ganze Serie; Beginn und Ende sind die des ersten Termins der Serie.</source>
        <translation>This appointment is part of a series. Changes apply to the whole series; start and end are those of the first appointment of the series.</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="317"/>
        <source>Die Serie „{0}“ wurde mit allen ihren Terminen in den Papierkorb verschoben.</source>
        <translation>The series “{0}” with all its appointments was moved to the trash.</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="320"/>
        <source>Der Termin „{0}“ am {1} wurde in den Papierkorb verschoben.</source>
        <translation>The appointment “{0}” on {1} was moved to the trash.</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="396"/>
        <source>Serie löschen</source>
        <translation>Delete series</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="388"/>
        <source>Serie bearbeiten …</source>
        <translation>Edit series …</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="388"/>
        <source>Bearbeiten …</source>
        <translation>Edit …</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="403"/>
        <source>Neuer Termin …</source>
        <translation>New appointment …</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_view.py" line="427"/>
        <source>Contactbox</source>
        <translation>Contactbox</translation>
    </message>
</context>
<context>
    <name>AgendaView</name>
    <message>
        <source>Montag</source>
        <translation>Monday</translation>
    </message>
    <message>
        <source>Dienstag</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <source>Mittwoch</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <source>Donnerstag</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <source>Freitag</source>
        <translation>Friday</translation>
    </message>
    <message>
        <source>Samstag</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <source>Sonntag</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <source>Mo</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>Di</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>Mi</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>Do</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>Fr</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>Sa</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>So</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>ganztägig</source>
        <translation>all day</translation>
    </message>
    <message>
        <source>KW {0} · {1}, {2}</source>
        <translation>Wk {0} · {1}, {2}</translation>
    </message>
    <message>
        <source>ganztg.</source>
        <translation>all day</translation>
    </message>
    <message>
        <source>KW {0} · {1}</source>
        <translation>Wk {0} · {1}</translation>
    </message>
    <message>
        <source>bis {0}</source>
        <translation>until {0}</translation>
    </message>
    <message>
        <source>ab {0}</source>
        <translation>from {0}</translation>
    </message>
    <message>
        <source>{0}{1} (ganztägig)</source>
        <translation>{0}{1} (all day)</translation>
    </message>
    <message>
        <source>Serientermin</source>
        <translation>Recurring appointment</translation>
    </message>
    <message>
        <source>Zeit</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Betreff</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>Ort / Kontakt</source>
        <translation>Location / contact</translation>
    </message>
    <message>
        <source> (verschoben)</source>
        <translation> (rescheduled)</translation>
    </message>
    <message>
        <source>Keine Termine in diesem Zeitraum.</source>
        <translation>No appointments in this period.</translation>
    </message>
    <message>
        <source>Heute · {0}</source>
        <translation>Today · {0}</translation>
    </message>
</context>
<context>
    <name>AgendaWidgets</name>
    <message>
        <source>heute</source>
        <translation>today</translation>
    </message>
    <message>
        <source>gestern</source>
        <translation>yesterday</translation>
    </message>
    <message>
        <source>{0} (ganztägig)</source>
        <translation>{0} (all day)</translation>
    </message>
</context>
<context>
    <name>AppOptions</name>
    <message>
        <location filename="../../ui/app.py" line="92"/>
        <source>Datenverzeichnis (sonst $CONTACTBOX_HOME bzw. Standard)</source>
        <translation>Data directory (else $CONTACTBOX_HOME or the default)</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="98"/>
        <source>Sprache für diesen Start (sonst die unter Konfiguration ▸ Sprache gespeicherte); gilt für das Fenster und die Texte des Programmkerns</source>
        <translation>Language for this start (else the one saved under Configuration ▸ Language); for the window and the texts of the core</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="106"/>
        <source>Version anzeigen und beenden</source>
        <translation>Show the version and exit</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="110"/>
        <source>Installation prüfen (Fenster unsichtbar, Übersetzung, Symbole, Datenbank, Schlüsselbund); Exit-Code 0, wenn alles geht</source>
        <translation>Check the installation (window hidden, translation, icons, database, keyring); exit code 0 if everything works</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="118"/>
        <source>Im Infobereich starten, ohne Fenster (für den Autostart)</source>
        <translation>Start in the notification area, without a window (for autostart)</translation>
    </message>
</context>
<context>
    <name>AppointmentDialog</name>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="49"/>
        <source>Termin bearbeiten</source>
        <translation>Edit appointment</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="49"/>
        <source>Neuer Termin</source>
        <translation>New appointment</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="55"/>
        <source>z. B. Beratungsgespräch</source>
        <translation>e.g. Consultation</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="63"/>
        <source>Ganztägig</source>
        <translation>All day</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="71"/>
        <source>Betreff:</source>
        <translation>Subject:</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="72"/>
        <source>Beginn:</source>
        <translation>Start:</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="73"/>
        <source>Ende:</source>
        <translation>End:</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="75"/>
        <source>Ort:</source>
        <translation>Location:</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="76"/>
        <source>Notizen:</source>
        <translation>Notes:</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="77"/>
        <source>Speichern</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_dialog.py" line="77"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>AppointmentHistoryDialog</name>
    <message>
        <location filename="../../ui/history_dialog.py" line="364"/>
        <source>Der Termin liegt im Papierkorb. Stellen Sie ihn zuerst wieder her (Termine ▸ Agenda ▸ Papierkorb …), um eine frühere Fassung zu übernehmen.</source>
        <translation>The appointment is in the trash. Restore it first (Appointments ▸ Agenda ▸ Trash …) to take over an earlier version.</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="368"/>
        <source>Für diesen Termin gibt es noch keine früheren Fassungen. Sie entstehen, wenn Sie ihn bearbeiten, der Server ihn ändert oder ein Konflikt entschieden wird.</source>
        <translation>There are no earlier versions of this appointment yet. They are created when you edit it, the server changes it or a conflict is decided.</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="371"/>
        <source>iCalendar anzeigen</source>
        <translation>Show iCalendar</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="373"/>
        <source>Die Fassung vom {date} wird zur aktuellen Fassung des Termins und beim nächsten Abgleich auf den Server übertragen. Die jetzige Fassung bleibt im Verlauf erhalten.

Fortfahren?</source>
        <translation>The version of {date} becomes the appointment&apos;s current version and is sent to the server with the next sync. The current version stays in the history.

Continue?</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="377"/>
        <source>(ohne Betreff)</source>
        <translation>(no subject)</translation>
    </message>
</context>
<context>
    <name>AppointmentTrashDialog</name>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="63"/>
        <source>Papierkorb: Termine von {0}</source>
        <translation>Trash: appointments of {0}</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="68"/>
        <source>Gelöschte Termine bleiben hier, bis Sie den Papierkorb leeren. Ein wiederhergestellter Termin erscheint wieder in der Agenda; der nächste Kalenderabgleich überträgt ihn wieder auf den Server.</source>
        <translation>Deleted appointments stay here until you empty the trash. A restored appointment appears in the agenda again; the next calendar sync sends it to the server again.</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="80"/>
        <source>Termin</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="81"/>
        <source>Zeit</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="82"/>
        <source>Gelöscht am</source>
        <translation>Deleted on</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="83"/>
        <source>Gelöscht von</source>
        <translation>Deleted by</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="84"/>
        <source>Stand</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="99"/>
        <source>Der Papierkorb ist leer.</source>
        <translation>The trash is empty.</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="108"/>
        <source>Wiederherstellen</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="111"/>
        <source>Ausgewählte Termine aus dem Papierkorb zurückholen</source>
        <translation>Bring the selected appointments back from the trash</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="114"/>
        <source>Verlauf …</source>
        <translation>History …</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="117"/>
        <location filename="../../ui/appointment_trash_dialog.py" line="258"/>
        <source>Papierkorb leeren</source>
        <translation>Empty trash</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="119"/>
        <source>Alle Termine im Papierkorb endgültig löschen</source>
        <translation>Permanently delete all appointments in the trash</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="121"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="150"/>
        <source>(ohne Betreff)</source>
        <translation>(no subject)</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="153"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="153"/>
        <source>Contactbox</source>
        <translation>Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="169"/>
        <source>wird beim nächsten Abgleich auch auf dem Server gelöscht</source>
        <translation>will also be deleted on the server with the next sync</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="170"/>
        <source>auch auf dem Server gelöscht</source>
        <translation>also deleted on the server</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="171"/>
        <source>war nie auf dem Server</source>
        <translation>was never on the server</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="172"/>
        <source>vom Abgleich in den Papierkorb gelegt</source>
        <translation>moved to the trash by the sync</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="173"/>
        <source>kein Kalenderabgleich eingerichtet</source>
        <translation>no calendar sync set up</translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="182"/>
        <source>Serie ab </source>
        <translation>Series from </translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="187"/>
        <source> (ganztägig)</source>
        <translation> (all day)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/appointment_trash_dialog.py" line="231"/>
        <source>%n Termin(e) wiederhergestellt. Der nächste Kalenderabgleich überträgt sie wieder auf den Server.</source>
        <translation>
            <numerusform>%n appointment restored. The next calendar sync sends it to the server again.</numerusform>
            <numerusform>%n appointments restored. The next calendar sync sends them to the server again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/appointment_trash_dialog.py" line="260"/>
        <source>Alle %n Termin(e) im Papierkorb endgültig löschen? Das lässt sich nicht rückgängig machen. Der Abgleich holt sie auch später nicht vom Server zurück.

Papierkorb leeren?</source>
        <translation>
            <numerusform>Permanently delete %n appointment in the trash? This cannot be undone. The sync will not bring it back from the server later either.

Empty the trash?</numerusform>
            <numerusform>Permanently delete all %n appointments in the trash? This cannot be undone. The sync will not bring them back from the server later either.

Empty the trash?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/appointment_trash_dialog.py" line="270"/>
        <source>%n Termin(e) endgültig gelöscht.</source>
        <translation>
            <numerusform>%n appointment permanently deleted.</numerusform>
            <numerusform>%n appointments permanently deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/appointment_trash_dialog.py" line="273"/>
        <source>%n Termin(e) bleiben im Papierkorb, bis der nächste Kalenderabgleich sie auch auf dem Server gelöscht hat; leeren Sie ihn danach noch einmal.</source>
        <translation>
            <numerusform>%n appointment stays in the trash until the next calendar sync has deleted it on the server too; empty the trash again afterwards.</numerusform>
            <numerusform>%n appointments stay in the trash until the next calendar sync has deleted them on the server too; empty it again afterwards.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/appointment_trash_dialog.py" line="240"/>
        <source>Wiederherstellen nicht möglich</source>
        <translation>Cannot restore</translation>
    </message>
</context>
<context>
    <name>Autostart</name>
    <message>
        <source>Beim &amp;Anmelden starten</source>
        <translation>Start at &amp;login</translation>
    </message>
    <message>
        <source>Contactbox Sync beim Anmelden im Infobereich starten und im Hintergrund abgleichen</source>
        <translation>Start Contactbox Sync in the notification area at login and synchronize in the background</translation>
    </message>
    <message>
        <source>Der Autostart-Eintrag konnte nicht gespeichert werden.</source>
        <translation>The autostart entry could not be saved.</translation>
    </message>
    <message>
        <source>Beim Anmelden starten</source>
        <translation>Start at login</translation>
    </message>
    <message>
        <source>Der Autostart-Eintrag konnte nicht geändert werden:</source>
        <translation>The autostart entry could not be changed:</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <location filename="../../ui/backup_dialog.py" line="124"/>
        <location filename="../../ui/backup_dialog.py" line="224"/>
        <source>Datensicherung</source>
        <translation>Backups</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="133"/>
        <source>Contactbox Sync sichert die Datenbank automatisch vor jedem „Neu anlegen“ und vor jeder Aktualisierung der Datenbank. Hier können Sie zusätzlich sichern, eine Sicherung wiederherstellen oder löschen.
Ablage: {0}</source>
        <translation>Contactbox Sync backs up the database automatically before every “Recreate” and before every database upgrade. Here you can also back up now, restore a backup or delete one.
Location: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="145"/>
        <source>Datum</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="145"/>
        <source>Anlass</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="145"/>
        <source>Größe</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="157"/>
        <source>Jetzt &amp;sichern</source>
        <translation>&amp;Back up now</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="160"/>
        <source>&amp;Wiederherstellen…</source>
        <translation>&amp;Restore…</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="163"/>
        <source>&amp;Löschen</source>
        <translation>&amp;Delete</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="240"/>
        <location filename="../../ui/backup_dialog.py" line="270"/>
        <location filename="../../ui/backup_dialog.py" line="293"/>
        <location filename="../../ui/backup_dialog.py" line="306"/>
        <source>Wiederherstellen</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="242"/>
        <source>Gerade läuft eine Synchronisation oder eine andere Aufgabe im Hintergrund. Bitte warten Sie, bis sie beendet ist, und versuchen Sie es dann erneut.</source>
        <translation>A sync or another task is running in the background. Please wait until it has finished and try again.</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="250"/>
        <source>Sicherung wiederherstellen?</source>
        <translation>Restore backup?</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="252"/>
        <source>Alle Kontakte, Termine, Accounts und Einstellungen werden auf den Stand vom {0} zurückgesetzt ({1}).

Der jetzige Stand wird vorher als Sicherung „Vor einer Wiederherstellung“ aufbewahrt, Sie können also zurück.

Jetzt wiederherstellen?</source>
        <translation>All contacts, appointments, accounts and settings are reset to the state of {0} ({1}).

The current state is kept first as the backup “Before a restore”, so you can go back.

Restore now?</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="267"/>
        <source>Die Sicherung wird wiederhergestellt …</source>
        <translation>Restoring the backup …</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="300"/>
        <source>Der Stand vom {0} ist wiederhergestellt.</source>
        <translation>The state of {0} has been restored.</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="303"/>
        <source>„Neu anlegen“ wird nicht wiederholt: {0} gleicht wieder normal ab (Synchronisation · Server).</source>
        <translation>“Recreate” is not repeated: {0} syncs normally again (Synchronise · Server).</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="315"/>
        <source>Sicherung löschen?</source>
        <translation>Delete backup?</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="316"/>
        <source>Die Sicherung vom {0} ({1}) wird endgültig gelöscht.</source>
        <translation>The backup of {0} ({1}) will be deleted permanently.</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="327"/>
        <source>Sicherung löschen</source>
        <translation>Delete backup</translation>
    </message>
    <message>
        <source>Manuell gesichert</source>
        <translation>Backed up manually</translation>
    </message>
    <message>
        <source>Vor „Neu anlegen“</source>
        <translation>Before “Recreate”</translation>
    </message>
    <message>
        <source>Vor einer Wiederherstellung</source>
        <translation>Before a restore</translation>
    </message>
    <message>
        <source>{0} KB</source>
        <translation>{0} KB</translation>
    </message>
    <message>
        <source>{0} MB</source>
        <translation>{0} MB</translation>
    </message>
    <message>
        <source>Vor der Aktualisierung der Datenbank (Version {0})</source>
        <translation>Before the database upgrade (version {0})</translation>
    </message>
    <message>
        <source>Die Datenbank ist beschädigt</source>
        <translation>The database is damaged</translation>
    </message>
</context>
<context>
    <name>BookNameDialog</name>
    <message>
        <location filename="../../ui/book_dialogs.py" line="64"/>
        <source>Neues Adressbuch</source>
        <translation>New address book</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="65"/>
        <source>Name des neuen Adressbuchs:</source>
        <translation>Name of the new address book:</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="67"/>
        <source>Adressbuch umbenennen</source>
        <translation>Rename address book</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="68"/>
        <source>Neuer Name für das Adressbuch „{name}“:</source>
        <translation>New name for the address book “{name}”:</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="76"/>
        <source>Anlegen</source>
        <translation>Create</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="76"/>
        <source>Umbenennen</source>
        <translation>Rename</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="77"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CalendarAccountDialog</name>
    <message>
        <location filename="../../ui/calendar_account_dialog.py" line="53"/>
        <source>Kalender-Account hinzufügen – {0}</source>
        <translation>Add calendar account – {0}</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_account_dialog.py" line="58"/>
        <source>Kalender-Account bearbeiten – {0}</source>
        <translation>Edit calendar account – {0}</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_account_dialog.py" line="67"/>
        <source>Kalender des Benutzers „{0}“</source>
        <translation>Calendar of the user “{0}”</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_account_dialog.py" line="73"/>
        <source>Port und Path leer lassen: Contactbox findet die Kalender dann selbst. Das Passwort wird im Schlüsselbund des Systems gespeichert.</source>
        <translation>Leave port and path empty: Contactbox then finds the calendars by itself. The password is stored in the system keyring.</translation>
    </message>
</context>
<context>
    <name>CalendarSyncTab</name>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="88"/>
        <source>Kalender-Account</source>
        <translation>Calendar account</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="98"/>
        <source>Für diesen Benutzer ist noch kein Kalender-Account eingerichtet. Mit „Account hinzufügen“ verbinden Sie Contactbox mit dem Kalender des Benutzers auf dem Groupware-Server.</source>
        <translation>No calendar account has been set up for this user yet. With “Add account” you connect Contactbox to the user&apos;s calendar on the groupware server.</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="106"/>
        <source>Account hinzufügen</source>
        <translation>Add account</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="108"/>
        <source>Bearbeiten</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="109"/>
        <source>Zugangsdaten des Kalender-Accounts ändern</source>
        <translation>Change the calendar account&apos;s credentials</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="111"/>
        <source>Entfernen</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="112"/>
        <source>Den Kalender-Account dieses Benutzers entfernen</source>
        <translation>Remove this user&apos;s calendar account</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="123"/>
        <source>Abgeglichener Kalender</source>
        <translation>Synchronized calendar</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="134"/>
        <source>Vollständige Synchronisation (beide Richtungen)</source>
        <translation>Full synchronization (both directions)</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="148"/>
        <source>Jetzt synchronisieren</source>
        <translation>Synchronize now</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="150"/>
        <source>Die Termine dieses Benutzers jetzt mit dem Kalender abgleichen</source>
        <translation>Synchronize this user&apos;s appointments with the calendar now</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="156"/>
        <location filename="../../ui/calendar_sync_tab.py" line="310"/>
        <source>deaktivieren</source>
        <translation>disable</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="163"/>
        <source>Kalender nicht mehr abgleichen</source>
        <translation>Stop synchronizing the calendar</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="164"/>
        <source>Kalender entfernen</source>
        <translation>Remove calendar</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="172"/>
        <source>Bei Konflikten gilt:</source>
        <translation>In a conflict, keep:</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="177"/>
        <source>die Version des Servers</source>
        <translation>the server&apos;s version</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="178"/>
        <source>die Version aus Contactbox</source>
        <translation>the version in Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="181"/>
        <source>Wurde ein Termin seit dem letzten Abgleich auf beiden Seiten geändert, gewinnt diese Seite; die andere Version bleibt im Verlauf des Termins.</source>
        <translation>If an appointment was changed on both sides since the last synchronization, this side wins; the other version stays in the appointment&apos;s history.</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="202"/>
        <source>Kalender wählen:</source>
        <translation>Choose calendar:</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="208"/>
        <source>Übernehmen</source>
        <translation>Apply</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="210"/>
        <source>Die Termine dieses Benutzers mit dem gewählten Kalender abgleichen</source>
        <translation>Synchronize this user&apos;s appointments with the chosen calendar</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="214"/>
        <source>Liste aktualisieren</source>
        <translation>Refresh list</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="215"/>
        <source>Die Kalender erneut vom Server holen</source>
        <translation>Fetch the calendars from the server again</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="222"/>
        <source>Die Termine des Benutzers werden in beiden Richtungen mit diesem einen Kalender abgeglichen; andere Benutzer sehen sie nicht.</source>
        <translation>The user&apos;s appointments are synchronized in both directions with this one calendar; other users do not see them.</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="264"/>
        <source>Einen Kalender-Account für diesen Benutzer einrichten</source>
        <translation>Set up a calendar account for this user</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="267"/>
        <source>Jeder Benutzer gleicht mit einem Kalender ab: bearbeiten oder entfernen Sie den vorhandenen Account.</source>
        <translation>Each user synchronizes with one calendar: edit or remove the existing account.</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="294"/>
        <source>Noch kein Kalender gewählt: wählen Sie unten einen Kalender aus.</source>
        <translation>No calendar chosen yet: choose a calendar below.</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="301"/>
        <source>{0} (deaktiviert)</source>
        <translation>{0} (disabled)</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="305"/>
        <source>Server: {0}</source>
        <translation>Server: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="307"/>
        <source>zuletzt: {0}</source>
        <translation>last: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="310"/>
        <source>aktivieren</source>
        <translation>enable</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="313"/>
        <source>Diesen Kalender vorerst nicht mehr abgleichen</source>
        <translation>Stop synchronizing this calendar for now</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="315"/>
        <source>Diesen Kalender wieder abgleichen</source>
        <translation>Synchronize this calendar again</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="320"/>
        <source>Der Kalender wird abgeglichen …</source>
        <translation>Synchronizing the calendar …</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="323"/>
        <source>Dieser Kalender wurde noch nie abgeglichen.</source>
        <translation>This calendar has never been synchronized.</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="328"/>
        <source>Letzter Abgleich: {0} Uhr – {1}</source>
        <translation>Last synchronized: {0} – {1}</translation>
    </message>
    <message>
        <source>{0} (nur lesen)</source>
        <translation>{0} (read-only)</translation>
    </message>
    <message>
        <source>{0}
Der Server erlaubt diesem Account nur das Lesen: Termine aus Contactbox können dort nicht gespeichert werden.</source>
        <translation>{0}
The server lets this account only read it: appointments from Contactbox cannot be stored there.</translation>
    </message>
    <message>
        <source>Neuen Kalender anlegen …</source>
        <translation>Create a new calendar …</translation>
    </message>
    <message>
        <source>Kalender werden geladen …</source>
        <translation>Loading calendars …</translation>
    </message>
    <message>
        <source>Die Kalender konnten nicht geladen werden: {0}</source>
        <translation>The calendars could not be loaded: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="376"/>
        <source>Kalender-Account entfernen</source>
        <translation>Remove calendar account</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="378"/>
        <source>Soll der Kalender-Account „{0}“ wirklich entfernt werden?

Die Termine werden dann nicht mehr mit dem Server abgeglichen. Die Termine in Contactbox und der Kalender auf dem Server bleiben erhalten.</source>
        <translation>Do you really want to remove the calendar account “{0}”?

The appointments will then no longer be synchronized with the server. The appointments in Contactbox and the calendar on the server are kept.</translation>
    </message>
    <message>
        <source>Neuen Kalender anlegen</source>
        <translation>Create a new calendar</translation>
    </message>
    <message>
        <source>Name des neuen Kalenders auf dem Server:</source>
        <translation>Name of the new calendar on the server:</translation>
    </message>
    <message>
        <source>Contactbox {0}</source>
        <translation>Contactbox {0}</translation>
    </message>
    <message>
        <source>Der Kalender konnte nicht angelegt werden: {0}</source>
        <translation>The calendar could not be created: {0}</translation>
    </message>
    <message>
        <source>Kalender wechseln</source>
        <translation>Change calendar</translation>
    </message>
    <message>
        <source>Die Termine gleichen bisher mit dem Kalender „{0}“ ab. Künftig mit „{1}“ abgleichen?

Die Termine werden dann beim nächsten Abgleich neu zugeordnet; nichts wird gelöscht.</source>
        <translation>The appointments are currently synchronized with the calendar “{0}”. Synchronize them with “{1}” from now on?

The appointments are then reassigned at the next synchronization; nothing is deleted.</translation>
    </message>
    <message>
        <source>Kalender wählen</source>
        <translation>Choose calendar</translation>
    </message>
    <message>
        <source>Soll der Kalender „{0}“ nicht mehr abgeglichen werden?

Die Termine in Contactbox und der Kalender auf dem Server bleiben erhalten.</source>
        <translation>Stop synchronizing the calendar “{0}”?

The appointments in Contactbox and the calendar on the server are kept.</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_sync_tab.py" line="443"/>
        <source>Der Abgleich ist fehlgeschlagen: {0}</source>
        <translation>The synchronization failed: {0}</translation>
    </message>
</context>
<context>
    <name>CheckDialog</name>
    <message>
        <location filename="../../ui/check_dialog.py" line="49"/>
        <source>Ausgewählte Ordner prüfen</source>
        <translation>Check selected folders</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="53"/>
        <source>Prüfung – Account „{account}“</source>
        <translation>Check – account “{account}”</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="57"/>
        <source>Vorgang: {mode}</source>
        <translation>Operation: {mode}</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="69"/>
        <source>Einzelne Änderungen ({n})</source>
        <translation>Single changes ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="96"/>
        <source>Es wurde nichts geändert. Hinweis: In Contactbox gelöschte Kontakte werden bei einem erneuten Import nicht wieder angelegt; Sie können sie aus dem Papierkorb wiederherstellen.</source>
        <translation>Nothing was changed. Note: contacts deleted in Contactbox are not created again by another import; you can restore them from the trash.</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="107"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="116"/>
        <source>Server-Status: &lt;b style=&apos;color:#b00020&apos;&gt;nicht erreichbar&lt;/b&gt; – {msg}</source>
        <translation>Server status: &lt;b style=&apos;color:#b00020&apos;&gt;not reachable&lt;/b&gt; – {msg}</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="121"/>
        <source>Server-Status: &lt;b style=&apos;color:#b26a00&apos;&gt;erreichbar, mit Fehlern&lt;/b&gt; – {msg}</source>
        <translation>Server status: &lt;b style=&apos;color:#b26a00&apos;&gt;reachable, with errors&lt;/b&gt; – {msg}</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="124"/>
        <source>Server-Status: &lt;b style=&apos;color:#2e7d32&apos;&gt;erreichbar&lt;/b&gt;, Anmeldung in Ordnung.</source>
        <translation>Server status: &lt;b style=&apos;color:#2e7d32&apos;&gt;reachable&lt;/b&gt;, login OK.</translation>
    </message>
    <message>
        <source>Kontakte auf dem Server</source>
        <translation>Contacts on the server</translation>
    </message>
    <message>
        <source>Kontakte in Contactbox</source>
        <translation>Contacts in Contactbox</translation>
    </message>
    <message>
        <source>Neu in Contactbox</source>
        <translation>New in Contactbox</translation>
    </message>
    <message>
        <source>In Contactbox aktualisiert</source>
        <translation>Updated in Contactbox</translation>
    </message>
    <message>
        <source>In Contactbox gelöscht (Papierkorb)</source>
        <translation>Deleted in Contactbox (trash)</translation>
    </message>
    <message>
        <source>Neu auf dem Server</source>
        <translation>New on the server</translation>
    </message>
    <message>
        <source>Auf dem Server aktualisiert</source>
        <translation>Updated on the server</translation>
    </message>
    <message>
        <source>Auf dem Server gelöscht</source>
        <translation>Deleted on the server</translation>
    </message>
    <message>
        <source>Konflikte</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Zusammengeführt</source>
        <translation>Merged</translation>
    </message>
    <message>
        <source>Übersprungen (in Contactbox gelöscht)</source>
        <translation>Skipped (deleted in Contactbox)</translation>
    </message>
    <message>
        <source>Nur auf dem Server (unberührt)</source>
        <translation>Only on the server (left alone)</translation>
    </message>
    <message>
        <source>Gruppen auf dem Server</source>
        <translation>Groups on the server</translation>
    </message>
    <message>
        <source>Gruppen in Contactbox</source>
        <translation>Groups in Contactbox</translation>
    </message>
    <message>
        <source>Gruppen geändert</source>
        <translation>Groups changed</translation>
    </message>
</context>
<context>
    <name>ContactAgendaWidget</name>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="80"/>
        <source>Wann</source>
        <translation>When</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="80"/>
        <source>Betreff</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="81"/>
        <location filename="../../ui/agenda_widgets.py" line="87"/>
        <source>Neu …</source>
        <translation>New …</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="83"/>
        <location filename="../../ui/agenda_widgets.py" line="88"/>
        <source>Bearbeiten …</source>
        <translation>Edit …</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="85"/>
        <location filename="../../ui/agenda_widgets.py" line="90"/>
        <source>Löschen</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="86"/>
        <source>Fällig</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="86"/>
        <source>Titel</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="89"/>
        <location filename="../../ui/agenda_widgets.py" line="214"/>
        <source>Erledigt</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="101"/>
        <source>Termine</source>
        <translation>Appointments</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="111"/>
        <source>Wiedervorlagen</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="214"/>
        <source>Wieder öffnen</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="227"/>
        <source>Contactbox</source>
        <translation>Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="289"/>
        <source>Der Termin „{0}“ wurde in den Papierkorb verschoben.</source>
        <translation>The appointment “{0}” was moved to the trash.</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="333"/>
        <source>Wiedervorlage löschen</source>
        <translation>Delete follow-up</translation>
    </message>
    <message>
        <location filename="../../ui/agenda_widgets.py" line="334"/>
        <source>Die Wiedervorlage „{0}“ löschen?</source>
        <translation>Delete the follow-up “{0}”?</translation>
    </message>
</context>
<context>
    <name>ContactDetailDialog</name>
    <message>
        <location filename="../../ui/contact_detail.py" line="29"/>
        <source>Kontakt: {0}</source>
        <translation>Contact: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/contact_detail.py" line="32"/>
        <source>(ohne Namen)</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <location filename="../../ui/contact_detail.py" line="39"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_detail.py" line="40"/>
        <source>E-Mail:</source>
        <translation>Email:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_detail.py" line="41"/>
        <source>Telefon:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_detail.py" line="42"/>
        <source>Organisation:</source>
        <translation>Organization:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_detail.py" line="49"/>
        <source>Dieser Kontakt liegt im Papierkorb.</source>
        <translation>This contact is in the trash.</translation>
    </message>
    <message>
        <location filename="../../ui/contact_detail.py" line="53"/>
        <source>vCard:</source>
        <translation>vCard:</translation>
    </message>
</context>
<context>
    <name>ContactEditorDialog</name>
    <message>
        <location filename="../../ui/contact_editor.py" line="123"/>
        <source>Neuer Kontakt</source>
        <translation>New contact</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="123"/>
        <source>Kontakt bearbeiten</source>
        <translation>Edit contact</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="162"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="166"/>
        <source>z. B. Frau Dr.</source>
        <translation>e.g. Dr.</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="170"/>
        <source>z. B. jun.</source>
        <translation>e.g. Jr.</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="173"/>
        <source>Leer lassen, um den Namen automatisch aus den Feldern oben zu bilden.</source>
        <translation>Leave empty to build the name automatically from the fields above.</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="175"/>
        <source>Anrede/Titel:</source>
        <translation>Prefix/title:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="176"/>
        <source>Vorname:</source>
        <translation>First name:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="177"/>
        <source>Weitere Vornamen:</source>
        <translation>Middle names:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="178"/>
        <source>Nachname:</source>
        <translation>Last name:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="179"/>
        <source>Namenszusatz:</source>
        <translation>Suffix:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="180"/>
        <source>Anzeigename:</source>
        <translation>Display name:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="187"/>
        <source>Firma</source>
        <translation>Company</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="191"/>
        <source>z. B. Einkaufsleiterin</source>
        <translation>e.g. Purchasing manager</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="192"/>
        <source>Organisation:</source>
        <translation>Organization:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="193"/>
        <source>Abteilung:</source>
        <translation>Department:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="194"/>
        <source>Position:</source>
        <translation>Job title:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="199"/>
        <source>E-Mail</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="199"/>
        <source>+ E-Mail</source>
        <translation>+ Email</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="202"/>
        <source>Telefon</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="202"/>
        <source>+ Telefon</source>
        <translation>+ Phone</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="206"/>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="208"/>
        <source>+ Adresse</source>
        <translation>+ Address</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="214"/>
        <source>Weitere Angaben</source>
        <translation>Other details</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="219"/>
        <source>z. B. {0} oder ohne Jahr {1}</source>
        <translation>e.g. {0}, or {1} without the year</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="443"/>
        <source>TT</source>
        <translation>DD</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="443"/>
        <source>MM</source>
        <translation>MM</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="443"/>
        <source>JJJJ</source>
        <translation>YYYY</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="543"/>
        <source>„{0}“ ist kein gültiges Datum. Bitte geben Sie den Geburtstag als {1} ein (z. B. {2}) oder ohne Jahr als {3} (z. B. {4}).</source>
        <translation>“{0}” is not a valid date. Please enter the birthday as {1} (e.g. {2}), or without the year as {3} (e.g. {4}).</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="226"/>
        <source>durch Komma getrennt, z. B. Kunde, Lieferant</source>
        <translation>separated by commas, e.g. Customer, Supplier</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="228"/>
        <source>z. B. https://www.firma.de</source>
        <translation>e.g. https://www.company.com</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="233"/>
        <source>Geburtstag:</source>
        <translation>Birthday:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="234"/>
        <source>Kategorien:</source>
        <translation>Categories:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="235"/>
        <source>Webseite:</source>
        <translation>Website:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="236"/>
        <source>Notizen:</source>
        <translation>Notes:</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="255"/>
        <source>Speichern</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="259"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="292"/>
        <source>Änderungen bleiben in Contactbox – dieses Adressbuch wird nur einmalig importiert</source>
        <translation>Changes stay in Contactbox – this address book is only imported once</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="296"/>
        <source>Änderungen bleiben in Contactbox – der Server erlaubt für dieses Adressbuch nur das Lesen</source>
        <translation>Changes stay in Contactbox – the server allows only reading this address book</translation>
    </message>
    <message>
        <source>Klicken, um ein Foto zu wählen</source>
        <translation>Click to choose a photo</translation>
    </message>
    <message>
        <source>Foto</source>
        <translation>Photo</translation>
    </message>
    <message>
        <source>Foto wählen …</source>
        <translation>Choose photo …</translation>
    </message>
    <message>
        <source>Foto entfernen</source>
        <translation>Remove photo</translation>
    </message>
    <message>
        <source>Arbeit</source>
        <translation>Work</translation>
    </message>
    <message>
        <source>Privat</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>Mobil</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>Fax</source>
        <translation>Fax</translation>
    </message>
    <message>
        <source>Pager</source>
        <translation>Pager</translation>
    </message>
    <message>
        <source>Andere</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Fax Arbeit</source>
        <translation>Work fax</translation>
    </message>
    <message>
        <source>Fax privat</source>
        <translation>Home fax</translation>
    </message>
    <message>
        <source>E-Mail-Adresse entfernen</source>
        <translation>Remove email address</translation>
    </message>
    <message>
        <source>„{0}“ ist eine Gruppe, kein Kontakt, und wird hier nicht bearbeitet. Gruppen benennen Sie in der Liste links um, löschen sie dort oder ändern ihre Mitglieder.</source>
        <translation>“{0}” is a group, not a contact, and is not edited here. Rename or delete groups and change their members in the list on the left.</translation>
    </message>
    <message>
        <source>Gruppe suchen …</source>
        <translation>Search groups …</translation>
    </message>
    <message>
        <source>Gruppe suchen</source>
        <translation>Search groups</translation>
    </message>
    <message>
        <source>Gruppen</source>
        <translation>Groups</translation>
    </message>
    <message>
        <source>Leertaste oder Klick: Gruppe an- oder abwählen</source>
        <translation>Space or click: add to or remove from the group</translation>
    </message>
    <message>
        <source>Keine Gruppen — neue Gruppen legen Sie in der Liste links an</source>
        <translation>No groups — create new groups in the list on the left</translation>
    </message>
    <message>
        <source>Gruppen:</source>
        <translation>Groups:</translation>
    </message>
    <message>
        <source>Keine Gruppe ausgewählt</source>
        <translation>No group selected</translation>
    </message>
    <message>
        <source>Gruppen gespeichert</source>
        <translation>Groups saved</translation>
    </message>
    <message>
        <source>Gruppen nicht gespeichert</source>
        <translation>Groups not saved</translation>
    </message>
    <message>
        <source>Ausgewählt: {0}</source>
        <translation>Selected: {0}</translation>
    </message>
    <message>
        <source>Diese Gruppen gibt es inzwischen nicht mehr; der Kontakt wurde ihnen nicht zugeordnet: {0}</source>
        <translation>These groups no longer exist; the contact was not added to them: {0}</translation>
    </message>
    <message>
        <source>name@firma.de</source>
        <translation>name@company.com</translation>
    </message>
    <message>
        <source>Telefonnummer entfernen</source>
        <translation>Remove phone number</translation>
    </message>
    <message>
        <source>z. B. +49 89 123456-0</source>
        <translation>e.g. +49 89 123456-0</translation>
    </message>
    <message>
        <source>Straße und Hausnummer</source>
        <translation>Street and house number</translation>
    </message>
    <message>
        <source>PLZ</source>
        <translation>Postal code</translation>
    </message>
    <message>
        <source>Ort</source>
        <translation>City</translation>
    </message>
    <message>
        <source>Region/Bundesland</source>
        <translation>State/region</translation>
    </message>
    <message>
        <source>Land</source>
        <translation>Country</translation>
    </message>
    <message>
        <source>Adresse entfernen</source>
        <translation>Remove address</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="380"/>
        <source>Dieser Kontakt kann nicht bearbeitet werden: {0} Er bleibt unverändert erhalten.</source>
        <translation>This contact cannot be edited: {0} It is kept unchanged.</translation>
    </message>
    <message>
        <source>Foto wählen</source>
        <translation>Choose photo</translation>
    </message>
    <message>
        <source>Bilder (*.jpg *.jpeg *.png *.gif *.bmp *.webp);;Alle Dateien (*)</source>
        <translation>Images (*.jpg *.jpeg *.png *.gif *.bmp *.webp);;All files (*)</translation>
    </message>
    <message>
        <source>Die Datei „{0}“ kann nicht geöffnet werden. Bitte wählen Sie eine andere Bilddatei.</source>
        <translation>The file “{0}” cannot be opened. Please choose another image file.</translation>
    </message>
    <message>
        <source>Das Bild „{0}“ ist {1} MB groß. Bitte wählen Sie ein Bild mit höchstens 2 MB, zum Beispiel eine verkleinerte Kopie.</source>
        <translation>The image “{0}” is {1} MB. Please choose an image of at most 2 MB, for example a reduced copy.</translation>
    </message>
    <message>
        <source>Die Datei „{0}“ ist kein lesbares Bild. Bitte wählen Sie ein Foto im Format JPEG, PNG, GIF oder BMP.</source>
        <translation>The file “{0}” is not a readable image. Please choose a photo in JPEG, PNG, GIF or BMP format.</translation>
    </message>
    <message>
        <source>Foto wird nicht angezeigt: {0} Es bleibt unverändert erhalten.</source>
        <translation>Photo not shown: {0} It is kept unchanged.</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="503"/>
        <source>wird automatisch aus dem Namen gebildet</source>
        <translation>built automatically from the name</translation>
    </message>
    <message>
        <location filename="../../ui/contact_editor.py" line="531"/>
        <source>Bitte geben Sie mindestens einen Namen, eine Organisation, eine E-Mail-Adresse oder eine Telefonnummer ein.</source>
        <translation>Please enter at least a name, an organization, an email address or a phone number.</translation>
    </message>
    <message>
        <source>„{0}“ ist keine gültige E-Mail-Adresse. Bitte geben Sie sie vollständig ein, z. B. name@firma.de.</source>
        <translation>“{0}” is not a valid email address. Please enter the complete address, e.g. name@company.com.</translation>
    </message>
    <message>
        <source>„{0}“ ist keine gültige Telefonnummer. Bitte verwenden Sie nur Ziffern, Leerzeichen und + - ( ) . /, z. B. +49 89 123456-0.</source>
        <translation>“{0}” is not a valid phone number. Please use only digits, spaces and + - ( ) . /, e.g. +49 89 123456-0.</translation>
    </message>
</context>
<context>
    <name>ContactTableModel</name>
    <message>
        <location filename="../../ui/contact_model.py" line="75"/>
        <source>Name</source>
        <extracomment>A group (or a search in one) with up to this many members is read in one query, which also gives the count: membership is not indexed, so each query walks the book once. A cell&apos;s flags (what QAbstractTableModel gives), and with dragging (not in the trash). Columns shown when the user has not chosen any (indexes into SORT_COLUMNS).</extracomment>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/contact_model.py" line="76"/>
        <source>E-Mail</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../ui/contact_model.py" line="77"/>
        <source>Telefon</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/contact_model.py" line="78"/>
        <source>Organisation</source>
        <translation>Organization</translation>
    </message>
    <message>
        <location filename="../../ui/contact_model.py" line="79"/>
        <source>Vorname</source>
        <translation>First name</translation>
    </message>
    <message>
        <location filename="../../ui/contact_model.py" line="80"/>
        <source>Nachname</source>
        <translation>Last name</translation>
    </message>
    <message>
        <location filename="../../ui/contact_model.py" line="81"/>
        <source>Geändert</source>
        <translation>Modified</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <location filename="../../ui/contacts_page.py" line="135"/>
        <source>Kontakte ▸ Kontakte anzeigen</source>
        <translation>Contacts ▸ Show contacts</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="159"/>
        <source>Neues Adressbuch anlegen …</source>
        <translation>New address book …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="162"/>
        <source>Adressbuch umbenennen …</source>
        <translation>Rename address book …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="165"/>
        <source>Adressbuch löschen …</source>
        <translation>Delete address book …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="197"/>
        <source>Suchen nach Name, E-Mail, Telefon oder Organisation …</source>
        <translation>Search by name, email, phone or organization …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="202"/>
        <source>Neuer Kontakt …</source>
        <translation>New contact …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="203"/>
        <source>Einen Kontakt in diesem Adressbuch anlegen (Strg+N)</source>
        <translation>Create a contact in this address book (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="206"/>
        <source>Importieren …</source>
        <translation>Import …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="207"/>
        <source>Kontakte aus vCard-Dateien (.vcf) übernehmen</source>
        <translation>Import contacts from vCard files (.vcf)</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="210"/>
        <location filename="../../ui/contacts_page.py" line="574"/>
        <source>Exportieren …</source>
        <translation>Export …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="212"/>
        <source>Die ausgewählten Kontakte (oder alle) als vCard-Datei speichern</source>
        <translation>Save the selected contacts (or all) as a vCard file</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="216"/>
        <source>Papierkorb</source>
        <translation>Trash</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="220"/>
        <source>Gelöschte Kontakte dieses Adressbuchs anzeigen</source>
        <translation>Show the deleted contacts of this address book</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="291"/>
        <source>Gelöschte Kontakte liegen im Papierkorb und werden bei Importen und Synchronisationen nicht erneut übernommen, bis Sie sie wiederherstellen.</source>
        <translation>Deleted contacts stay in the trash and are not imported again by imports and synchronizations until you restore them.</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="302"/>
        <location filename="../../ui/contacts_page.py" line="572"/>
        <source>Bearbeiten …</source>
        <translation>Edit …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="303"/>
        <source>Den ausgewählten Kontakt bearbeiten (Eingabetaste)</source>
        <translation>Edit the selected contact (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="305"/>
        <location filename="../../ui/contacts_page.py" line="573"/>
        <source>Verlauf …</source>
        <translation>History …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="307"/>
        <source>Frühere Fassungen des Kontakts ansehen und wiederherstellen</source>
        <translation>View and restore earlier versions of the contact</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="310"/>
        <source>Löschen</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="312"/>
        <source>Ausgewählte Kontakte in den Papierkorb legen (Entf)</source>
        <translation>Move the selected contacts to the trash (Del)</translation>
    </message>
    <message numerus="yes">
        <source>%n Kontakt(e), {0} im Papierkorb</source>
        <translation>
            <numerusform>%n contact, {0} in the trash</numerusform>
            <numerusform>%n contacts, {0} in the trash</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/contacts_page.py" line="396"/>
        <source>%n Kontakt(e) im Papierkorb</source>
        <translation>
            <numerusform>%n contact in the trash</numerusform>
            <numerusform>%n contacts in the trash</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/contacts_page.py" line="400"/>
        <source>%n Kontakt(e)</source>
        <translation>
            <numerusform>%n contact</numerusform>
            <numerusform>%n contacts</numerusform>
        </translation>
    </message>
    <message>
        <source>„{0}“ wurde in den Papierkorb verschoben.</source>
        <translation>“{0}” was moved to the trash.</translation>
    </message>
    <message>
        <source>{0} Kontakte wurden in den Papierkorb verschoben.</source>
        <translation>{0} contacts were moved to the trash.</translation>
    </message>
    <message>
        <source>Kontakte löschen</source>
        <translation>Delete contacts</translation>
    </message>
    <message>
        <source>{0} Kontakte in den Papierkorb verschieben?</source>
        <translation>Move {0} contacts to the trash?</translation>
    </message>
    <message>
        <source>Aus dem Papierkorb können Sie sie jederzeit wiederherstellen.</source>
        <translation>You can restore them from the trash at any time.</translation>
    </message>
    <message>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Kontakte</source>
        <translation>Contacts</translation>
    </message>
    <message numerus="yes">
        <source>%n Kontakt(e) im Papierkorb von „{0}“ endgültig löschen? Das lässt sich nicht rückgängig machen.</source>
        <translation>
            <numerusform>Delete %n contact in the trash of “{0}” for good? This cannot be undone.</numerusform>
            <numerusform>Delete %n contacts in the trash of “{0}” for good? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} Kontakte werden in den Papierkorb verschoben …</source>
        <translation>Moving {0} contacts to the trash …</translation>
    </message>
    <message>
        <source>{0} Kontakte werden wiederhergestellt …</source>
        <translation>Restoring {0} contacts …</translation>
    </message>
    <message>
        <source>Noch ohne Mitglieder</source>
        <translation>No members yet</translation>
    </message>
    <message>
        <source>Gespeichert als Kategorie der Mitglieder</source>
        <translation>Stored as a category of its members</translation>
    </message>
    <message>
        <source>Gespeichert als Gruppen-vCard</source>
        <translation>Stored as a group vCard</translation>
    </message>
    <message>
        <source>Gespeichert als Kategorie und als Gruppen-vCard</source>
        <translation>Stored as a category and as a group vCard</translation>
    </message>
    <message>
        <source>Eine Gruppe wählen, um nur ihre Mitglieder zu sehen; Kontakte aus der Liste auf eine Gruppe ziehen, um sie hinzuzufügen.</source>
        <translation>Choose a group to see only its members; drag contacts from the list onto a group to add them.</translation>
    </message>
    <message>
        <source>Neue Gruppe …</source>
        <translation>New group …</translation>
    </message>
    <message>
        <source>Eine Gruppe im gewählten Adressbuch anlegen; ausgewählte Kontakte werden ihre ersten Mitglieder</source>
        <translation>Create a group in the chosen address book; selected contacts become its first members</translation>
    </message>
    <message numerus="yes">
        <source>%n Mitglied(er)</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ausgewählt: %n Kontakt(e). Sie werden die ersten Mitglieder der Gruppe.</source>
        <translation>
            <numerusform>Selected: %n contact. It becomes the group&apos;s first member.</numerusform>
            <numerusform>Selected: %n contacts. They become the group&apos;s first members.</numerusform>
        </translation>
    </message>
    <message>
        <source>Die Gruppe ist zunächst leer. Ziehen Sie Kontakte aus der Liste auf die Gruppe, um sie hinzuzufügen.</source>
        <translation>The group starts empty. Drag contacts from the list onto the group to add them.</translation>
    </message>
    <message>
        <source>Das Hinzufügen zurücknehmen (Strg+Z)</source>
        <translation>Take back the adding (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Zur Gruppe hinzufügen</source>
        <translation>Add to group</translation>
    </message>
    <message>
        <source>Neue Gruppe mit der Auswahl …</source>
        <translation>New group with the selection …</translation>
    </message>
    <message>
        <source>Neue Gruppe</source>
        <translation>New group</translation>
    </message>
    <message>
        <source>Gruppe umbenennen</source>
        <translation>Rename group</translation>
    </message>
    <message>
        <source>Anlegen</source>
        <translation>Create</translation>
    </message>
    <message>
        <source>Umbenennen</source>
        <translation>Rename</translation>
    </message>
    <message>
        <source>Gruppe umbenennen …</source>
        <translation>Rename group …</translation>
    </message>
    <message>
        <source>Gruppe löschen …</source>
        <translation>Delete group …</translation>
    </message>
    <message>
        <source>Gruppe löschen</source>
        <translation>Delete group</translation>
    </message>
    <message>
        <source>Das Entfernen zurücknehmen (Strg+Z)</source>
        <translation>Take back the removal (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Name der neuen Gruppe im Adressbuch „{0}“:</source>
        <translation>Name of the new group in the address book “{0}”:</translation>
    </message>
    <message>
        <source>Neuer Name für die Gruppe „{0}“:</source>
        <translation>New name for the group “{0}”:</translation>
    </message>
    <message>
        <source>Diese Gruppe gibt es in dem Adressbuch schon.</source>
        <translation>This address book already has this group.</translation>
    </message>
    <message>
        <source>Gruppe nicht gelöscht</source>
        <translation>Group not deleted</translation>
    </message>
    <message>
        <source>Nicht zur Gruppe hinzugefügt</source>
        <translation>Not added to the group</translation>
    </message>
    <message>
        <source>Die Kontakte sind schon in der Gruppe „{0}“.</source>
        <translation>The contacts are already in the group “{0}”.</translation>
    </message>
    <message numerus="yes">
        <source>%n Kontakt(e) zur Gruppe „{0}“ hinzugefügt.</source>
        <translation>
            <numerusform>%n contact added to the group “{0}”.</numerusform>
            <numerusform>%n contacts added to the group “{0}”.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nicht aus der Gruppe entfernt</source>
        <translation>Not removed from the group</translation>
    </message>
    <message numerus="yes">
        <source>%n Kontakt(e) aus der Gruppe „{0}“ entfernt.</source>
        <translation>
            <numerusform>%n contact removed from the group “{0}”.</numerusform>
            <numerusform>%n contacts removed from the group “{0}”.</numerusform>
        </translation>
    </message>
    <message>
        <source>Gruppe nicht angelegt</source>
        <translation>Group not created</translation>
    </message>
    <message>
        <source>Gruppe nicht umbenannt</source>
        <translation>Group not renamed</translation>
    </message>
    <message>
        <source>Die Gruppe „{0}“ löschen? Die Kontakte darin bleiben im Adressbuch „{1}“; nur die Gruppe verschwindet (bei der nächsten Synchronisation auch auf dem Server).</source>
        <translation>Delete the group “{0}”? Its contacts stay in the address book “{1}”; only the group goes (on the server too, with the next synchronization).</translation>
    </message>
    <message>
        <source>Aus der Gruppe „{0}“ entfernen</source>
        <translation>Remove from the group “{0}”</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="569"/>
        <source>Anzeigen …</source>
        <translation>View …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="577"/>
        <source>In den Papierkorb</source>
        <translation>Move to trash</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="315"/>
        <location filename="../../ui/contacts_page.py" line="570"/>
        <source>Wiederherstellen</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="151"/>
        <source>Adressbücher und Gruppen</source>
        <translation>Address books and groups</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="317"/>
        <source>Ausgewählte Kontakte aus dem Papierkorb zurückholen</source>
        <translation>Take the selected contacts out of the trash</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="320"/>
        <source>Papierkorb leeren</source>
        <translation>Empty trash</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="322"/>
        <source>Alle Kontakte im Papierkorb dieses Adressbuchs endgültig löschen</source>
        <translation>Delete all contacts in the trash of this address book for good</translation>
    </message>
    <message>
        <source>Standardspalten wiederherstellen</source>
        <translation>Restore default columns</translation>
    </message>
    <message>
        <source>Synchronisiert mit:</source>
        <translation>Synchronized with:</translation>
    </message>
    <message>
        <source>Nur lokal, ohne Synchronisierung</source>
        <translation>Local only, not synchronized</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="371"/>
        <source>Termine und Wiedervorlagen</source>
        <translation>Appointments and follow-ups</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="374"/>
        <source>(ohne Namen)</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="375"/>
        <source>Termine und Wiedervorlagen: {0}</source>
        <translation>Appointments and follow-ups: {0}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/contacts_page.py" line="398"/>
        <source>%n Kontakt(e) in der Gruppe „{0}“</source>
        <translation>
            <numerusform>%n contact in the group “{0}”</numerusform>
            <numerusform>%n contacts in the group “{0}”</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="402"/>
        <source>(gefiltert)</source>
        <translation>(filtered)</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="404"/>
        <source>{0} ausgewählt</source>
        <translation>{0} selected</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="496"/>
        <location filename="../../ui/contacts_page.py" line="523"/>
        <source>Kontakt nicht gespeichert</source>
        <translation>Contact not saved</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="525"/>
        <source>Der Kontakt wurde inzwischen gelöscht (z. B. durch eine Synchronisation). Stellen Sie ihn aus dem Papierkorb wieder her und bearbeiten Sie ihn dann erneut.</source>
        <translation>The contact has been deleted in the meantime (e.g. by a synchronization). Restore it from the trash and then edit it again.</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="540"/>
        <source>Kontakt gespeichert</source>
        <translation>Contact saved</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="542"/>
        <source>Der Kontakt wurde geändert, während Sie ihn bearbeitet haben (z. B. durch eine Synchronisation). Ihre Fassung ist gespeichert; die andere finden Sie unter „Verlauf …“.</source>
        <translation>The contact was changed while you were editing it (e.g. by a synchronization). Your version has been saved; you can find the other one under “History …”.</translation>
    </message>
    <message>
        <source>Wiederherstellen nicht möglich</source>
        <translation>Cannot restore</translation>
    </message>
</context>
<context>
    <name>DamagedDatabaseDialog</name>
    <message>
        <location filename="../../ui/backup_dialog.py" line="343"/>
        <source>Die Datenbank ist beschädigt</source>
        <translation>The database is damaged</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="350"/>
        <source>&lt;b&gt;Die Datenbank ist beschädigt&lt;/b&gt;</source>
        <translation>&lt;b&gt;The database is damaged&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="353"/>
        <source>Contactbox Sync kann die Datenbank {0} nicht verwenden:
{1}

Sie können eine Sicherung wiederherstellen oder mit einer leeren Datenbank beginnen (danach lassen sich die Kontakte vom Server neu importieren). Die beschädigte Datei wird in beiden Fällen nicht gelöscht, sondern umbenannt („…beschaedigt-…“) und bleibt im selben Ordner.</source>
        <translation>Contactbox Sync cannot use the database {0}:
{1}

You can restore a backup or start with an empty database (the contacts can then be imported from the server again). In both cases the damaged file is not deleted but renamed (“…beschaedigt-…”) and stays in the same folder.</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="372"/>
        <source>Es gibt keine Sicherung.</source>
        <translation>There is no backup.</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="375"/>
        <source>Sicherung &amp;wiederherstellen</source>
        <translation>&amp;Restore backup</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="380"/>
        <source>Mit &amp;leerer Datenbank beginnen</source>
        <translation>Start with an &amp;empty database</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="383"/>
        <source>&amp;Beenden</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location filename="../../ui/backup_dialog.py" line="395"/>
        <source>Sicherungen (die neueste zuerst):</source>
        <translation>Backups (newest first):</translation>
    </message>
</context>
<context>
    <name>DeleteBookDialog</name>
    <message>
        <location filename="../../ui/book_dialogs.py" line="137"/>
        <location filename="../../ui/book_dialogs.py" line="217"/>
        <location filename="../../ui/book_dialogs.py" line="237"/>
        <source>Adressbuch löschen</source>
        <translation>Delete address book</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="143"/>
        <source>Adressbuch „{name}“ löschen?</source>
        <translation>Delete the address book “{name}”?</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/book_dialogs.py" line="149"/>
        <source>Das Adressbuch enthält %n Kontakt(e) und {m} im Papierkorb.</source>
        <translation>
            <numerusform>The address book contains %n contact and {m} in the trash.</numerusform>
            <numerusform>The address book contains %n contacts and {m} in the trash.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="164"/>
        <source>Diese Synchronisierungen werden entfernt:&lt;ul style=&apos;margin:4px 0&apos;&gt;{items}&lt;/ul&gt;Auf dem Server wird nichts gelöscht.</source>
        <translation>These synchronizations will be removed:&lt;ul style=&apos;margin:4px 0&apos;&gt;{items}&lt;/ul&gt;Nothing is deleted on the server.</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="170"/>
        <source>Das Adressbuch ist mit keinem Server-Adressbuch verbunden.</source>
        <translation>The address book is not connected to any server address book.</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="174"/>
        <source>Kontakte in ein anderes Adressbuch verschieben:</source>
        <translation>Move the contacts to another address book:</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="186"/>
        <source>Kontakte mit dem Adressbuch löschen</source>
        <translation>Delete the contacts together with the address book</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="194"/>
        <source>Kontakte im Papierkorb werden in jedem Fall mit dem Adressbuch gelöscht.</source>
        <translation>Contacts in the trash are always deleted together with the address book.</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="213"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>DueFollowUpsPanel</name>
    <message>
        <location filename="../../ui/followup_widgets.py" line="172"/>
        <source>Fällig</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="172"/>
        <source>Kontakt</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="172"/>
        <source>Titel</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="182"/>
        <source>Keine fälligen Wiedervorlagen.</source>
        <translation>No follow-ups due.</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="185"/>
        <source>Erledigt</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="186"/>
        <source>Die gewählte Wiedervorlage als erledigt markieren</source>
        <translation>Mark the selected follow-up as done</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="215"/>
        <source>(ohne Kontakt)</source>
        <translation>(no contact)</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="229"/>
        <source>Fällige Wiedervorlagen ({0})</source>
        <translation>Due follow-ups ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="231"/>
        <source>Fällige Wiedervorlagen</source>
        <translation>Due follow-ups</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="262"/>
        <source>Contactbox</source>
        <translation>Contactbox</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <location filename="../../ui/followup_widgets.py" line="73"/>
        <source>Wiedervorlage bearbeiten</source>
        <translation>Edit follow-up</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="73"/>
        <source>Neue Wiedervorlage</source>
        <translation>New follow-up</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="80"/>
        <source>z. B. Angebot nachfassen</source>
        <translation>e.g. Follow up on quote</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="85"/>
        <source>Uhrzeit:</source>
        <translation>Time:</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="91"/>
        <source>Erledigt</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="104"/>
        <source>Titel:</source>
        <translation>Title:</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="105"/>
        <source>Fällig am:</source>
        <translation>Due on:</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="106"/>
        <source>Notizen:</source>
        <translation>Notes:</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="109"/>
        <source>Speichern</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/followup_widgets.py" line="109"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>GroupStyleField</name>
    <message>
        <location filename="../../ui/account_groups.py" line="28"/>
        <source>Kategorien (Nextcloud, ownCloud)</source>
        <translation>Categories (Nextcloud, ownCloud)</translation>
    </message>
    <message>
        <location filename="../../ui/account_groups.py" line="29"/>
        <source>Gruppen-vCards (Kerio, Apple, SabreDAV)</source>
        <translation>Group vCards (Kerio, Apple, SabreDAV)</translation>
    </message>
    <message>
        <location filename="../../ui/account_groups.py" line="30"/>
        <source>beides</source>
        <translation>both</translation>
    </message>
    <message>
        <location filename="../../ui/account_groups.py" line="34"/>
        <source>Nextcloud zeigt Gruppen als Kategorien; Apple-Geräte und Kerio erwarten eigene Gruppen-vCards. Gelesen werden immer alle Arten.</source>
        <translation>Nextcloud shows groups as categories; Apple devices and Kerio expect separate group vCards. All kinds are always read.</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../ui/history_dialog.py" line="239"/>
        <source>Der Kontakt liegt im Papierkorb. Stellen Sie ihn zuerst wieder her, um eine frühere Fassung zu übernehmen.</source>
        <translation>The contact is in the trash. Restore it first to bring back an earlier version.</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="242"/>
        <source>Für diesen Kontakt gibt es noch keine früheren Fassungen.</source>
        <translation>There are no earlier versions of this contact yet.</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="136"/>
        <source>Frühere Fassungen</source>
        <extracomment>Background of a changed row: a soft yellow.</extracomment>
        <translation>Earlier versions</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="140"/>
        <source>Nur Unterschiede</source>
        <translation>Differences only</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="243"/>
        <source>vCard anzeigen</source>
        <translation>Show vCard</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="156"/>
        <source>Feld</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="156"/>
        <location filename="../../ui/history_dialog.py" line="189"/>
        <source>Ausgewählte Fassung</source>
        <translation>Selected version</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="156"/>
        <location filename="../../ui/history_dialog.py" line="190"/>
        <source>Aktuell</source>
        <translation>Current</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="172"/>
        <source>Diese Fassung stimmt in allen Angaben mit der aktuellen überein.</source>
        <translation>This version matches the current one in every detail.</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="220"/>
        <source>Diese Fassung wiederherstellen</source>
        <translation>Restore this version</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="223"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="248"/>
        <source>(ohne Namen)</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="274"/>
        <source>Verlauf: {name}</source>
        <translation>History: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="337"/>
        <location filename="../../ui/history_dialog.py" line="344"/>
        <source>Fassung wiederherstellen</source>
        <translation>Restore version</translation>
    </message>
    <message>
        <location filename="../../ui/history_dialog.py" line="245"/>
        <source>Die Fassung vom {date} wird zur aktuellen Fassung. Die jetzige Fassung bleibt im Verlauf erhalten.

Fortfahren?</source>
        <translation>The version from {date} becomes the current version. The present version is kept in the history.

Continue?</translation>
    </message>
</context>
<context>
    <name>ImportOptionsDialog</name>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="73"/>
        <source>vCard-Datei importieren</source>
        <translation>Import vCard file</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="77"/>
        <source>„{file}“</source>
        <translation>“{file}”</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="79"/>
        <source>{n} Dateien</source>
        <translation>{n} files</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="81"/>
        <source>{what} in das Adressbuch „{book}“ importieren.</source>
        <translation>Import {what} into the address book “{book}”.</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="87"/>
        <source>&lt;b&gt;Doppelte Kontakte:&lt;/b&gt;</source>
        <translation>&lt;b&gt;Duplicate contacts:&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="88"/>
        <source>überspringen</source>
        <translation>skip</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="91"/>
        <source>aktualisieren (die bisherige Fassung bleibt im Verlauf)</source>
        <translation>update (the previous version is kept in the history)</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="94"/>
        <source>trotzdem anlegen</source>
        <translation>add anyway</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="103"/>
        <source>Doppelt ist ein Kontakt mit derselben UID, sonst mit gleichem Namen und gleicher E-Mail-Adresse, sonst mit genau gleichem Inhalt. Kontakte im Papierkorb werden nicht erneut importiert.</source>
        <translation>A contact is a duplicate if it has the same UID, otherwise the same name and email address, otherwise exactly the same content. Contacts in the trash are not imported again.</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="115"/>
        <source>Importieren</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="116"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="153"/>
        <source>Import abgebrochen</source>
        <extracomment>The ImportReport figures the report dialog shows, in this order (then the error count).</extracomment>
        <translation>Import cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="155"/>
        <source>Import abgeschlossen</source>
        <translation>Import finished</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="158"/>
        <source>vCard-Import in „{book}“</source>
        <translation>vCard import into “{book}”</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/vcf_dialogs.py" line="165"/>
        <source>Der Import wurde abgebrochen: %n Karte(n) wurde(n) nicht importiert. Die Kontakte davor sind vollständig importiert und bleiben.</source>
        <translation>
            <numerusform>The import was cancelled: %n card was not imported. The contacts before it are imported completely and stay.</numerusform>
            <numerusform>The import was cancelled: %n cards were not imported. The contacts before them are imported completely and stay.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="181"/>
        <source>Gelesene Karten</source>
        <translation>Cards read</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="182"/>
        <source>Neu angelegt</source>
        <translation>Added</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="183"/>
        <source>Gruppen neu angelegt</source>
        <translation>Groups added</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="184"/>
        <source>Aktualisiert</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="185"/>
        <source>Unverändert (doppelt, gleicher Inhalt)</source>
        <translation>Unchanged (duplicate, same content)</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="186"/>
        <source>Doppelt, übersprungen</source>
        <translation>Duplicate, skipped</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="187"/>
        <source>Im Papierkorb, übersprungen</source>
        <translation>In the trash, skipped</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="188"/>
        <source>Fehler</source>
        <translation>Errors</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="189"/>
        <source>Nicht importiert (abgebrochen)</source>
        <translation>Not imported (cancelled)</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="213"/>
        <source>Fehler ({n}):</source>
        <translation>Errors ({n}):</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="226"/>
        <source>Hinweise ({n}):</source>
        <translation>Notes ({n}):</translation>
    </message>
    <message>
        <location filename="../../ui/vcf_dialogs.py" line="241"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ItemList</name>
    <message>
        <location filename="../../ui/item_list.py" line="325"/>
        <source>Kalender</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="325"/>
        <source>Adressbuch</source>
        <translation>Address book</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="326"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="326"/>
        <source>Seite</source>
        <translation>Side</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="326"/>
        <source>Aktion</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="326"/>
        <source>Felder</source>
        <translation>Fields</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="329"/>
        <source>Nur auf dem Server: wird erst beim Vorgang in Contactbox angelegt.</source>
        <translation>Only on the server: it is created in Contactbox when the operation runs.</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="336"/>
        <source>Aktion:</source>
        <translation>Action:</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="339"/>
        <source>Alle ({n})</source>
        <translation>All ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="347"/>
        <source>Suchen: Name, Feld, Wert …</source>
        <translation>Search: name, field, value …</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="404"/>
        <source>Öffnen …</source>
        <translation>Open …</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="427"/>
        <source>{shown} von {total}</source>
        <translation>{shown} of {total}</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="490"/>
        <source>Wählen Sie eine Zeile, um die geänderten Felder zu sehen.</source>
        <translation>Select a row to see the fields that change.</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="499"/>
        <source>{side}: {action} · {book}</source>
        <translation>{side}: {action} · {book}</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="509"/>
        <source>Feld</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="509"/>
        <source>alt</source>
        <translation>old</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="509"/>
        <source>neu</source>
        <translation>new</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="524"/>
        <source>Neu angelegt: es gibt keine frühere Fassung zum Vergleichen.</source>
        <translation>New: there is no earlier version to compare with.</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="526"/>
        <source>Gelöscht: es gibt keine neue Fassung zum Vergleichen.</source>
        <translation>Deleted: there is no new version to compare with.</translation>
    </message>
    <message>
        <location filename="../../ui/item_list.py" line="527"/>
        <source>Keine einzelnen Felder bekannt.</source>
        <translation>No single fields known.</translation>
    </message>
</context>
<context>
    <name>ItemOpen</name>
    <message>
        <source>Nicht in Contactbox</source>
        <translation>Not in Contactbox</translation>
    </message>
    <message>
        <source>Diesen Kontakt gibt es in Contactbox nicht (nur auf dem Server).</source>
        <translation>This contact is not in Contactbox (only on the server).</translation>
    </message>
    <message>
        <source>Diesen Termin gibt es in Contactbox nicht (nur auf dem Server).</source>
        <translation>This appointment is not in Contactbox (only on the server).</translation>
    </message>
    <message>
        <source>Dieser Termin liegt im Papierkorb der Termine.</source>
        <translation>This appointment is in the appointments&apos; trash.</translation>
    </message>
    <message>
        <source>Kontakt nicht gespeichert</source>
        <translation>Contact not saved</translation>
    </message>
    <message>
        <source>Der Kontakt wurde inzwischen gelöscht (z. B. durch eine Synchronisation). Stellen Sie ihn aus dem Papierkorb wieder her und bearbeiten Sie ihn dann erneut.</source>
        <translation>The contact has been deleted in the meantime (e.g. by a synchronization). Restore it from the trash and then edit it again.</translation>
    </message>
    <message>
        <source>Kontakt gespeichert</source>
        <translation>Contact saved</translation>
    </message>
    <message>
        <source>Der Kontakt wurde geändert, während Sie ihn bearbeitet haben (z. B. durch eine Synchronisation). Ihre Fassung ist gespeichert; die andere finden Sie unter „Verlauf …“.</source>
        <translation>The contact was changed while you were editing it (e.g. by a synchronization). Your version has been saved; you can find the other one under “History …”.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="118"/>
        <source>&amp;Sprache</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="167"/>
        <source>Sprache</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="168"/>
        <source>Die Sprache wird beim nächsten Start von Contactbox Sync umgestellt.</source>
        <translation>The language will change the next time Contactbox Sync starts.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="59"/>
        <source>Contactbox Sync</source>
        <translation>Contactbox Sync</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="70"/>
        <source>&amp;Datei</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="71"/>
        <source>&amp;Beenden</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="78"/>
        <location filename="../../ui/main_window.py" line="96"/>
        <location filename="../../ui/main_window.py" line="113"/>
        <location filename="../../ui/main_window.py" line="118"/>
        <location filename="../../ui/main_window.py" line="129"/>
        <location filename="../../ui/main_window.py" line="132"/>
        <source>&amp;Konfiguration</source>
        <translation>&amp;Configuration</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="79"/>
        <location filename="../../ui/main_window.py" line="105"/>
        <source>&amp;Kontakte</source>
        <translation>&amp;Contacts</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="80"/>
        <location filename="../../ui/main_window.py" line="108"/>
        <source>&amp;Termine</source>
        <translation>&amp;Appointments</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="81"/>
        <source>&amp;Hilfe</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="82"/>
        <source>&amp;Benutzerhandbuch</source>
        <translation>&amp;User guide</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="87"/>
        <location filename="../../ui/main_window.py" line="287"/>
        <source>Über Contactbox Sync</source>
        <translation>About Contactbox Sync</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="97"/>
        <source>&amp;Adressbuchverwaltung</source>
        <translation>&amp;Address book management</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="98"/>
        <source>Adressbuch-&amp;Synchronisierung</source>
        <translation>Address book &amp;synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="105"/>
        <source>Kontakte &amp;anzeigen</source>
        <translation>&amp;Show contacts</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="108"/>
        <source>&amp;Agenda</source>
        <translation>&amp;Agenda</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="113"/>
        <source>&amp;Benutzerkonfiguration</source>
        <translation>&amp;User configuration</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="130"/>
        <source>&amp;Datensicherung…</source>
        <translation>&amp;Backups…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="173"/>
        <source>Jetzt neu starten? Ein laufender Abgleich wird dabei abgebrochen; das Fenster öffnet sich gleich wieder.</source>
        <translation>Restart now? A running synchronization is cancelled; the window opens again right away.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="177"/>
        <source>Jetzt neu starten</source>
        <translation>Restart now</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="178"/>
        <source>Später</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="241"/>
        <location filename="../../ui/main_window.py" line="248"/>
        <source>Benutzerhandbuch</source>
        <translation>User guide</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="242"/>
        <source>Das Benutzerhandbuch ist nicht verfügbar:</source>
        <translation>The user guide is not available:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="250"/>
        <source>Es ließ sich kein Programm zum Anzeigen öffnen. Das Benutzerhandbuch liegt hier:</source>
        <translation>No program could be opened to show it. The user guide is here:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="289"/>
        <source>Contactbox Sync hält die Kontakte Ihres Büros zwischen Contactbox und CardDAV-Servern (Kerio Connect, Nextcloud, ownCloud) gleich.</source>
        <translation>Contactbox Sync keeps your office&apos;s contacts identical between Contactbox and CardDAV servers (Kerio Connect, Nextcloud, ownCloud).</translation>
    </message>
</context>
<context>
    <name>PasswordPrompt</name>
    <message>
        <location filename="../../ui/password_prompt.py" line="61"/>
        <source>Passwort eingeben</source>
        <translation>Enter password</translation>
    </message>
    <message>
        <location filename="../../ui/password_prompt.py" line="65"/>
        <source>Für den Account „{0}“ ist kein Passwort gespeichert. Bitte geben Sie es ein, dann wird der Abgleich wiederholt.</source>
        <translation>No password is saved for the account “{0}”. Please enter it and the sync will run again.</translation>
    </message>
    <message>
        <location filename="../../ui/password_prompt.py" line="70"/>
        <source>Der Server hat die Anmeldung für den Account „{0}“ abgelehnt. Bitte prüfen Sie das Passwort; der Abgleich wird dann wiederholt.</source>
        <translation>The server refused the login for the account “{0}”. Please check the password; the sync will then run again.</translation>
    </message>
    <message>
        <location filename="../../ui/password_prompt.py" line="79"/>
        <source>Passwort speichern</source>
        <translation>Save password</translation>
    </message>
    <message>
        <location filename="../../ui/password_prompt.py" line="85"/>
        <source>Auf diesem Computer gibt es keinen Passwortspeicher: das Passwort gilt, bis Contactbox beendet wird.</source>
        <translation>This computer has no password store: the password is kept until Contactbox is closed.</translation>
    </message>
    <message>
        <location filename="../../ui/password_prompt.py" line="90"/>
        <source>Benutzername:</source>
        <translation>User name:</translation>
    </message>
    <message>
        <location filename="../../ui/password_prompt.py" line="91"/>
        <source>Passwort:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location filename="../../ui/password_prompt.py" line="97"/>
        <source>Erneut versuchen</source>
        <translation>Try again</translation>
    </message>
    <message>
        <location filename="../../ui/password_prompt.py" line="99"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/password_prompt.py" line="140"/>
        <source>Passwort nicht gespeichert</source>
        <translation>Password not saved</translation>
    </message>
</context>
<context>
    <name>PasswordStoreDialog</name>
    <message>
        <location filename="../../ui/password_store_dialog.py" line="21"/>
        <source>Kein Passwortspeicher gefunden</source>
        <translation>No password store found</translation>
    </message>
    <message>
        <location filename="../../ui/password_store_dialog.py" line="24"/>
        <source>Auf diesem Computer wurde kein Passwortspeicher (Schlüsselbund) gefunden. Wo soll das Passwort des Accounts bleiben?</source>
        <translation>No password store (keyring) was found on this computer. Where should the account&apos;s password be kept?</translation>
    </message>
    <message>
        <location filename="../../ui/password_store_dialog.py" line="30"/>
        <source>• Schlüsselbund einrichten: Installieren und starten Sie GNOME Keyring (Paket „gnome-keyring“) oder KWallet – bei einer Installation mit pip genügt auch „pip install keyrings.alt“ – und wählen Sie dann „Erneut versuchen“.
• In Datei speichern: Das Passwort wird unverschlüsselt in einer Datei gespeichert, die nur Ihr Benutzerkonto lesen kann ({0}). Wer Zugriff auf Ihr Benutzerkonto oder eine Sicherung davon hat, kann es lesen.
• Nicht speichern: Das Passwort gilt nur, bis Contactbox beendet wird; danach geben Sie es in den Account-Einstellungen erneut ein.</source>
        <translation>• Set up a keyring: install and start GNOME Keyring (package “gnome-keyring”) or KWallet – for an installation with pip, “pip install keyrings.alt” is enough – then choose “Try again”.
• Save in a file: the password is stored unencrypted in a file only your user account can read ({0}). Anyone with access to your user account or a backup of it can read it.
• Don&apos;t save: the password is valid only until Contactbox quits; after that, enter it again in the account settings.</translation>
    </message>
    <message>
        <location filename="../../ui/password_store_dialog.py" line="42"/>
        <source>Erneut versuchen</source>
        <translation>Try again</translation>
    </message>
    <message>
        <location filename="../../ui/password_store_dialog.py" line="45"/>
        <source>In Datei speichern</source>
        <translation>Save in a file</translation>
    </message>
    <message>
        <location filename="../../ui/password_store_dialog.py" line="48"/>
        <source>Nicht speichern</source>
        <translation>Don&apos;t save</translation>
    </message>
    <message>
        <location filename="../../ui/password_store_dialog.py" line="50"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../../ui/report_dialog.py" line="127"/>
        <source>Prüfung</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="212"/>
        <source>Importbericht</source>
        <translation>Import report</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="133"/>
        <source>{title} – Account „{account}“</source>
        <translation>{title} – account “{account}”</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="141"/>
        <source>Status: &lt;b style=&apos;color:{color}&apos;&gt;{status}&lt;/b&gt; · begonnen {start} · beendet {end}</source>
        <translation>Status: &lt;b style=&apos;color:{color}&apos;&gt;{status}&lt;/b&gt; · started {start} · finished {end}</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="159"/>
        <source>Übersicht</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="163"/>
        <source>Konflikte ({n})</source>
        <translation>Conflicts ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="167"/>
        <source>Fehler ({n})</source>
        <translation>Errors ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="171"/>
        <source>Hinweise ({n})</source>
        <translation>Notes ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="186"/>
        <location filename="../../ui/report_dialog.py" line="378"/>
        <source>Einzelne Änderungen ({n})</source>
        <translation>Single changes ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="188"/>
        <source>Einzelne Änderungen</source>
        <translation>Single changes</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="193"/>
        <source>Als HTML exportieren …</source>
        <translation>Export as HTML …</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="195"/>
        <source>Als CSV exportieren …</source>
        <translation>Export as CSV …</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="197"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="213"/>
        <source>Synchronisationsbericht</source>
        <translation>Synchronization report</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="218"/>
        <source>Kalender</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="220"/>
        <source>Adressbuch / Kalender</source>
        <translation>Address book / calendar</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="226"/>
        <source>Termin</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="228"/>
        <source>Kontakt / Termin</source>
        <translation>Contact / appointment</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="236"/>
        <source>Kalender „{name}“</source>
        <translation>Calendar “{name}”</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="237"/>
        <source>Adressbuch „{name}“</source>
        <translation>Address book “{name}”</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="244"/>
        <source>Kennzahl</source>
        <translation>Figure</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="246"/>
        <source>Gesamt</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="250"/>
        <source>Bestand</source>
        <translation>Counts</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="251"/>
        <source>In Contactbox</source>
        <translation>In Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="252"/>
        <source>Auf dem Server</source>
        <translation>On the server</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="253"/>
        <source>Gruppen</source>
        <translation>Groups</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="254"/>
        <source>Sonstiges</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="221"/>
        <source>Adressbuch</source>
        <translation>Address book</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="229"/>
        <source>Kontakt</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="290"/>
        <source>Übernommen</source>
        <translation>Kept</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="289"/>
        <source>Felder</source>
        <translation>Fields</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="302"/>
        <source>Version von {side} für diese Felder, alles Übrige zusammengeführt (die andere steht im Verlauf)</source>
        <translation>Version from {side} for these fields, everything else merged (the other one is in the history)</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="306"/>
        <source>Version von {side} (die andere steht im Verlauf)</source>
        <translation>Version from {side} (the other one is in the history)</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="313"/>
        <source>Vorgang</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="313"/>
        <source>Grund</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="329"/>
        <source>Hinweis</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="355"/>
        <source>Die einzelnen Änderungen werden gelesen …</source>
        <translation>Reading the single changes …</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="370"/>
        <source>Die einzelnen Änderungen konnten nicht gelesen werden: {message}</source>
        <translation>The single changes could not be read: {message}</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="383"/>
        <source>Für diesen Bericht sind keine einzelnen Änderungen gespeichert (es wurde nichts geändert, oder der Bericht ist älter als diese Liste).</source>
        <translation>No single changes are kept for this report (nothing was changed, or the report is older than this list).</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="401"/>
        <source>Bericht als HTML speichern</source>
        <translation>Save report as HTML</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="402"/>
        <source>HTML-Dateien (*.html)</source>
        <translation>HTML files (*.html)</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="409"/>
        <source>Bericht als CSV speichern</source>
        <translation>Save report as CSV</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="410"/>
        <source>CSV-Dateien (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="421"/>
        <source>Speichern fehlgeschlagen</source>
        <translation>Saving failed</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="422"/>
        <source>Die Datei „{path}“ konnte nicht gespeichert werden: {reason}</source>
        <translation>The file “{path}” could not be saved: {reason}</translation>
    </message>
    <message>
        <source>Kontakte auf dem Server</source>
        <translation>Contacts on the server</translation>
    </message>
    <message>
        <source>Kontakte in Contactbox</source>
        <translation>Contacts in Contactbox</translation>
    </message>
    <message>
        <source>Neu in Contactbox</source>
        <translation>New in Contactbox</translation>
    </message>
    <message>
        <source>In Contactbox aktualisiert</source>
        <translation>Updated in Contactbox</translation>
    </message>
    <message>
        <source>In Contactbox gelöscht (Papierkorb)</source>
        <translation>Deleted in Contactbox (trash)</translation>
    </message>
    <message>
        <source>Neu auf dem Server</source>
        <translation>New on the server</translation>
    </message>
    <message>
        <source>Auf dem Server aktualisiert</source>
        <translation>Updated on the server</translation>
    </message>
    <message>
        <source>Auf dem Server gelöscht</source>
        <translation>Deleted on the server</translation>
    </message>
    <message>
        <source>Konflikte</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Zusammengeführt</source>
        <translation>Merged</translation>
    </message>
    <message>
        <source>Übersprungen (in Contactbox gelöscht)</source>
        <translation>Skipped (deleted in Contactbox)</translation>
    </message>
    <message>
        <source>Nur auf dem Server (unberührt)</source>
        <translation>Only on the server (left alone)</translation>
    </message>
    <message>
        <source>Gruppen auf dem Server</source>
        <translation>Groups on the server</translation>
    </message>
    <message>
        <source>Gruppen in Contactbox</source>
        <translation>Groups in Contactbox</translation>
    </message>
    <message>
        <source>Gruppen geändert</source>
        <translation>Groups changed</translation>
    </message>
    <message>
        <source>Termine auf dem Server</source>
        <translation>Appointments on the server</translation>
    </message>
    <message>
        <source>Termine in Contactbox</source>
        <translation>Appointments in Contactbox</translation>
    </message>
    <message>
        <source>Kontakte und Termine auf dem Server</source>
        <translation>Contacts and appointments on the server</translation>
    </message>
    <message>
        <source>Kontakte und Termine in Contactbox</source>
        <translation>Contacts and appointments in Contactbox</translation>
    </message>
</context>
<context>
    <name>ReportExport</name>
    <message>
        <source>erfolgreich</source>
        <translation>successful</translation>
    </message>
    <message>
        <source>mit Fehlern</source>
        <translation>with errors</translation>
    </message>
    <message>
        <source>fehlgeschlagen</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>abgebrochen</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>Prüfung</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Abgleich</source>
        <translation>Synchronization</translation>
    </message>
    <message>
        <source>Einmalig importieren · Ergänzen</source>
        <translation>Import once · Add</translation>
    </message>
    <message>
        <source>Einmalig importieren · Aktualisieren</source>
        <translation>Import once · Update</translation>
    </message>
    <message>
        <source>Einmalig importieren · Neu anlegen</source>
        <translation>Import once · Recreate</translation>
    </message>
    <message>
        <source>OneWay-Synchronisation</source>
        <translation>One-way synchronization</translation>
    </message>
    <message>
        <source>Synchronisation · Contactbox</source>
        <translation>Synchronization · Contactbox</translation>
    </message>
    <message>
        <source>Synchronisation · Server</source>
        <translation>Synchronization · Server</translation>
    </message>
    <message>
        <source>Synchronisation · Neu anlegen</source>
        <translation>Synchronization · Recreate</translation>
    </message>
    <message>
        <source>Lesen vom Server</source>
        <translation>Reading from the server</translation>
    </message>
    <message>
        <source>In Contactbox anlegen</source>
        <translation>Add in Contactbox</translation>
    </message>
    <message>
        <source>In Contactbox aktualisieren</source>
        <translation>Update in Contactbox</translation>
    </message>
    <message>
        <source>In Contactbox löschen</source>
        <translation>Delete in Contactbox</translation>
    </message>
    <message>
        <source>In Contactbox wiederherstellen</source>
        <translation>Restore in Contactbox</translation>
    </message>
    <message>
        <source>Auf dem Server anlegen</source>
        <translation>Add on the server</translation>
    </message>
    <message>
        <source>Auf dem Server aktualisieren</source>
        <translation>Update on the server</translation>
    </message>
    <message>
        <source>Auf dem Server löschen</source>
        <translation>Delete on the server</translation>
    </message>
    <message>
        <source>Zuordnen</source>
        <translation>Match</translation>
    </message>
    <message>
        <source>Stand aktualisieren</source>
        <translation>Update the sync state</translation>
    </message>
    <message>
        <source>Stand entfernen</source>
        <translation>Remove the sync state</translation>
    </message>
    <message>
        <source>Bereich</source>
        <translation>Part</translation>
    </message>
    <message>
        <source>Bezeichnung</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Wert</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Grund</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Bericht</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>Vorgang</source>
        <translation>Operation</translation>
    </message>
    <message>
        <source>Kennzahl</source>
        <translation>Figure</translation>
    </message>
    <message>
        <source>Gesamt</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Konflikt</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>Fehler</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Hinweis</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>{kind} – Account „{account}“</source>
        <translation>{kind} – account “{account}”</translation>
    </message>
    <message>
        <source>Keine Änderungen seit dem letzten Abgleich.</source>
        <translation>No changes since the last synchronization.</translation>
    </message>
    <message>
        <source>Version von {0}</source>
        <translation>Version from {0}</translation>
    </message>
    <message>
        <source>Version von {0} für diese Felder, alles Übrige zusammengeführt</source>
        <translation>Version from {0} for these fields, everything else merged</translation>
    </message>
    <message>
        <source>Felder: {0} – alles Übrige zusammengeführt</source>
        <translation>Fields: {0} – everything else merged</translation>
    </message>
    <message>
        <source>Begonnen</source>
        <translation>Started</translation>
    </message>
    <message>
        <source>Beendet</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>Konflikte</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Felder</source>
        <translation>Fields</translation>
    </message>
    <message>
        <source>Übernommen</source>
        <translation>Kept</translation>
    </message>
    <message>
        <source>Fehler: {0}</source>
        <translation>Error: {0}</translation>
    </message>
    <message>
        <source>Nicht gestartet: {0}</source>
        <translation>Not started: {0}</translation>
    </message>
    <message>
        <source>Zurückgehalten: {n} Löschungen – auf einer Seite ({sides}) fehlt mehr als die Hälfte der abgeglichenen {items}. Gelöscht wird erst nach ausdrücklicher Bestätigung.</source>
        <translation>Held back: {n} deletions – more than half of the synchronized {items} are missing on one side ({sides}). They are deleted only after you confirm it explicitly.</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Begonnen:</source>
        <translation>Started:</translation>
    </message>
    <message>
        <source>Beendet:</source>
        <translation>Finished:</translation>
    </message>
    <message>
        <source>Übersicht</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>Hinweise</source>
        <translation>Notes</translation>
    </message>
</context>
<context>
    <name>ReportHistoryDialog</name>
    <message>
        <location filename="../../ui/report_dialog.py" line="433"/>
        <source>Frühere Berichte – {account}</source>
        <translation>Earlier reports – {account}</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="440"/>
        <source>Kalender</source>
        <translation>Calendars</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="441"/>
        <source>Datum</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="441"/>
        <source>Art</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="441"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="440"/>
        <source>Adressbücher</source>
        <translation>Address books</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="445"/>
        <source>Für diesen Account gibt es noch keine Berichte.</source>
        <translation>There are no reports for this account yet.</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="449"/>
        <source>Bericht öffnen</source>
        <translation>Open report</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="451"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>RunWindow</name>
    <message>
        <location filename="../../ui/run_window.py" line="129"/>
        <source>Abgleich – {account}</source>
        <translation>Synchronization – {account}</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="135"/>
        <source>Import / Synchronisation – Account „{account}“</source>
        <translation>Import / synchronization – account “{account}”</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="142"/>
        <source>Bitte lassen Sie dieses Fenster geöffnet, bis der Vorgang abgeschlossen ist.</source>
        <translation>Please keep this window open until the operation has finished.</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="153"/>
        <source>Adressbücher</source>
        <translation>Address books</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="159"/>
        <source>&lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;&lt;small&gt;{mode}&lt;/small&gt;</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;&lt;small&gt;{mode}&lt;/small&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="166"/>
        <location filename="../../ui/run_window.py" line="261"/>
        <source>wartet</source>
        <translation>waiting</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="176"/>
        <source>Gesamt:</source>
        <translation>Total:</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="198"/>
        <source>Jetzt starten</source>
        <translation>Start now</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="200"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="202"/>
        <source>Importbericht anzeigen</source>
        <translation>Show import report</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="205"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="228"/>
        <source>Der Abgleich beginnt in {n} s …</source>
        <translation>Synchronization starts in {n} s …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="265"/>
        <source>Der Abgleich läuft …</source>
        <translation>Synchronizing …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="299"/>
        <source>Liste laden …</source>
        <translation>Loading the list …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="307"/>
        <source>Kontakte laden …</source>
        <translation>Loading contacts …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="309"/>
        <source>Vom Server geladen: {done} von {total}</source>
        <translation>Loaded from the server: {done} of {total}</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="315"/>
        <source>Änderungen übernehmen …</source>
        <translation>Applying changes …</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/run_window.py" line="335"/>
        <source>Übernommen: {done} von %n Änderung(en)</source>
        <translation>
            <numerusform>Applied: {done} of %n change</numerusform>
            <numerusform>Applied: {done} of %n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/run_window.py" line="378"/>
        <source>Im Adressbuch {names} fehlt auf einer Seite ({sides}) mehr als die Hälfte der abgeglichenen Kontakte. %n Kontakt(e) würde(n) deshalb auch auf der anderen Seite gelöscht.

%n Kontakt(e) wirklich löschen?</source>
        <translation>
            <numerusform>In the address book {names}, more than half of the synchronized contacts are missing on one side ({sides}). %n contact would therefore be deleted on the other side too.

Really delete %n contact?</numerusform>
            <numerusform>In the address book {names}, more than half of the synchronized contacts are missing on one side ({sides}). %n contacts would therefore be deleted on the other side too.

Really delete %n contacts?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="321"/>
        <source>Aktueller Kontakt: {name}</source>
        <translation>Current contact: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="342"/>
        <source>fertig</source>
        <translation>done</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="376"/>
        <source>Viele Kontakte gelöscht</source>
        <translation>Many contacts deleted</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="398"/>
        <source>Der Abgleich ist fehlgeschlagen.</source>
        <translation>The synchronization failed.</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="416"/>
        <source>nicht begonnen</source>
        <translation>not started</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="423"/>
        <source>Fehler</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="436"/>
        <source>Der Abgleich wurde abgebrochen. Bereits übernommene Kontakte bleiben erhalten; ein neuer Abgleich setzt fort.</source>
        <translation>The synchronization was cancelled. Contacts already applied are kept; the next synchronization continues from there.</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="443"/>
        <source>Der Abgleich ist abgeschlossen ({status}).</source>
        <translation>The synchronization has finished ({status}).</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="457"/>
        <source>keine Änderungen</source>
        <translation>no changes</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="464"/>
        <source>{n} neu</source>
        <translation>{n} new</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="464"/>
        <source>{n} aktualisiert</source>
        <translation>{n} updated</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="464"/>
        <source>{n} gelöscht</source>
        <translation>{n} deleted</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="474"/>
        <source>Gruppen: {n} geändert</source>
        <translation>Groups: {n} changed</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="477"/>
        <source>Fehler: {n}</source>
        <translation>Errors: {n}</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="511"/>
        <source>Abgebrochen – es wurde nichts geändert.</source>
        <translation>Cancelled – nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="516"/>
        <source>Wird nach dem aktuellen Kontakt angehalten …</source>
        <translation>Stopping after the current contact …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="535"/>
        <source>Abgleich läuft</source>
        <translation>Synchronization running</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="537"/>
        <source>Der Abgleich läuft noch. Wollen Sie ihn abbrechen und das Fenster schließen? Bereits übernommene Kontakte bleiben erhalten.</source>
        <translation>The synchronization is still running. Do you want to cancel it and close the window? Contacts already applied are kept.</translation>
    </message>
</context>
<context>
    <name>SelfTest</name>
    <message numerus="yes">
        <source>{0} mit %n Bild(ern)</source>
        <translation>
            <numerusform>{0} with %n picture</numerusform>
            <numerusform>{0} with %n pictures</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>„{0}“ mit %n Seite(n)</source>
        <translation>
            <numerusform>“{0}” with %n page</numerusform>
            <numerusform>“{0}” with %n pages</numerusform>
        </translation>
    </message>
    <message>
        <source>Qt-Plattform</source>
        <translation>Qt platform</translation>
    </message>
    <message>
        <source>Übersetzung</source>
        <translation>Translation</translation>
    </message>
    <message>
        <source>Qt-Übersetzung</source>
        <translation>Qt translation</translation>
    </message>
    <message>
        <source>Datenbank</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Schlüsselbund</source>
        <translation>Keyring</translation>
    </message>
    <message>
        <source>Benutzerhandbuch</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>Hauptfenster</source>
        <translation>Main window</translation>
    </message>
    <message>
        <source>FEHLT</source>
        <translation>FAILED</translation>
    </message>
    <message>
        <source>kein Plattform-Plugin</source>
        <translation>no platform plugin</translation>
    </message>
    <message>
        <source>qtbase_de.qm in {0}</source>
        <translation>qtbase_de.qm in {0}</translation>
    </message>
    <message>
        <source>{0}: fehlt {1}</source>
        <translation>{0}: missing {1}</translation>
    </message>
    <message>
        <source>wird nicht angezeigt</source>
        <translation>is not shown</translation>
    </message>
    <message>
        <source>Selbsttest: {0} von {1} Prüfungen bestanden</source>
        <translation>Self-test: {0} of {1} checks passed</translation>
    </message>
    <message>
        <source>Symbol {0}</source>
        <translation>Icon {0}</translation>
    </message>
    <message>
        <source>{0} fehlt</source>
        <translation>{0} is missing</translation>
    </message>
    <message>
        <source>{0} lässt sich nicht laden</source>
        <translation>{0} cannot be loaded</translation>
    </message>
    <message>
        <source>{0} ergibt {1} statt {2}</source>
        <translation>{0} gives {1} instead of {2}</translation>
    </message>
    <message>
        <source>qtbase_de.qm fehlt in {0}</source>
        <translation>qtbase_de.qm is missing in {0}</translation>
    </message>
    <message>
        <source>{0} lässt sich nicht zeichnen (SVG-Plugin?)</source>
        <translation>{0} cannot be drawn (SVG plugin?)</translation>
    </message>
    <message>
        <source>kein nutzbares Backend ({0}); Schlüsselbund einrichten oder PYTHON_KEYRING_BACKEND setzen</source>
        <translation>no usable backend ({0}); set up a keyring or set PYTHON_KEYRING_BACKEND</translation>
    </message>
    <message>
        <source>kein nutzbares Backend ({0})</source>
        <translation>no usable backend ({0})</translation>
    </message>
    <message>
        <source>{0} antwortet nicht ({1})</source>
        <translation>{0} does not answer ({1})</translation>
    </message>
    <message>
        <source>ohne Datenbank nicht</source>
        <translation>not without a database</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <location filename="../../ui/setup_dialog.py" line="93"/>
        <source>Import / Synchronisation einrichten</source>
        <translation>Set up import / synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="99"/>
        <source>Account: &lt;b&gt;{label}&lt;/b&gt; &amp;nbsp;·&amp;nbsp; {user} auf {server}</source>
        <translation>Account: &lt;b&gt;{label}&lt;/b&gt; &amp;nbsp;·&amp;nbsp; {user} on {server}</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="108"/>
        <source>Adressbücher auf dem Server</source>
        <translation>Address books on the server</translation>
    </message>
    <message>
        <source>Ordner / Adressbuch</source>
        <translation>Folder / address book</translation>
    </message>
    <message>
        <source>auf dem Server</source>
        <translation>on the server</translation>
    </message>
    <message>
        <source>in Contactbox</source>
        <translation>in Contactbox</translation>
    </message>
    <message>
        <source>Adressbuch in Contactbox</source>
        <translation>Address book in Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="117"/>
        <source>+ alle auswählen</source>
        <translation>+ select all</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="119"/>
        <source>− alle abwählen</source>
        <translation>− deselect all</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="121"/>
        <source>Neu laden</source>
        <translation>Reload</translation>
    </message>
    <message>
        <source>Vorgang</source>
        <translation>Operation</translation>
    </message>
    <message>
        <source>Einmalig importieren</source>
        <translation>Import once</translation>
    </message>
    <message>
        <source>Die Kontakte des Servers werden einmal in Contactbox übernommen.</source>
        <translation>The server&apos;s contacts are copied into Contactbox once.</translation>
    </message>
    <message>
        <source>Beim Import gilt:</source>
        <translation>When importing:</translation>
    </message>
    <message>
        <source>Ergänzen</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Nur Kontakte, die noch nicht in Contactbox sind, werden hinzugefügt; bestehende bleiben unberührt.</source>
        <translation>Only contacts that are not yet in Contactbox are added; existing ones stay untouched.</translation>
    </message>
    <message>
        <source>Aktualisieren</source>
        <translation>Update</translation>
    </message>
    <message>
        <source>Bestehende Kontakte werden mit dem Server aktualisiert, neue hinzugefügt.</source>
        <translation>Existing contacts are updated from the server, new ones are added.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="371"/>
        <source>Neu anlegen</source>
        <translation>Recreate</translation>
    </message>
    <message>
        <source>Alle Kontakte des Adressbuchs in Contactbox werden vorher gelöscht (Papierkorb), dann wird neu importiert. Termine und Wiedervorlagen werden nur zugeordnet, wo sie übereinstimmen.</source>
        <translation>All contacts of the address book in Contactbox are deleted first (trash), then everything is imported again. Appointments and follow-ups are only re-linked where they match.</translation>
    </message>
    <message>
        <source>OneWay-Synchronisation</source>
        <translation>One-way synchronization</translation>
    </message>
    <message>
        <source>Steter Abgleich in eine Richtung: Contactbox aktualisiert regelmäßig den Server; Änderungen auf dem Server bleiben unberücksichtigt.</source>
        <translation>Continuous synchronization in one direction: Contactbox regularly updates the server; changes made on the server are ignored.</translation>
    </message>
    <message>
        <source>Contactbox gibt den Stand vor: neue, geänderte und gelöschte Kontakte gehen zum Server. Kontakte, die nur auf dem Server sind, bleiben dort und werden im Importbericht genannt.</source>
        <translation>Contactbox leads: new, changed and deleted contacts go to the server. Contacts that are only on the server stay there and are named in the import report.</translation>
    </message>
    <message>
        <source>Synchronisation</source>
        <translation>Synchronization</translation>
    </message>
    <message>
        <source>Contactbox</source>
        <translation>Contactbox</translation>
    </message>
    <message>
        <source>Die aktuelleren Daten liegen in Contactbox; Änderungen gehen von Contactbox zum Server.</source>
        <translation>The more recent data is in Contactbox; changes go from Contactbox to the server.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Die aktuelleren Daten liegen auf dem Server; Änderungen werden in Contactbox importiert.</source>
        <translation>The more recent data is on the server; changes are imported into Contactbox.</translation>
    </message>
    <message>
        <source>Alle Kontakte des Adressbuchs in Contactbox werden vorher gelöscht (Papierkorb), dann wird neu importiert und weiter synchronisiert.</source>
        <translation>All contacts of the address book in Contactbox are deleted first (trash), then everything is imported again and kept in sync.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="145"/>
        <source>✕ Fenster schließen</source>
        <translation>✕ Close window</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="147"/>
        <source>Ausgewählte Ordner prüfen</source>
        <translation>Check selected folders</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="149"/>
        <source>Vorgang starten</source>
        <translation>Start operation</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="177"/>
        <source>Adressbücher werden vom Server geladen …</source>
        <translation>Loading address books from the server …</translation>
    </message>
    <message>
        <source>{0} (nur lesen)</source>
        <translation>{0} (read-only)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/setup_dialog.py" line="204"/>
        <source>%n Adressbücher auf dem Server. Wählen Sie die Ordner aus, die Sie abgleichen möchten.</source>
        <translation>
            <numerusform>%n address book on the server. Select it if you want to synchronize it.</numerusform>
            <numerusform>%n address books on the server. Choose the folders you want to synchronize.</numerusform>
        </translation>
    </message>
    <message>
        <source>{book} ({mode})</source>
        <translation>{book} ({mode})</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="200"/>
        <source>Auf dem Server gibt es keine Adressbücher.</source>
        <translation>There are no address books on the server.</translation>
    </message>
    <message>
        <source>Neu: {book}</source>
        <translation>New: {book}</translation>
    </message>
    <message>
        <source>Das Adressbuch in Contactbox, in das „{server}“ übernommen wird: ein bestehendes oder ein neues mit dem Namen des Server-Adressbuchs.</source>
        <translation>The Contactbox address book that “{server}” goes to: an existing one or a new one named after the server address book.</translation>
    </message>
    <message>
        <source>Steter Abgleich in beide Richtungen.</source>
        <translation>Continuous synchronization in both directions.</translation>
    </message>
    <message>
        <source>Bei Konflikten gilt:</source>
        <translation>In a conflict, keep:</translation>
    </message>
    <message>
        <source>{0} (deaktiviert)</source>
        <translation>{0} (disabled)</translation>
    </message>
    <message>
        <source>Der Server erlaubt diesem Account nur das Lesen: Änderungen in Contactbox bleiben in Contactbox.</source>
        <translation>The server lets this account only read it: changes made in Contactbox stay in Contactbox.</translation>
    </message>
    <message>
        <source>Der Abgleich dieses Adressbuchs ist deaktiviert. „Vorgang starten“ schaltet ihn mit dem gewählten Vorgang wieder ein.</source>
        <translation>Synchronizing this address book is disabled. “Start operation” switches it on again with the chosen operation.</translation>
    </message>
    <message>
        <source>{0}, deaktiviert</source>
        <translation>{0}, disabled</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="260"/>
        <source>Die Adressbücher konnten nicht geladen werden: {message}</source>
        <translation>The address books could not be loaded: {message}</translation>
    </message>
    <message>
        <source>{0}: Der Server erlaubt diesem Account nur das Lesen. Eine OneWay-Synchronisation kann dorthin nichts übertragen – wählen Sie „Einmalig importieren“ oder „Synchronisation“.</source>
        <translation>{0}: The server lets this account only read it. A one-way sync cannot send anything there – choose “Import once” or “Synchronization”.</translation>
    </message>
    <message>
        <source>{0}: Der Server erlaubt diesem Account nur das Lesen. Änderungen vom Server kommen in Contactbox an; Änderungen in Contactbox bleiben in Contactbox.</source>
        <translation>{0}: The server lets this account only read it. Changes on the server arrive in Contactbox; changes made in Contactbox stay in Contactbox.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="333"/>
        <source>Die ausgewählten Ordner werden geprüft …</source>
        <translation>Checking the selected folders …</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="344"/>
        <source>Prüfung abgeschlossen – es wurde nichts geändert.</source>
        <translation>Check finished – nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="353"/>
        <source>Die Prüfung ist fehlgeschlagen: {message}</source>
        <translation>The check failed: {message}</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="373"/>
        <source>Alle Kontakte der ausgewählten Adressbücher in Contactbox werden in den Papierkorb verschoben und vom Server neu importiert. Fortfahren?</source>
        <translation>All contacts of the selected address books in Contactbox are moved to the trash and imported again from the server. Continue?</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message numerus="yes">
        <source>%n Löschung(en) in {0} wurde(n) zurückgehalten, weil auf einer Seite mehr als die Hälfte der Kontakte fehlt. Bitte prüfen Sie den Bericht.</source>
        <translation>
            <numerusform>%n deletion in {0} was held back because more than half of the contacts are missing on one side. Please check the report.</numerusform>
            <numerusform>%n deletions in {0} were held back because more than half of the contacts are missing on one side. Please check the report.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Kontakt(e) konnte(n) nicht abgeglichen werden.</source>
        <translation>
            <numerusform>%n contact could not be synchronized.</numerusform>
            <numerusform>%n contacts could not be synchronized.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Termin(e) konnte(n) nicht abgeglichen werden.</source>
        <translation>
            <numerusform>%n appointment could not be synchronized.</numerusform>
            <numerusform>%n appointments could not be synchronized.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Konflikt(e) wurde(n) gelöst; die andere Version steht im Verlauf.</source>
        <translation>
            <numerusform>%n conflict was resolved; the other version is in the history.</numerusform>
            <numerusform>%n conflicts were resolved; the other versions are in the history.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Löschung(en) in {0} wurde(n) zurückgehalten, weil auf einer Seite mehr als die Hälfte der Termine fehlt. Bitte prüfen Sie den Bericht.</source>
        <translation>
            <numerusform>%n deletion in {0} was held back because more than half of the appointments are missing on one side. Please check the report.</numerusform>
            <numerusform>%n deletions in {0} were held back because more than half of the appointments are missing on one side. Please check the report.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/tray.py" line="421"/>
        <source>Abgleich läuft</source>
        <translation>Synchronization running</translation>
    </message>
    <message>
        <location filename="../../ui/tray.py" line="422"/>
        <source>Dieser Account wird gerade im Hintergrund abgeglichen. Bitte versuchen Sie es gleich noch einmal.</source>
        <translation>This account is being synchronized in the background right now. Please try again in a moment.</translation>
    </message>
    <message>
        <source>Ihre Arbeitsumgebung hat keinen Infobereich (System-Tray). Contactbox Sync gleicht deshalb nur ab, solange das Fenster geöffnet ist; Schließen beendet das Programm.</source>
        <translation>Your desktop has no notification area (system tray). Contactbox Sync therefore only synchronizes while its window is open; closing it quits the program.</translation>
    </message>
    <message>
        <source>{0} Uhr</source>
        <translation>{0}</translation>
    </message>
    <message>
        <source>noch nie</source>
        <translation>never</translation>
    </message>
    <message>
        <source>Öffnen</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Jetzt synchronisieren</source>
        <translation>Synchronize now</translation>
    </message>
    <message>
        <source>Beenden</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Automatischer Abgleich pausiert</source>
        <translation>Automatic synchronization paused</translation>
    </message>
    <message>
        <source>Contactbox Sync läuft weiter</source>
        <translation>Contactbox Sync keeps running</translation>
    </message>
    <message>
        <source>Contactbox Sync gleicht Ihre Adressbücher im Hintergrund weiter ab. Öffnen und Beenden über das Symbol im Infobereich.</source>
        <translation>Contactbox Sync keeps synchronizing your address books in the background. Open or quit it from the icon in the notification area.</translation>
    </message>
    <message>
        <source>Contactbox Sync</source>
        <translation>Contactbox Sync</translation>
    </message>
    <message>
        <source>Synchronisierung fehlgeschlagen</source>
        <translation>Synchronization failed</translation>
    </message>
    <message>
        <source>heute, {0} Uhr</source>
        <translation>today, {0}</translation>
    </message>
    <message>
        <source>Fortsetzen</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Zuletzt: {0}</source>
        <translation>Last: {0}</translation>
    </message>
    <message>
        <source>„{0}“: {1}</source>
        <translation>“{0}”: {1}</translation>
    </message>
    <message>
        <source>Contactbox Sync – zuletzt synchronisiert: {0}</source>
        <translation>Contactbox Sync – last synchronized: {0}</translation>
    </message>
    <message>
        <source>Pausiert</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>Synchronisiert „{0}“ …</source>
        <translation>Synchronizing “{0}” …</translation>
    </message>
    <message>
        <source>Der automatische Abgleich dieses Accounts ist angehalten. Klicken Sie hier, um das Passwort einzugeben.</source>
        <translation>Automatic sync of this account is paused. Click here to enter the password.</translation>
    </message>
    <message>
        <source>Der automatische Abgleich dieses Accounts ist angehalten, bis Sie ihn im Fenster starten; dort werden Sie nach dem Passwort gefragt.</source>
        <translation>Automatic sync of this account is paused until you start it in the window; you will be asked for the password there.</translation>
    </message>
    <message>
        <source>Contactbox Sync – „{0}“</source>
        <translation>Contactbox Sync – “{0}”</translation>
    </message>
    <message>
        <source>Passwort für „{0}“ eingeben …</source>
        <translation>Enter password for “{0}” …</translation>
    </message>
    <message>
        <source>{0}: „Neu anlegen“ wird nicht im Hintergrund ausgeführt. Bitte starten Sie den Abgleich dieses Adressbuchs selbst („Adressbuch abgleichen“).</source>
        <translation>{0}: “Recreate” is not carried out in the background. Please start the synchronization of this address book yourself (“Synchronize address book”).</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../ui/undo_bar.py" line="45"/>
        <source>Rückgängig</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../ui/undo_bar.py" line="47"/>
        <source>Das Löschen zurücknehmen (Strg+Z)</source>
        <translation>Take back the deletion (Ctrl+Z)</translation>
    </message>
</context>
<context>
    <name>UserGuide</name>
    <message>
        <source>{0} fehlt</source>
        <translation>{0} is missing</translation>
    </message>
    <message>
        <source>{0}: Bild {1} liegt nicht bei docs/</source>
        <translation>{0}: picture {1} is not in docs/</translation>
    </message>
    <message>
        <source>{0}: Bild {1} fehlt ({2})</source>
        <translation>{0}: picture {1} is missing ({2})</translation>
    </message>
    <message>
        <source>markdown-it-py ist nicht installiert ({0})</source>
        <translation>markdown-it-py is not installed ({0})</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../../ui/users_page.py" line="75"/>
        <source>Konfiguration ▸ Benutzerkonfiguration</source>
        <translation>Configuration ▸ User configuration</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="74"/>
        <source>Benutzer</source>
        <translation>Users</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="80"/>
        <location filename="../../ui/users_page.py" line="191"/>
        <location filename="../../ui/users_page.py" line="194"/>
        <source>Benutzer hinzufügen</source>
        <translation>Add user</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="84"/>
        <source>Umbenennen</source>
        <translation>Rename</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="86"/>
        <source>Entfernen</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="87"/>
        <source>Den gewählten Benutzer entfernen</source>
        <translation>Remove the selected user</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="100"/>
        <source>aktueller Benutzer</source>
        <translation>current user</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="109"/>
        <source>Als aktuellen Benutzer verwenden</source>
        <translation>Use as current user</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="111"/>
        <source>Contactbox zeigt dann die Termine und Wiedervorlagen dieses Benutzers</source>
        <translation>Contactbox then shows this user&apos;s appointments and follow-ups</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="121"/>
        <source>Termin - Kalendersynchronisation</source>
        <translation>Appointments - calendar synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="146"/>
        <source>{0} (aktuell)</source>
        <translation>{0} (current)</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="153"/>
        <source>Kalender: {0}</source>
        <translation>Calendar: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="155"/>
        <source>Kein Kalender abgeglichen</source>
        <translation>No calendar synchronized</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/users_page.py" line="178"/>
        <location filename="../../ui/users_page.py" line="248"/>
        <source>%n Termin(e)</source>
        <translation>
            <numerusform>%n appointment</numerusform>
            <numerusform>%n appointments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/users_page.py" line="180"/>
        <location filename="../../ui/users_page.py" line="249"/>
        <source>%n Wiedervorlage(n)</source>
        <translation>
            <numerusform>%n follow-up</numerusform>
            <numerusform>%n follow-ups</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="243"/>
        <source>Soll der Benutzer „{0}“ wirklich entfernt werden?

{1} und {2} des Benutzers werden in Contactbox gelöscht, ebenso sein Kalender-Account. Der Kalender auf dem Server bleibt erhalten.</source>
        <translation>Do you really want to remove the user “{0}”?

Their {1} and {2} are deleted in Contactbox, as is their calendar account. The calendar on the server is kept.</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="191"/>
        <source>Name des Benutzers:</source>
        <translation>Name of the user:</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="203"/>
        <location filename="../../ui/users_page.py" line="213"/>
        <source>Benutzer umbenennen</source>
        <translation>Rename user</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="203"/>
        <source>Neuer Name:</source>
        <translation>New name:</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="237"/>
        <location filename="../../ui/users_page.py" line="241"/>
        <location filename="../../ui/users_page.py" line="257"/>
        <source>Benutzer entfernen</source>
        <translation>Remove user</translation>
    </message>
</context>
<context>
    <name>WorkProgressDialog</name>
    <message>
        <location filename="../../ui/work_progress.py" line="67"/>
        <source>Bitte warten …</source>
        <translation>Please wait …</translation>
    </message>
    <message>
        <location filename="../../ui/work_progress.py" line="76"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/work_progress.py" line="108"/>
        <source>Wird abgebrochen …</source>
        <translation>Cancelling …</translation>
    </message>
</context>
<context>
    <name>book_dialogs</name>
    <message>
        <location filename="../../ui/book_dialogs.py" line="99"/>
        <source>Neues Adressbuch</source>
        <translation>New address book</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="116"/>
        <source>Adressbuch umbenennen</source>
        <translation>Rename address book</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="247"/>
        <source>Das Adressbuch „{0}“ kann nicht gelöscht werden.</source>
        <translation>The address book “{0}” cannot be deleted.</translation>
    </message>
    <message>
        <location filename="../../ui/book_dialogs.py" line="254"/>
        <source>Adressbuch löschen</source>
        <translation>Delete address book</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../ui/app.py" line="270"/>
        <location filename="../../ui/app.py" line="337"/>
        <source>Contactbox Sync</source>
        <translation>Contactbox Sync</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="271"/>
        <source>Contactbox Sync konnte nicht neu gestartet werden. Bitte starten Sie es selbst wieder; die neue Sprache ist gespeichert.</source>
        <translation>Contactbox Sync could not be restarted. Please start it again yourself; the new language has been saved.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="338"/>
        <source>Die Datenbank kann nicht geöffnet werden:</source>
        <translation>The database cannot be opened:</translation>
    </message>
</context>
<context>
    <name>vcf_dialogs</name>
    <message>
        <source>vCard-Dateien importieren</source>
        <translation>Import vCard files</translation>
    </message>
    <message>
        <source>vCard-Dateien (*.vcf *.vcard);;Alle Dateien (*)</source>
        <translation>vCard files (*.vcf *.vcard);;All files (*)</translation>
    </message>
    <message>
        <source>Kontakte als vCard exportieren</source>
        <translation>Export contacts as vCard</translation>
    </message>
    <message>
        <source>vCard-Dateien (*.vcf)</source>
        <translation>vCard files (*.vcf)</translation>
    </message>
    <message>
        <source>{done} von {total} Karten importiert</source>
        <translation>{done} of {total} cards imported</translation>
    </message>
    <message>
        <source>Die Dateien werden gelesen …</source>
        <translation>Reading the files …</translation>
    </message>
    <message>
        <source>{done} von {total} Kontakten exportiert</source>
        <translation>{done} of {total} contacts exported</translation>
    </message>
    <message numerus="yes">
        <source>%n Kontakt(e) wurde(n) nach {file} exportiert.</source>
        <translation>
            <numerusform>%n contact was exported to {file}.</numerusform>
            <numerusform>%n contacts were exported to {file}.</numerusform>
        </translation>
    </message>
    <message>
        <source>{file}: Die Datei kann nicht gelesen werden ({error}).</source>
        <translation>{file}: The file cannot be read ({error}).</translation>
    </message>
    <message>
        <source>Die Datei {file} kann nicht geschrieben werden: {error}</source>
        <translation>The file {file} cannot be written: {error}</translation>
    </message>
</context>
</TS>
