"""Per-user preferences kept in the database (so they follow the data directory).

Used for what a user arranges in the window, e.g. the contact list's columns.
"""

from __future__ import annotations

from app.store.models import User, UserSetting, database


def default_user_id() -> int:
    """The default user's id (the database always has one, see app.store.db)."""
    user = User.select().where(User.is_default == True).first()  # noqa: E712
    if user is None:
        user = User.select().order_by(User.id).first()
    if user is None:
        raise LookupError("the database has no user")
    return int(user.id)


def get_setting(user_id: int, key: str, default: str = "") -> str:
    row = UserSetting.get_or_none((UserSetting.user == user_id) & (UserSetting.key == key))
    return default if row is None else str(row.value)


def set_setting(user_id: int, key: str, value: str) -> None:
    with database.atomic():
        UserSetting.insert(user=user_id, key=key, value=value).on_conflict(
            conflict_target=[UserSetting.user, UserSetting.key],
            update={UserSetting.value: value},
        ).execute()
