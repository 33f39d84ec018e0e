"""The kanban board: one column per stage (or a folded group of stages) over the database."""
