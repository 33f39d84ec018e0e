"""The shop's mailbox: its settings dialog and the background reading of new letters."""
