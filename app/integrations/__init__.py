"""Outside systems behind one interface each (SMS gateways, amoCRM, e-mail): no Qt, no peewee."""
