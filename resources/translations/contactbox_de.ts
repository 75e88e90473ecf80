<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="de_DE">
<context>
    <name>AppointmentTrashDialog</name>
    <message numerus="yes">
        <location filename="../../ui/appointment_trash_dialog.py" line="231"/>
        <source>%n Termin(e) wiederhergestellt. Der nächste Kalenderabgleich überträgt sie wieder auf den Server.</source>
        <translation>
            <numerusform>%n Termin wiederhergestellt. Der nächste Kalenderabgleich überträgt ihn wieder auf den Server.</numerusform>
            <numerusform>%n Termine wiederhergestellt. Der nächste Kalenderabgleich überträgt sie wieder auf den Server.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/appointment_trash_dialog.py" line="260"/>
        <source>Alle %n Termin(e) im Papierkorb endgültig löschen? Das lässt sich nicht rückgängig machen. Der Abgleich holt sie auch später nicht vom Server zurück.

Papierkorb leeren?</source>
        <translation>
            <numerusform>%n Termin im Papierkorb endgültig löschen? Das lässt sich nicht rückgängig machen. Der Abgleich holt ihn auch später nicht vom Server zurück.

Papierkorb leeren?</numerusform>
            <numerusform>Alle %n Termine im Papierkorb endgültig löschen? Das lässt sich nicht rückgängig machen. Der Abgleich holt sie auch später nicht vom Server zurück.

Papierkorb leeren?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/appointment_trash_dialog.py" line="270"/>
        <source>%n Termin(e) endgültig gelöscht.</source>
        <translation>
            <numerusform>%n Termin endgültig gelöscht.</numerusform>
            <numerusform>%n Termine endgültig gelöscht.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/appointment_trash_dialog.py" line="273"/>
        <source>%n Termin(e) bleiben im Papierkorb, bis der nächste Kalenderabgleich sie auch auf dem Server gelöscht hat; leeren Sie ihn danach noch einmal.</source>
        <translation>
            <numerusform>%n Termin bleibt im Papierkorb, bis der nächste Kalenderabgleich ihn auch auf dem Server gelöscht hat; leeren Sie den Papierkorb danach noch einmal.</numerusform>
            <numerusform>%n Termine bleiben im Papierkorb, bis der nächste Kalenderabgleich sie auch auf dem Server gelöscht hat; leeren Sie ihn danach noch einmal.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message numerus="yes">
        <source>%n Kontakt(e), {0} im Papierkorb</source>
        <translation>
            <numerusform>%n Kontakt, {0} im Papierkorb</numerusform>
            <numerusform>%n Kontakte, {0} im Papierkorb</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Mitglied(er)</source>
        <translation>
            <numerusform>%n Mitglied</numerusform>
            <numerusform>%n Mitglieder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ausgewählt: %n Kontakt(e). Sie werden die ersten Mitglieder der Gruppe.</source>
        <translation>
            <numerusform>Ausgewählt: %n Kontakt. Er wird das erste Mitglied der Gruppe.</numerusform>
            <numerusform>Ausgewählt: %n Kontakte. Sie werden die ersten Mitglieder der Gruppe.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Kontakt(e) zur Gruppe „{0}“ hinzugefügt.</source>
        <translation>
            <numerusform>%n Kontakt zur Gruppe „{0}“ hinzugefügt.</numerusform>
            <numerusform>%n Kontakte zur Gruppe „{0}“ hinzugefügt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Kontakt(e) aus der Gruppe „{0}“ entfernt.</source>
        <translation>
            <numerusform>%n Kontakt aus der Gruppe „{0}“ entfernt.</numerusform>
            <numerusform>%n Kontakte aus der Gruppe „{0}“ entfernt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/contacts_page.py" line="396"/>
        <source>%n Kontakt(e) im Papierkorb</source>
        <translation>
            <numerusform>%n Kontakt im Papierkorb</numerusform>
            <numerusform>%n Kontakte im Papierkorb</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/contacts_page.py" line="398"/>
        <source>%n Kontakt(e) in der Gruppe „{0}“</source>
        <translation>
            <numerusform>%n Kontakt in der Gruppe „{0}“</numerusform>
            <numerusform>%n Kontakte in der Gruppe „{0}“</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/contacts_page.py" line="400"/>
        <source>%n Kontakt(e)</source>
        <translation>
            <numerusform>%n Kontakt</numerusform>
            <numerusform>%n Kontakte</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Kontakt(e) im Papierkorb von „{0}“ endgültig löschen? Das lässt sich nicht rückgängig machen.</source>
        <translation>
            <numerusform>%n Kontakt im Papierkorb von „{0}“ endgültig löschen? Das lässt sich nicht rückgängig machen.</numerusform>
            <numerusform>%n Kontakte im Papierkorb von „{0}“ endgültig löschen? Das lässt sich nicht rückgängig machen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeleteBookDialog</name>
    <message numerus="yes">
        <location filename="../../ui/book_dialogs.py" line="149"/>
        <source>Das Adressbuch enthält %n Kontakt(e) und {m} im Papierkorb.</source>
        <translation>
            <numerusform>Das Adressbuch enthält %n Kontakt und {m} im Papierkorb.</numerusform>
            <numerusform>Das Adressbuch enthält %n Kontakte und {m} im Papierkorb.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message numerus="yes">
        <location filename="../../ui/vcf_dialogs.py" line="165"/>
        <source>Der Import wurde abgebrochen: %n Karte(n) wurde(n) nicht importiert. Die Kontakte davor sind vollständig importiert und bleiben.</source>
        <translation>
            <numerusform>Der Import wurde abgebrochen: %n Karte wurde nicht importiert. Die Kontakte davor sind vollständig importiert und bleiben.</numerusform>
            <numerusform>Der Import wurde abgebrochen: %n Karten wurden nicht importiert. Die Kontakte davor sind vollständig importiert und bleiben.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RunWindow</name>
    <message numerus="yes">
        <location filename="../../ui/run_window.py" line="335"/>
        <source>Übernommen: {done} von %n Änderung(en)</source>
        <translation>
            <numerusform>Übernommen: {done} von %n Änderung</numerusform>
            <numerusform>Übernommen: {done} von %n Änderungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/run_window.py" line="378"/>
        <source>Im Adressbuch {names} fehlt auf einer Seite ({sides}) mehr als die Hälfte der abgeglichenen Kontakte. %n Kontakt(e) würde(n) deshalb auch auf der anderen Seite gelöscht.

%n Kontakt(e) wirklich löschen?</source>
        <translation>
            <numerusform>Im Adressbuch {names} fehlt auf einer Seite ({sides}) mehr als die Hälfte der abgeglichenen Kontakte. %n Kontakt würde deshalb auch auf der anderen Seite gelöscht.

%n Kontakt wirklich löschen?</numerusform>
            <numerusform>Im Adressbuch {names} fehlt auf einer Seite ({sides}) mehr als die Hälfte der abgeglichenen Kontakte. %n Kontakte würden deshalb auch auf der anderen Seite gelöscht.

%n Kontakte wirklich löschen?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SelfTest</name>
    <message numerus="yes">
        <source>{0} mit %n Bild(ern)</source>
        <translation>
            <numerusform>{0} mit %n Bild</numerusform>
            <numerusform>{0} mit %n Bildern</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>„{0}“ mit %n Seite(n)</source>
        <translation>
            <numerusform>„{0}“ mit %n Seite</numerusform>
            <numerusform>„{0}“ mit %n Seiten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message numerus="yes">
        <location filename="../../ui/setup_dialog.py" line="204"/>
        <source>%n Adressbücher auf dem Server. Wählen Sie die Ordner aus, die Sie abgleichen möchten.</source>
        <translation>
            <numerusform>%n Adressbuch auf dem Server. Wählen Sie es aus, wenn Sie es abgleichen möchten.</numerusform>
            <numerusform>%n Adressbücher auf dem Server. Wählen Sie die Ordner aus, die Sie abgleichen möchten.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message numerus="yes">
        <source>%n Löschung(en) in {0} wurde(n) zurückgehalten, weil auf einer Seite mehr als die Hälfte der Kontakte fehlt. Bitte prüfen Sie den Bericht.</source>
        <translation>
            <numerusform>%n Löschung in {0} wurde zurückgehalten, weil auf einer Seite mehr als die Hälfte der Kontakte fehlt. Bitte prüfen Sie den Bericht.</numerusform>
            <numerusform>%n Löschungen in {0} wurden zurückgehalten, weil auf einer Seite mehr als die Hälfte der Kontakte fehlt. Bitte prüfen Sie den Bericht.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Kontakt(e) konnte(n) nicht abgeglichen werden.</source>
        <translation>
            <numerusform>%n Kontakt konnte nicht abgeglichen werden.</numerusform>
            <numerusform>%n Kontakte konnten nicht abgeglichen werden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Termin(e) konnte(n) nicht abgeglichen werden.</source>
        <translation>
            <numerusform>%n Termin konnte nicht abgeglichen werden.</numerusform>
            <numerusform>%n Termine konnten nicht abgeglichen werden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Konflikt(e) wurde(n) gelöst; die andere Version steht im Verlauf.</source>
        <translation>
            <numerusform>%n Konflikt wurde gelöst; die andere Version steht im Verlauf.</numerusform>
            <numerusform>%n Konflikte wurden gelöst; die andere Version steht jeweils im Verlauf.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Löschung(en) in {0} wurde(n) zurückgehalten, weil auf einer Seite mehr als die Hälfte der Termine fehlt. Bitte prüfen Sie den Bericht.</source>
        <translation>
            <numerusform>%n Löschung in {0} wurde zurückgehalten, weil auf einer Seite mehr als die Hälfte der Termine fehlt. Bitte prüfen Sie den Bericht.</numerusform>
            <numerusform>%n Löschungen in {0} wurden zurückgehalten, weil auf einer Seite mehr als die Hälfte der Termine fehlt. Bitte prüfen Sie den Bericht.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message numerus="yes">
        <location filename="../../ui/users_page.py" line="178"/>
        <location filename="../../ui/users_page.py" line="248"/>
        <source>%n Termin(e)</source>
        <translation>
            <numerusform>%n Termin</numerusform>
            <numerusform>%n Termine</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/users_page.py" line="180"/>
        <location filename="../../ui/users_page.py" line="249"/>
        <source>%n Wiedervorlage(n)</source>
        <translation>
            <numerusform>%n Wiedervorlage</numerusform>
            <numerusform>%n Wiedervorlagen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vcf_dialogs</name>
    <message numerus="yes">
        <source>%n Kontakt(e) wurde(n) nach {file} exportiert.</source>
        <translation>
            <numerusform>%n Kontakt wurde nach {file} exportiert.</numerusform>
            <numerusform>%n Kontakte wurden nach {file} exportiert.</numerusform>
        </translation>
    </message>
</context>
</TS>
