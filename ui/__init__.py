"""The PySide6 window of Contactbox Sync; all data work goes through the core in `app/`."""
