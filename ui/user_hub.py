"""App-wide notices about users: `user_hub.changed(user_id)` when the current user changes,
`user_hub.users_changed()` when a user is added, renamed or removed or a user's calendar
sync changes. Any page connects; Benutzerkonfiguration (ui/users_page.py and its tab
ui/calendar_sync_tab.py) emits. The current user itself lives in app.store.users."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class UserHub(QObject):
    """App-wide notifications about users (connect from any page)."""

    changed = Signal(int)  # the new current user's id
    users_changed = Signal()  # a user was added, renamed or removed


user_hub = UserHub()
