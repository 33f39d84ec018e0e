"""Printed documents (reportlab): the cut sheet and the production packs."""
