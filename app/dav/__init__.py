"""DAV layer: HTTP session, discovery, CardDAV client, error mapping."""
