"""The operations of SPEC §4 and their options, as the store and CLI name them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.i18n import N_, _


class Operation(StrEnum):
    IMPORT = "import"  # Einmalig importieren
    ONEWAY = "oneway"  # OneWay-Synchronisation (Contactbox → Server)
    SYNC = "sync"  # Synchronisation (two-way)


class Option(StrEnum):
    NONE = ""
    ADD = "add"  # Ergänzen
    UPDATE = "update"  # Aktualisieren
    RECREATE = "recreate"  # Neu anlegen
    CONTACTBOX = "contactbox"  # Contactbox holds the newer data
    SERVER = "server"  # the server holds the newer data


VALID_OPTIONS: dict[Operation, tuple[Option, ...]] = {
    Operation.IMPORT: (Option.ADD, Option.UPDATE, Option.RECREATE),
    Operation.ONEWAY: (Option.NONE,),
    Operation.SYNC: (Option.CONTACTBOX, Option.SERVER, Option.RECREATE),
}

DEFAULT_OPTION: dict[Operation, Option] = {
    Operation.IMPORT: Option.ADD,
    Operation.ONEWAY: Option.NONE,
    Operation.SYNC: Option.SERVER,
}

# After a "Neu anlegen" run the binding continues with this option (SPEC §4: then
# continues as two-way), so a later run never wipes the book again by surprise.
AFTER_RECREATE: dict[Operation, Option] = {
    Operation.IMPORT: Option.UPDATE,
    Operation.SYNC: Option.SERVER,
}

#: Each mode's label (German msgids, marked for translation: `Mode.label()` translates).
LABELS_DE: dict[tuple[Operation, Option], str] = {
    (Operation.IMPORT, Option.ADD): N_("Einmalig importieren · Ergänzen"),
    (Operation.IMPORT, Option.UPDATE): N_("Einmalig importieren · Aktualisieren"),
    (Operation.IMPORT, Option.RECREATE): N_("Einmalig importieren · Neu anlegen"),
    (Operation.ONEWAY, Option.NONE): N_("OneWay-Synchronisation (Contactbox → Server)"),
    (Operation.SYNC, Option.CONTACTBOX): N_("Synchronisation · Contactbox"),
    (Operation.SYNC, Option.SERVER): N_("Synchronisation · Server"),
    (Operation.SYNC, Option.RECREATE): N_("Synchronisation · Neu anlegen"),
}


@dataclass(frozen=True)
class Mode:
    """An operation with its option, validated."""

    operation: Operation
    option: Option = Option.NONE

    @classmethod
    def parse(cls, operation: str, option: str | None = None) -> Mode:
        """Build a mode from CLI/store words; raises ValueError with a message in the
        user's language."""
        try:
            op = Operation(operation)
        except ValueError:
            raise ValueError(
                _("Unbekannter Vorgang „{operation}“ (erlaubt: import, oneway, sync).").format(
                    operation=operation
                )
            ) from None
        opt: Option | None = DEFAULT_OPTION[op]
        if option not in (None, ""):
            # an unknown word gets the same message as a known one that does not fit
            opt = next((o for o in Option if o.value == option), None)
        if opt is None or opt not in VALID_OPTIONS[op]:
            allowed = ", ".join(o.value for o in VALID_OPTIONS[op] if o.value) or _("keine")
            raise ValueError(
                _(
                    "Die Option „{option}“ passt nicht zu „{operation}“ (erlaubt: {allowed})."
                ).format(option=option, operation=operation, allowed=allowed)
            )
        return cls(op, opt)

    @property
    def recreate(self) -> bool:
        return self.option is Option.RECREATE

    @property
    def continuing(self) -> bool:
        """OneWay and two-way bindings run again by themselves; imports are one-time."""
        return self.operation is not Operation.IMPORT

    def label(self) -> str:
        """The mode as the user reads it ("Synchronisation · Server"), translated."""
        return _(LABELS_DE[(self.operation, self.option)])
