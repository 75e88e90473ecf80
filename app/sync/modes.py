"""The operations of SPEC §4 and their options, as the store and CLI name them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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

LABELS_DE: dict[tuple[Operation, Option], str] = {
    (Operation.IMPORT, Option.ADD): "Einmalig importieren · Ergänzen",
    (Operation.IMPORT, Option.UPDATE): "Einmalig importieren · Aktualisieren",
    (Operation.IMPORT, Option.RECREATE): "Einmalig importieren · Neu anlegen",
    (Operation.ONEWAY, Option.NONE): "OneWay-Synchronisation (Contactbox → Server)",
    (Operation.SYNC, Option.CONTACTBOX): "Synchronisation · Contactbox",
    (Operation.SYNC, Option.SERVER): "Synchronisation · Server",
    (Operation.SYNC, Option.RECREATE): "Synchronisation · Neu anlegen",
}


@dataclass(frozen=True)
class Mode:
    """An operation with its option, validated."""

    operation: Operation
    option: Option = Option.NONE

    @classmethod
    def parse(cls, operation: str, option: str | None = None) -> Mode:
        """Build a mode from CLI/store words; raises ValueError with a German message."""
        try:
            op = Operation(operation)
        except ValueError:
            raise ValueError(
                f"Unbekannter Vorgang „{operation}“ (erlaubt: import, oneway, sync)."
            ) from None
        opt = DEFAULT_OPTION[op] if option in (None, "") else Option(option)
        if opt not in VALID_OPTIONS[op]:
            allowed = ", ".join(o.value for o in VALID_OPTIONS[op] if o.value) or "keine"
            raise ValueError(
                f"Die Option „{option}“ passt nicht zu „{operation}“ (erlaubt: {allowed})."
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
        return LABELS_DE[(self.operation, self.option)]
