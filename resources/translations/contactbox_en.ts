<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../../ui/account_dialog.py" line="113"/>
        <source>Account bearbeiten</source>
        <translation>Edit account</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="113"/>
        <source>Account hinzufügen</source>
        <translation>Add account</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="131"/>
        <source>z. B. Büro Kerio</source>
        <translation>e.g. Office Kerio</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="136"/>
        <source>unverändert (leer lassen)</source>
        <translation>unchanged (leave empty)</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="139"/>
        <source>Andere</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="142"/>
        <source>z. B. mail.example.de</source>
        <translation>e.g. mail.example.com</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="145"/>
        <location filename="../../ui/account_dialog.py" line="276"/>
        <source>automatisch</source>
        <translation>automatic</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="151"/>
        <source>Bezeichnung:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="152"/>
        <source>Benutzername / E-Mail:</source>
        <translation>User name / e-mail:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="153"/>
        <source>Passwort:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="154"/>
        <source>Servertyp:</source>
        <translation>Server type:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="155"/>
        <source>Serveradresse:</source>
        <translation>Server address:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="156"/>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="157"/>
        <source>Path:</source>
        <translation>Path:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="164"/>
        <source>Verbindungsstatus</source>
        <translation>Connection status</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="180"/>
        <source>Diesem Zertifikat vertrauen</source>
        <translation>Trust this certificate</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="183"/>
        <source>Nur ankreuzen, wenn der Fingerabdruck mit dem Zertifikat Ihres Servers übereinstimmt (fragen Sie im Zweifel Ihre IT).</source>
        <translation>Only tick this if the fingerprint matches your server&apos;s certificate (if in doubt, ask your IT department).</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="189"/>
        <source>Erneut prüfen</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="203"/>
        <source>Speichern</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="204"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="352"/>
        <source>Bitte geben Sie Serveradresse, Benutzername und Passwort ein; die Verbindung wird dann automatisch geprüft.</source>
        <translation>Please enter the server address, user name and password; the connection is then checked automatically.</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="360"/>
        <source>Die Verbindung wird gleich geprüft …</source>
        <translation>The connection will be checked in a moment …</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="365"/>
        <source>Verbindung wird geprüft …</source>
        <translation>Checking the connection …</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="369"/>
        <source>Fingerabdruck (SHA-256) des Serverzertifikats:</source>
        <translation>Fingerprint (SHA-256) of the server certificate:</translation>
    </message>
    <message>
        <location filename="../../ui/account_dialog.py" line="424"/>
        <source>Einen Account „{0}“ gibt es bereits.</source>
        <translation>An account “{0}” already exists.</translation>
    </message>
</context>
<context>
    <name>AddressBookSyncPage</name>
    <message>
        <location filename="../../ui/sync_page.py" line="211"/>
        <source>Konfiguration ▸ Adressbuchverwaltung ▸ Adressbuch-Synchronisierung</source>
        <translation>Configuration ▸ Address book management ▸ Address book synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="222"/>
        <source>Remote-Accounts</source>
        <translation>Remote accounts</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="235"/>
        <location filename="../../ui/sync_page.py" line="236"/>
        <source>Account hinzufügen</source>
        <translation>Add account</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="240"/>
        <location filename="../../ui/sync_page.py" line="241"/>
        <location filename="../../ui/sync_page.py" line="478"/>
        <source>Account entfernen</source>
        <translation>Remove account</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="243"/>
        <source>Bearbeiten</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="244"/>
        <source>Zugangsdaten des Accounts ändern</source>
        <translation>Change the account&apos;s credentials</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="279"/>
        <source>Import/Synchronisierung einrichten</source>
        <translation>Set up import/synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="281"/>
        <source>Ordner des Servers auswählen, die mit Contactbox abgeglichen werden</source>
        <translation>Choose the server folders that are synchronized with Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="284"/>
        <source>Frühere Berichte</source>
        <translation>Earlier reports</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="285"/>
        <source>Die Importberichte dieses Accounts ansehen</source>
        <translation>View this account&apos;s import reports</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="296"/>
        <source>Account-Status:</source>
        <translation>Account status:</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="299"/>
        <source>an</source>
        <translation>on</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="301"/>
        <source>aus</source>
        <translation>off</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="310"/>
        <source>Der Account wird regelmäßig abgeglichen</source>
        <translation>The account is synchronized regularly</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="311"/>
        <source>Der Account wird nicht abgeglichen</source>
        <translation>The account is not synchronized</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="317"/>
        <source>Importintervall:</source>
        <translation>Import interval:</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="328"/>
        <source>Wie oft dieser Account im Hintergrund abgeglichen wird</source>
        <translation>How often this account is synchronized in the background</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="341"/>
        <source>Importierte Adressbücher</source>
        <translation>Imported address books</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="350"/>
        <source>Noch keine Adressbücher. Über „Import/Synchronisierung einrichten“ wählen Sie die Ordner des Servers aus.</source>
        <translation>No address books yet. Choose the server&apos;s folders with “Set up import/synchronization”.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="365"/>
        <source>Synchronisation</source>
        <translation>Synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="366"/>
        <source>OneWay-Synchronisation</source>
        <translation>One-way synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="367"/>
        <source>Einmaliger Import</source>
        <translation>One-time import</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="381"/>
        <source>Legen Sie mit „+“ einen Remote-Account an und wählen Sie ihn aus, um Adressbücher zu synchronisieren.</source>
        <translation>Add a remote account with “+” and select it to synchronize address books.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="425"/>
        <location filename="../../ui/sync_page.py" line="503"/>
        <source>{0} (aus)</source>
        <translation>{0} (off)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="449"/>
        <location filename="../../ui/sync_page.py" line="512"/>
        <source>{0} Min.</source>
        <translation>{0} min.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="480"/>
        <source>Soll der Account „{0}“ wirklich entfernt werden?

Die Verbindung zum Server und die Einstellungen der Synchronisierung werden gelöscht. Die Kontakte in Contactbox bleiben erhalten.</source>
        <translation>Do you really want to remove the account “{0}”?

The connection to the server and the synchronization settings are deleted. The contacts in Contactbox are kept.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="597"/>
        <source>Adressbuch entfernen</source>
        <translation>Remove address book</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="599"/>
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
    <name>CheckDialog</name>
    <message>
        <location filename="../../ui/check_dialog.py" line="38"/>
        <source>Ausgewählte Ordner prüfen</source>
        <translation>Check selected folders</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="42"/>
        <source>Prüfung – Account „{account}“</source>
        <translation>Check – account “{account}”</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="49"/>
        <source>Vorgang: {mode}</source>
        <translation>Operation: {mode}</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="70"/>
        <source>Es wurde nichts geändert. Hinweis: In Contactbox gelöschte Kontakte werden bei einem erneuten Import nicht wieder angelegt; Sie können sie aus dem Papierkorb wiederherstellen.</source>
        <translation>Nothing was changed. Note: contacts deleted in Contactbox are not created again by another import; you can restore them from the trash.</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="82"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="90"/>
        <source>Server-Status: &lt;b style=&apos;color:#b00020&apos;&gt;nicht erreichbar&lt;/b&gt; – {msg}</source>
        <translation>Server status: &lt;b style=&apos;color:#b00020&apos;&gt;not reachable&lt;/b&gt; – {msg}</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="95"/>
        <source>Server-Status: &lt;b style=&apos;color:#b26a00&apos;&gt;erreichbar, mit Fehlern&lt;/b&gt; – {msg}</source>
        <translation>Server status: &lt;b style=&apos;color:#b26a00&apos;&gt;reachable, with errors&lt;/b&gt; – {msg}</translation>
    </message>
    <message>
        <location filename="../../ui/check_dialog.py" line="97"/>
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
        <source>Übersprungen (in Contactbox gelöscht)</source>
        <translation>Skipped (deleted in Contactbox)</translation>
    </message>
    <message>
        <source>Nur auf dem Server (unberührt)</source>
        <translation>Only on the server (left alone)</translation>
    </message>
</context>
<context>
    <name>ContactDetailDialog</name>
    <message>
        <location filename="../../ui/contacts_page.py" line="71"/>
        <source>Kontakt: {0}</source>
        <translation>Contact: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="74"/>
        <source>(ohne Namen)</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="84"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="85"/>
        <source>E-Mail:</source>
        <translation>Email:</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="86"/>
        <source>Telefon:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="87"/>
        <source>Organisation:</source>
        <translation>Organization:</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="94"/>
        <source>Dieser Kontakt liegt im Papierkorb.</source>
        <translation>This contact is in the trash.</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="98"/>
        <source>vCard:</source>
        <translation>vCard:</translation>
    </message>
</context>
<context>
    <name>ContactTableModel</name>
    <message>
        <location filename="../../ui/contact_model.py" line="40"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/contact_model.py" line="40"/>
        <source>E-Mail</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../ui/contact_model.py" line="40"/>
        <source>Telefon</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/contact_model.py" line="41"/>
        <source>Organisation</source>
        <translation>Organization</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <location filename="../../ui/contacts_page.py" line="127"/>
        <source>Kontakte ▸ Kontakte anzeigen</source>
        <translation>Contacts ▸ Show contacts</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="135"/>
        <source>Adressbücher</source>
        <translation>Address books</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="158"/>
        <source>Suchen nach Name, E-Mail, Telefon oder Organisation …</source>
        <translation>Search by name, email, phone or organization …</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="163"/>
        <source>Papierkorb</source>
        <translation>Trash</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="167"/>
        <source>Gelöschte Kontakte dieses Adressbuchs anzeigen</source>
        <translation>Show the deleted contacts of this address book</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="198"/>
        <source>Gelöschte Kontakte liegen im Papierkorb und werden bei Importen und Synchronisationen nicht erneut übernommen, bis Sie sie wiederherstellen.</source>
        <translation>Deleted contacts stay in the trash and are not imported again by imports and synchronizations until you restore them.</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="210"/>
        <source>Löschen</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="211"/>
        <source>Ausgewählte Kontakte in den Papierkorb legen</source>
        <translation>Move the selected contacts to the trash</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="213"/>
        <source>Wiederherstellen</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="215"/>
        <source>Ausgewählte Kontakte aus dem Papierkorb zurückholen</source>
        <translation>Take the selected contacts out of the trash</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="218"/>
        <location filename="../../ui/contacts_page.py" line="353"/>
        <source>Papierkorb leeren</source>
        <translation>Empty trash</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="220"/>
        <source>Alle Kontakte im Papierkorb dieses Adressbuchs endgültig löschen</source>
        <translation>Delete all contacts in the trash of this address book for good</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="245"/>
        <source>{0} Kontakte, {1} im Papierkorb</source>
        <translation>{0} contacts, {1} in the trash</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="298"/>
        <source>{0} Kontakte im Papierkorb</source>
        <translation>{0} contacts in the trash</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="300"/>
        <source>{0} Kontakte</source>
        <translation>{0} contacts</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="302"/>
        <source>(gefiltert)</source>
        <translation>(filtered)</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="340"/>
        <source>Wiederherstellen nicht möglich</source>
        <translation>Cannot restore</translation>
    </message>
    <message>
        <location filename="../../ui/contacts_page.py" line="355"/>
        <source>{0} Kontakte im Papierkorb von „{1}“ endgültig löschen? Das lässt sich nicht rückgängig machen.</source>
        <translation>Delete {0} contacts in the trash of “{1}” for good? This cannot be undone.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="65"/>
        <source>&amp;Sprache</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="82"/>
        <source>Sprache</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="83"/>
        <source>Die Sprache wird beim nächsten Start von Contactbox Sync umgestellt.</source>
        <translation>The language will change the next time Contactbox Sync starts.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="24"/>
        <source>Contactbox Sync</source>
        <translation>Contactbox Sync</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="35"/>
        <source>&amp;Datei</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="36"/>
        <source>&amp;Beenden</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="42"/>
        <location filename="../../ui/main_window.py" line="54"/>
        <location filename="../../ui/main_window.py" line="65"/>
        <source>&amp;Konfiguration</source>
        <translation>&amp;Configuration</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="43"/>
        <location filename="../../ui/main_window.py" line="63"/>
        <source>&amp;Kontakte</source>
        <translation>&amp;Contacts</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="44"/>
        <source>&amp;Hilfe</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="45"/>
        <location filename="../../ui/main_window.py" line="116"/>
        <source>Über Contactbox Sync</source>
        <translation>About Contactbox Sync</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="55"/>
        <source>&amp;Adressbuchverwaltung</source>
        <translation>&amp;Address book management</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="56"/>
        <source>Adressbuch-&amp;Synchronisierung</source>
        <translation>Address book &amp;synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="63"/>
        <source>Kontakte &amp;anzeigen</source>
        <translation>&amp;Show contacts</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="118"/>
        <source>Contactbox Sync hält die Kontakte Ihres Büros zwischen Contactbox und CardDAV-Servern (Kerio Connect, Nextcloud, ownCloud) gleich.</source>
        <translation>Contactbox Sync keeps your office&apos;s contacts identical between Contactbox and CardDAV servers (Kerio Connect, Nextcloud, ownCloud).</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../../ui/report_dialog.py" line="88"/>
        <source>Prüfung</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="88"/>
        <source>Importbericht</source>
        <translation>Import report</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="94"/>
        <source>{title} – Account „{account}“</source>
        <translation>{title} – account “{account}”</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="104"/>
        <source>Status: &lt;b style=&apos;color:{color}&apos;&gt;{status}&lt;/b&gt; · begonnen {start} · beendet {end}</source>
        <translation>Status: &lt;b style=&apos;color:{color}&apos;&gt;{status}&lt;/b&gt; · started {start} · finished {end}</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="122"/>
        <source>Übersicht</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="126"/>
        <source>Konflikte ({n})</source>
        <translation>Conflicts ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="130"/>
        <source>Fehler ({n})</source>
        <translation>Errors ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="134"/>
        <source>Hinweise ({n})</source>
        <translation>Notes ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="138"/>
        <source>Als HTML exportieren …</source>
        <translation>Export as HTML …</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="140"/>
        <source>Als CSV exportieren …</source>
        <translation>Export as CSV …</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="142"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="155"/>
        <source>Kennzahl</source>
        <translation>Figure</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="157"/>
        <source>Gesamt</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="161"/>
        <source>Bestand</source>
        <translation>Contact counts</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="162"/>
        <source>In Contactbox</source>
        <translation>In Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="163"/>
        <source>Auf dem Server</source>
        <translation>On the server</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="164"/>
        <source>Sonstiges</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="187"/>
        <location filename="../../ui/report_dialog.py" line="205"/>
        <location filename="../../ui/report_dialog.py" line="222"/>
        <source>Adressbuch</source>
        <translation>Address book</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="187"/>
        <location filename="../../ui/report_dialog.py" line="205"/>
        <source>Kontakt</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="187"/>
        <source>Übernommen</source>
        <translation>Kept</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="197"/>
        <source>Version von {side} (die andere steht im Verlauf)</source>
        <translation>Version from {side} (the other one is in the history)</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="205"/>
        <source>Vorgang</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="205"/>
        <source>Grund</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="222"/>
        <source>Hinweis</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="242"/>
        <source>Bericht als HTML speichern</source>
        <translation>Save report as HTML</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="243"/>
        <source>HTML-Dateien (*.html)</source>
        <translation>HTML files (*.html)</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="250"/>
        <source>Bericht als CSV speichern</source>
        <translation>Save report as CSV</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="251"/>
        <source>CSV-Dateien (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="262"/>
        <source>Speichern fehlgeschlagen</source>
        <translation>Saving failed</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="263"/>
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
        <source>Übersprungen (in Contactbox gelöscht)</source>
        <translation>Skipped (deleted in Contactbox)</translation>
    </message>
    <message>
        <source>Nur auf dem Server (unberührt)</source>
        <translation>Only on the server (left alone)</translation>
    </message>
</context>
<context>
    <name>ReportHistoryDialog</name>
    <message>
        <location filename="../../ui/report_dialog.py" line="274"/>
        <source>Frühere Berichte – {account}</source>
        <translation>Earlier reports – {account}</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="280"/>
        <source>Datum</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="280"/>
        <source>Art</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="280"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="280"/>
        <source>Adressbücher</source>
        <translation>Address books</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="294"/>
        <source>Für diesen Account gibt es noch keine Berichte.</source>
        <translation>There are no reports for this account yet.</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="297"/>
        <source>Bericht öffnen</source>
        <translation>Open report</translation>
    </message>
    <message>
        <location filename="../../ui/report_dialog.py" line="300"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>RunWindow</name>
    <message>
        <location filename="../../ui/run_window.py" line="81"/>
        <source>Abgleich – {account}</source>
        <translation>Synchronization – {account}</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="87"/>
        <source>Import / Synchronisation – Account „{account}“</source>
        <translation>Import / synchronization – account “{account}”</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="97"/>
        <source>Bitte lassen Sie dieses Fenster geöffnet, bis der Vorgang abgeschlossen ist.</source>
        <translation>Please keep this window open until the operation has finished.</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="108"/>
        <source>Adressbücher</source>
        <translation>Address books</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="115"/>
        <source>&lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;&lt;small&gt;{mode}&lt;/small&gt;</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;&lt;small&gt;{mode}&lt;/small&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="121"/>
        <location filename="../../ui/run_window.py" line="204"/>
        <source>wartet</source>
        <translation>waiting</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="130"/>
        <source>Gesamt:</source>
        <translation>Total:</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="144"/>
        <source>Jetzt starten</source>
        <translation>Start now</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="146"/>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="148"/>
        <source>Importbericht anzeigen</source>
        <translation>Show import report</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="151"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="174"/>
        <source>Der Abgleich beginnt in {n} s …</source>
        <translation>Synchronization starts in {n} s …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="208"/>
        <source>Der Abgleich läuft …</source>
        <translation>Synchronizing …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="239"/>
        <source>Liste laden …</source>
        <translation>Loading the list …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="246"/>
        <source>Kontakte laden …</source>
        <translation>Loading contacts …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="248"/>
        <source>Vom Server geladen: {done} von {total}</source>
        <translation>Loaded from the server: {done} of {total}</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="254"/>
        <source>Änderungen übernehmen …</source>
        <translation>Applying changes …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="256"/>
        <source>Übernommen: {done} von {total} Änderungen</source>
        <translation>Applied: {done} of {total} changes</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="263"/>
        <source>Aktueller Kontakt: {name}</source>
        <translation>Current contact: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="273"/>
        <source>fertig</source>
        <translation>done</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="289"/>
        <source>Viele Kontakte gelöscht</source>
        <translation>Many contacts deleted</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="291"/>
        <source>Im Adressbuch {names} fehlt auf einer Seite ({sides}) mehr als die Hälfte der abgeglichenen Kontakte. {n} Kontakte würden deshalb auch auf der anderen Seite gelöscht.

{n} Kontakte wirklich löschen?</source>
        <translation>In the address book {names}, more than half of the synchronized contacts are missing on one side ({sides}). {n} contacts would therefore be deleted on the other side too.

Really delete {n} contacts?</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="307"/>
        <source>Der Abgleich ist fehlgeschlagen.</source>
        <translation>The synchronization failed.</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="320"/>
        <source>nicht begonnen</source>
        <translation>not started</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="322"/>
        <source>Fehler</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="328"/>
        <source>{added} neu · {updated} aktualisiert · {deleted} gelöscht</source>
        <translation>{added} new · {updated} updated · {deleted} deleted</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="336"/>
        <source>Der Abgleich wurde abgebrochen. Bereits übernommene Kontakte bleiben erhalten; ein neuer Abgleich setzt fort.</source>
        <translation>The synchronization was cancelled. Contacts already applied are kept; the next synchronization continues from there.</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="342"/>
        <source>Der Abgleich ist abgeschlossen ({status}).</source>
        <translation>The synchronization has finished ({status}).</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="376"/>
        <source>Abgebrochen – es wurde nichts geändert.</source>
        <translation>Cancelled – nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="381"/>
        <source>Wird nach dem aktuellen Kontakt angehalten …</source>
        <translation>Stopping after the current contact …</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="401"/>
        <source>Abgleich läuft</source>
        <translation>Synchronization running</translation>
    </message>
    <message>
        <location filename="../../ui/run_window.py" line="403"/>
        <source>Der Abgleich läuft noch. Wollen Sie ihn abbrechen und das Fenster schließen? Bereits übernommene Kontakte bleiben erhalten.</source>
        <translation>The synchronization is still running. Do you want to cancel it and close the window? Contacts already applied are kept.</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <location filename="../../ui/setup_dialog.py" line="71"/>
        <source>Import / Synchronisation einrichten</source>
        <translation>Set up import / synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="77"/>
        <source>Account: &lt;b&gt;{label}&lt;/b&gt; &amp;nbsp;·&amp;nbsp; {user} auf {server}</source>
        <translation>Account: &lt;b&gt;{label}&lt;/b&gt; &amp;nbsp;·&amp;nbsp; {user} on {server}</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="86"/>
        <source>Adressbücher auf dem Server</source>
        <translation>Address books on the server</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="91"/>
        <source>Ordner / Adressbuch</source>
        <translation>Folder / address book</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="92"/>
        <source>auf dem Server</source>
        <translation>on the server</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="93"/>
        <source>in Contactbox</source>
        <translation>in Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="94"/>
        <source>Adressbuch in Contactbox</source>
        <translation>Address book in Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="113"/>
        <source>+ alle auswählen</source>
        <translation>+ select all</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="115"/>
        <source>− alle abwählen</source>
        <translation>− deselect all</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="117"/>
        <source>Neu laden</source>
        <translation>Reload</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="127"/>
        <source>Vorgang</source>
        <translation>Operation</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="137"/>
        <source>Einmalig importieren</source>
        <translation>Import once</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="138"/>
        <source>Die Kontakte des Servers werden einmal in Contactbox übernommen.</source>
        <translation>The server&apos;s contacts are copied into Contactbox once.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="140"/>
        <source>Ergänzen</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="141"/>
        <source>Nur Kontakte, die noch nicht in Contactbox sind, werden hinzugefügt; bestehende bleiben unberührt.</source>
        <translation>Only contacts that are not yet in Contactbox are added; existing ones stay untouched.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="143"/>
        <source>Aktualisieren</source>
        <translation>Update</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="144"/>
        <source>Bestehende Kontakte werden mit dem Server aktualisiert, neue hinzugefügt.</source>
        <translation>Existing contacts are updated from the server, new ones are added.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="146"/>
        <location filename="../../ui/setup_dialog.py" line="172"/>
        <location filename="../../ui/setup_dialog.py" line="499"/>
        <source>Neu anlegen</source>
        <translation>Recreate</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="147"/>
        <source>Alle Kontakte des Adressbuchs in Contactbox werden vorher gelöscht (Papierkorb), dann wird neu importiert. Termine und Wiedervorlagen werden nur zugeordnet, wo sie übereinstimmen.</source>
        <translation>All contacts of the address book in Contactbox are deleted first (trash), then everything is imported again. Appointments and follow-ups are only re-linked where they match.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="154"/>
        <source>OneWay-Synchronisation</source>
        <translation>One-way synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="156"/>
        <source>Steter Abgleich in eine Richtung: Contactbox aktualisiert regelmäßig den Server; Änderungen auf dem Server bleiben unberücksichtigt.</source>
        <translation>Continuous synchronization in one direction: Contactbox regularly updates the server; changes made on the server are ignored.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="163"/>
        <source>Synchronisation</source>
        <translation>Synchronization</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="164"/>
        <source>Steter Abgleich in beide Richtungen. Bei Konflikten gilt:</source>
        <translation>Continuous synchronization in both directions. In case of conflicts:</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="166"/>
        <source>Contactbox</source>
        <translation>Contactbox</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="167"/>
        <source>Die aktuelleren Daten liegen in Contactbox; Änderungen gehen von Contactbox zum Server.</source>
        <translation>The more recent data is in Contactbox; changes go from Contactbox to the server.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="169"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="170"/>
        <source>Die aktuelleren Daten liegen auf dem Server; Änderungen werden in Contactbox importiert.</source>
        <translation>The more recent data is on the server; changes are imported into Contactbox.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="173"/>
        <source>Alle Kontakte des Adressbuchs in Contactbox werden vorher gelöscht (Papierkorb), dann wird neu importiert und weiter synchronisiert.</source>
        <translation>All contacts of the address book in Contactbox are deleted first (trash), then everything is imported again and kept in sync.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="216"/>
        <source>✕ Fenster schließen</source>
        <translation>✕ Close window</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="218"/>
        <source>Ausgewählte Ordner prüfen</source>
        <translation>Check selected folders</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="220"/>
        <source>Vorgang starten</source>
        <translation>Start operation</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="268"/>
        <source>Adressbücher werden vom Server geladen …</source>
        <translation>Loading address books from the server …</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="325"/>
        <source>{book} ({mode})</source>
        <translation>{book} ({mode})</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="303"/>
        <source>Auf dem Server gibt es keine Adressbücher.</source>
        <translation>There are no address books on the server.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="306"/>
        <source>{n} Adressbücher auf dem Server. Wählen Sie die Ordner aus, die Sie abgleichen möchten.</source>
        <translation>{n} address books on the server. Choose the folders you want to synchronize.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="329"/>
        <location filename="../../ui/setup_dialog.py" line="331"/>
        <source>Neu: {book}</source>
        <translation>New: {book}</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="337"/>
        <source>Das Adressbuch in Contactbox, in das „{server}“ übernommen wird: ein bestehendes oder ein neues mit dem Namen des Server-Adressbuchs.</source>
        <translation>The Contactbox address book that “{server}” goes to: an existing one or a new one named after the server address book.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="388"/>
        <source>Die Adressbücher konnten nicht geladen werden: {message}</source>
        <translation>The address books could not be loaded: {message}</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="464"/>
        <source>Die ausgewählten Ordner werden geprüft …</source>
        <translation>Checking the selected folders …</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="475"/>
        <source>Prüfung abgeschlossen – es wurde nichts geändert.</source>
        <translation>Check finished – nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="484"/>
        <source>Die Prüfung ist fehlgeschlagen: {message}</source>
        <translation>The check failed: {message}</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="501"/>
        <source>Alle Kontakte der ausgewählten Adressbücher in Contactbox werden in den Papierkorb verschoben und vom Server neu importiert. Fortfahren?</source>
        <translation>All contacts of the selected address books in Contactbox are moved to the trash and imported again from the server. Continue?</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../ui/app.py" line="57"/>
        <source>Contactbox Sync</source>
        <translation>Contactbox Sync</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="58"/>
        <source>Die Datenbank kann nicht geöffnet werden:</source>
        <translation>The database cannot be opened:</translation>
    </message>
</context>
</TS>
