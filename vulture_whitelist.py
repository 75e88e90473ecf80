"""Names `make lint`'s unused-code check (vulture) must not report: used where it cannot see.

Each entry says why. Real findings are removed, not listed here. Vulture reads this file as
code that uses the names (`_.name` is an attribute use).
"""

# ruff: noqa: B018, F821

# Qt calls these virtual overrides itself (QWidget, QObject).
_.paintEvent
_.contextMenuEvent
_.mouseDoubleClickEvent
_.eventFilter
_.mimeTypes  # drag and drop: the contact table's model and the group tree (issue 19)
_.supportedDragActions
_.supportedDropActions
_.filterAcceptsRow  # QSortFilterProxyModel asks it per row (ui/item_list.py)
_.features  # QStyleOptionViewItem.features, read by Qt's delegate painting (ui/setup_books.py)

# peewee: the inner Meta class and its options configure a model; the sort_* columns are
# written through the model (app/store/contacts.py) and read by the list indexes' SQL.
_.Meta
_.legacy_table_names
_.sort_given
_.sort_family
_.sort_org

# Reference keepers: the running worker must live as long as the dialog (ui/setup_dialog.py).
_._loader
_._checker

# Fields of records read through dataclasses.asdict / to_dict (reports, JSON of the CLI).
_.restored_from  # app/store/backups.py RestoreResult
_.skipped_deleted  # app/sync/report.py BookReport (the figures of SPEC §4)
_.server_only

# Typing: the bound of a TypeVar, named in a string (app/dav/discovery.py).
_.Listed

# Called by tests/unit/test_sync_lock.py inside the code string its lock holder process runs.
_.set_program_name

# Marks a constant for the gettext catalogue, translated where it is shown (app/i18n.py).
_.N_

# A module-level __getattr__ (PEP 562): app.vcard loads its merge names when first used.
_.__getattr__
