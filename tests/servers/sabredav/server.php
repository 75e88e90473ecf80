<?php
/*
 * SabreDAV 1.8 (Debian php-sabre-dav) front controller for the Contactbox Sync test suite.
 *
 * Two ways to run it (both driven by tests/servers/dav_servers.py):
 *
 *   php server.php init            create the SQLite database named by $SABRE_DB:
 *                                  schema, user, principal, one address book and one calendar
 *   php -S 127.0.0.1:PORT server.php
 *                                  serve it; this file is the router script of PHP's
 *                                  built-in web server, so EVERY request comes through here
 *
 * Environment:
 *   SABRE_DB        path of the SQLite database file (required)
 *   SABRE_USER      user name  (init only, default "alice")
 *   SABRE_PASSWORD  password   (init only, required)
 *   SABRE_AUTH      "digest": HTTP Digest only (the stock Sabre\DAV\Auth\Backend\PDO), as
 *                   SabreDAV 1.8 installations often run; anything else: HTTP Basic
 *
 * Layout served: /principals/alice/  /addressbooks/alice/default/  /calendars/alice/default/
 * Authentication: HTTP Basic, checked against the users table of SabreDAV's digest PDO schema
 * (digesta1 = md5("user:realm:password")), so the database stays usable by the stock
 * Sabre\DAV\Auth\Backend\PDO (Digest) too.
 * /.well-known/carddav and /.well-known/caldav answer 301 to "/".
 */

// SabreDAV 1.8 predates PHP 8: keep deprecation notices out of responses and logs.
error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);
ini_set('display_errors', '0');
ini_set('log_errors', '1');
date_default_timezone_set('UTC');

const SABRE_REALM = 'SabreDAV';

// Turn real warnings into exceptions (SabreDAV reports them as 500 with a DAV error body)
// but let everything excluded by error_reporting() pass silently.
set_error_handler(function ($errno, $errstr, $errfile, $errline) {
    if (!(error_reporting() & $errno)) {
        return false;
    }
    throw new ErrorException($errstr, 0, $errno, $errfile, $errline);
});

require_once 'Sabre/autoload.php';

function sabre_pdo()
{
    $path = getenv('SABRE_DB');
    if (!$path) {
        throw new RuntimeException('SABRE_DB is not set');
    }
    $pdo = new PDO('sqlite:' . $path);
    $pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
    $pdo->setAttribute(PDO::ATTR_TIMEOUT, 30);  // sqlite busy timeout (seconds)
    return $pdo;
}

function sabre_init()
{
    $user = getenv('SABRE_USER') ?: 'alice';
    $password = getenv('SABRE_PASSWORD');
    if ($password === false || $password === '') {
        fwrite(STDERR, "SABRE_PASSWORD is not set\n");
        exit(2);
    }
    $pdo = sabre_pdo();
    $pdo->exec('PRAGMA journal_mode = WAL');
    // The SQLite schema of SabreDAV 1.8 (examples/sql/sqlite.*.sql), inlined so that the
    // tests do not depend on /usr/share/doc being installed.
    $schema = <<<'SQL'
CREATE TABLE addressbooks (
    id integer primary key asc,
    principaluri text,
    displayname text,
    uri text,
    description text,
    ctag integer
);
CREATE TABLE cards (
    id integer primary key asc,
    addressbookid integer,
    carddata blob,
    uri text,
    lastmodified integer
);
CREATE TABLE calendarobjects (
    id integer primary key asc,
    calendardata blob,
    uri text,
    calendarid integer,
    lastmodified integer,
    etag text,
    size integer,
    componenttype text,
    firstoccurence integer,
    lastoccurence integer
);
CREATE TABLE calendars (
    id integer primary key asc,
    principaluri text,
    displayname text,
    uri text,
    ctag integer,
    description text,
    calendarorder integer,
    calendarcolor text,
    timezone text,
    components text,
    transparent bool
);
CREATE TABLE locks (
    id integer primary key asc,
    owner text,
    timeout integer,
    created integer,
    token text,
    scope integer,
    depth integer,
    uri text
);
CREATE TABLE principals (
    id INTEGER PRIMARY KEY ASC,
    uri TEXT,
    email TEXT,
    displayname TEXT,
    vcardurl TEXT,
    UNIQUE(uri)
);
CREATE TABLE groupmembers (
    id INTEGER PRIMARY KEY ASC,
    principal_id INTEGER,
    member_id INTEGER,
    UNIQUE(principal_id, member_id)
);
CREATE TABLE users (
    id integer primary key asc,
    username TEXT,
    digesta1 TEXT,
    UNIQUE(username)
);
SQL;
    $pdo->beginTransaction();
    $pdo->exec($schema);
    $principal = 'principals/' . $user;
    $pdo->prepare('INSERT INTO users (username, digesta1) VALUES (?, ?)')
        ->execute(array($user, md5($user . ':' . SABRE_REALM . ':' . $password)));
    $addPrincipal = $pdo->prepare(
        'INSERT INTO principals (uri, email, displayname) VALUES (?, ?, ?)'
    );
    $addPrincipal->execute(array($principal, $user . '@example.org', ucfirst($user)));
    // CalDAV's proxy sub-principals, as in the stock example data.
    $addPrincipal->execute(array($principal . '/calendar-proxy-read', null, null));
    $addPrincipal->execute(array($principal . '/calendar-proxy-write', null, null));
    $pdo->prepare(
        'INSERT INTO addressbooks (principaluri, displayname, uri, description, ctag) '
        . 'VALUES (?, ?, ?, ?, 1)'
    )->execute(array($principal, 'Default address book', 'default', ''));
    $pdo->prepare(
        'INSERT INTO calendars (principaluri, displayname, uri, ctag, description, '
        . 'calendarorder, calendarcolor, timezone, components, transparent) '
        . 'VALUES (?, ?, ?, 1, ?, 0, ?, NULL, ?, 0)'
    )->execute(array($principal, 'Default calendar', 'default', '', '#3a87adff', 'VEVENT,VTODO'));
    $pdo->commit();
}

/**
 * HTTP Basic authentication against SabreDAV's (digest) users table.
 */
class ContactboxBasicAuth extends \Sabre\DAV\Auth\Backend\AbstractBasic
{
    private $pdo;
    private $realm;

    public function __construct(PDO $pdo, $realm)
    {
        $this->pdo = $pdo;
        $this->realm = $realm;
    }

    protected function validateUserPass($username, $password)
    {
        $stmt = $this->pdo->prepare('SELECT digesta1 FROM users WHERE username = ?');
        $stmt->execute(array($username));
        $digest = $stmt->fetchColumn();
        if ($digest === false) {
            return false;
        }
        return hash_equals($digest, md5($username . ':' . $this->realm . ':' . $password));
    }
}

function sabre_serve()
{
    $path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
    if ($path === '/.well-known/carddav' || $path === '/.well-known/caldav'
        || $path === '/.well-known/carddav/' || $path === '/.well-known/caldav/') {
        header('Location: /', true, 301);
        header('Content-Length: 0');
        return;
    }

    $pdo = sabre_pdo();
    $principalBackend = new \Sabre\DAVACL\PrincipalBackend\PDO($pdo);
    $carddavBackend = new \Sabre\CardDAV\Backend\PDO($pdo);
    $caldavBackend = new \Sabre\CalDAV\Backend\PDO($pdo);

    $tree = array(
        new \Sabre\CalDAV\Principal\Collection($principalBackend),
        new \Sabre\CalDAV\CalendarRootNode($principalBackend, $caldavBackend),
        new \Sabre\CardDAV\AddressBookRoot($principalBackend, $carddavBackend),
    );
    $server = new \Sabre\DAV\Server($tree);
    $server->setBaseUri('/');
    $auth = getenv('SABRE_AUTH') === 'digest'
        ? new \Sabre\DAV\Auth\Backend\PDO($pdo)
        : new ContactboxBasicAuth($pdo, SABRE_REALM);
    $server->addPlugin(new \Sabre\DAV\Auth\Plugin($auth, SABRE_REALM));
    $server->addPlugin(new \Sabre\DAVACL\Plugin());
    $server->addPlugin(new \Sabre\CardDAV\Plugin());
    $server->addPlugin(new \Sabre\CalDAV\Plugin());
    $server->exec();
}

if (PHP_SAPI === 'cli') {
    if (($argv[1] ?? '') !== 'init') {
        fwrite(STDERR, "usage: SABRE_DB=... SABRE_PASSWORD=... php server.php init\n");
        exit(2);
    }
    sabre_init();
    exit(0);
}

sabre_serve();
